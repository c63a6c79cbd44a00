//! Notices to an envelope's parties. Which parties hear of what is decided here and enqueued
//! with the state change (`notify_parties`, `notify`); the `send_notice` job mails one of them
//! in their language; and a mail job that died is recorded as `delivery_failed`.

use std::io::Read;

use serde_json::json;
use uuid::Uuid;

use crate::CoreError;
use crate::id::{AccountId, EnvelopeId, SignerId};
use crate::message::{LinkMail, LinkMailInput, Notice, NoticeInput, link_mail, notice};
use crate::model::{
    EnvelopeRecord, EnvelopeStatus, EventKind, Invitation, JobPayload, Language, NoticeKind,
    Signer, SignerRole, SignerStatus,
};
use crate::mutation::Mutation;
use crate::port::{Attachment, Email, Mailbox};
use crate::service::Signet;
use crate::usecase::job::{JobError, delivery_to_job};

/// Enqueues `kind` for `recipients` (`None`: the user who created the envelope).
pub(crate) fn notify(change: &mut Mutation, kind: NoticeKind, recipients: Vec<Option<SignerId>>) {
    let account_id = change.record.envelope.account_id;
    let envelope_id = change.record.envelope.id;
    let occurrence = Uuid::now_v7();
    for signer_id in recipients {
        let who = signer_id.map_or_else(|| "owner".to_string(), |id| id.to_string());
        // A completed envelope stays completed: one such mail per party, ever.
        let dedupe = match kind {
            NoticeKind::Completed => format!("notice:completed:{envelope_id}:{who}"),
            _ => format!("notice:{kind}:{occurrence}:{who}"),
        };
        let payload = JobPayload::SendNotice {
            account_id,
            envelope_id,
            signer_id,
            notice: kind,
            occurrence,
        };
        change.job(payload, None, Some(dedupe));
    }
}

/// Enqueues `kind` for the parties that hear of it: cc recipients of a sent envelope; every
/// party of a completed one; the sender and every other party but dc recipients of a declined
/// one; the sender, the pending e-mail signers and cc recipients of an expired one; the
/// e-mail signers whose turn it is of a reactivated or extended one.
pub(crate) fn notify_parties(change: &mut Mutation, kind: NoticeKind) {
    let record = &change.record;
    let pending_by_mail = |s: &Signer| {
        s.role.acts() && s.status == SignerStatus::Pending && s.invitation == Invitation::Email
    };
    let mut recipients: Vec<Option<SignerId>> = match kind {
        NoticeKind::Sent => pick(record, |s| s.role == SignerRole::Cc),
        NoticeKind::Completed => pick(record, |_| true),
        NoticeKind::Declined => pick(record, |s| {
            s.role != SignerRole::Dc && s.status != SignerStatus::Declined
        }),
        NoticeKind::Expired => pick(record, |s| pending_by_mail(s) || s.role == SignerRole::Cc),
        NoticeKind::Reactivated | NoticeKind::TermExtended => record
            .signers_up_now()
            .into_iter()
            .filter(|s| s.invitation == Invitation::Email)
            .map(|s| Some(s.id))
            .collect(),
    };
    if matches!(kind, NoticeKind::Declined | NoticeKind::Expired) {
        recipients.insert(0, None);
    }
    if !recipients.is_empty() {
        notify(change, kind, recipients);
    }
}

fn pick(record: &EnvelopeRecord, wanted: impl Fn(&Signer) -> bool) -> Vec<Option<SignerId>> {
    record
        .signers
        .iter()
        .filter(|s| wanted(s))
        .map(|s| Some(s.id))
        .collect()
}

/// The ids of a `send_notice` job.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NoticeJob {
    pub(crate) account_id: AccountId,
    pub(crate) envelope_id: EnvelopeId,
    pub(crate) signer_id: Option<SignerId>,
    pub(crate) kind: NoticeKind,
    pub(crate) occurrence: Uuid,
}

impl Signet {
    /// Mails one notice; a notice whose moment has passed (the envelope moved on, the signer
    /// acted) is dropped.
    pub(crate) async fn send_notice(&self, job: NoticeJob) -> Result<(), JobError> {
        let store = self.store_ref();
        let Some(record) = store
            .load_envelope(job.account_id, job.envelope_id)
            .await
            .map_err(CoreError::from)?
        else {
            return Ok(());
        };
        if record.envelope.deleted_at.is_some() || !still_relevant(&record, job) {
            return Ok(());
        }
        let account = store
            .account(job.account_id)
            .await
            .map_err(CoreError::from)?
            .ok_or(CoreError::NotFound("account"))?;
        let Some((to, language)) = self.notice_recipient(&record, job, &account).await? else {
            return Ok(());
        };
        let who = job
            .signer_id
            .map_or_else(|| "owner".to_string(), |id| id.to_string());
        let message_id = format!("{}.{}.{who}@{}", job.kind, job.occurrence, self.mail_host());
        let email = self
            .notice_email(
                &record,
                job,
                &account.name,
                to,
                language,
                message_id.clone(),
            )
            .await?;
        let sent = self.deps.mailer.send(&email).await;
        if sent.is_ok() {
            let data = json!({"signer_id": job.signer_id, "email": email.to.address,
                              "notice": job.kind.as_str(), "message_id": message_id});
            self.record_system_event(
                job.account_id,
                job.envelope_id,
                EventKind::NoticeEmailed,
                data,
            )
            .await?;
        }
        sent.map_err(delivery_to_job)
    }

    async fn notice_recipient(
        &self,
        record: &EnvelopeRecord,
        job: NoticeJob,
        account: &crate::model::Account,
    ) -> Result<Option<(Mailbox, Language)>, CoreError> {
        let default = account.default_language.unwrap_or(Language::En);
        Ok(match job.signer_id {
            Some(id) => record.signer(id).map(|s| {
                let to = Mailbox {
                    name: s.name.clone(),
                    address: s.email.clone(),
                };
                (to, s.language)
            }),
            None => self
                .store_ref()
                .user(job.account_id, record.envelope.created_by)
                .await?
                .filter(|u| u.disabled_at.is_none())
                .map(|u| {
                    (
                        Mailbox {
                            name: u.name,
                            address: u.email,
                        },
                        default,
                    )
                }),
        })
    }

    async fn notice_email(
        &self,
        record: &EnvelopeRecord,
        job: NoticeJob,
        account_name: &str,
        to: Mailbox,
        language: Language,
        message_id: String,
    ) -> Result<Email, CoreError> {
        let envelope = &record.envelope;
        let input = NoticeInput {
            account_name,
            envelope,
            to,
            language,
            message_id: message_id.clone(),
        };
        let content = match job.kind {
            NoticeKind::Sent => Notice::Sent,
            NoticeKind::Expired => Notice::Expired,
            NoticeKind::Declined => {
                let decliner = record
                    .signers
                    .iter()
                    .filter(|s| s.declined_at.is_some())
                    .max_by_key(|s| s.declined_at);
                Notice::Declined {
                    signer_name: decliner.map(|s| s.name.clone()).unwrap_or_default(),
                    reason: decliner.and_then(|s| s.decline_reason.clone()),
                }
            }
            NoticeKind::Completed => self.completed_notice(record, job.signer_id).await?,
            NoticeKind::Reactivated | NoticeKind::TermExtended => {
                let signer = job
                    .signer_id
                    .and_then(|id| record.signer(id))
                    .ok_or(CoreError::NotFound("signer"))?;
                let token = self.keys().tokens.token(signer.id, signer.token_generation);
                let url = self.signing_url(&token);
                let input = LinkMailInput {
                    account_name,
                    envelope,
                    signer,
                    url: &url,
                    message_id,
                };
                let kind = if job.kind == NoticeKind::Reactivated {
                    LinkMail::Reactivated
                } else {
                    LinkMail::TermExtended
                };
                return Ok(link_mail(input, kind));
            }
        };
        Ok(notice(input, content))
    }

    /// The sealed documents of a completed envelope, read after checking their hashes.
    pub(crate) async fn signed_attachments(
        &self,
        record: &EnvelopeRecord,
    ) -> Result<Vec<Attachment>, CoreError> {
        let mut files = Vec::new();
        for doc in &record.documents {
            let file = doc.signed.as_ref().ok_or_else(|| {
                CoreError::Integrity(format!("document {} has no sealed output", doc.id))
            })?;
            let filename = crate::usecase::download::suffixed(&doc.filename, "signed");
            let mut download = self.download(file, &filename).await?;
            let data = tokio::task::spawn_blocking(move || {
                let mut data = Vec::with_capacity(usize::try_from(download.size).unwrap_or(0));
                download.reader.read_to_end(&mut data).map(|_| data)
            })
            .await
            .map_err(|err| CoreError::Internal(err.to_string()))?
            .map_err(|err| CoreError::Storage(err.to_string()))?;
            files.push(Attachment {
                filename,
                content_type: "application/pdf".into(),
                data,
            });
        }
        Ok(files)
    }

    /// Records what a dead mail job means: the e-mail to that party will never arrive
    /// (`delivery_failed`, with the reason). Other jobs need nothing.
    pub async fn job_gave_up(&self, payload: &JobPayload, error: &str) -> Result<(), CoreError> {
        let (account_id, envelope_id, signer_id, mail) = match payload {
            JobPayload::SendInvitation {
                account_id,
                envelope_id,
                signer_id,
                ..
            } => (*account_id, *envelope_id, Some(*signer_id), "invitation"),
            JobPayload::SendReminder {
                account_id,
                envelope_id,
                signer_id,
                ..
            } => (*account_id, *envelope_id, Some(*signer_id), "reminder"),
            JobPayload::SendNotice {
                account_id,
                envelope_id,
                signer_id,
                notice,
                ..
            } => (*account_id, *envelope_id, *signer_id, notice.as_str()),
            _ => return Ok(()),
        };
        let Some(record) = self
            .store_ref()
            .load_envelope(account_id, envelope_id)
            .await?
        else {
            return Ok(());
        };
        let email = signer_id
            .and_then(|id| record.signer(id))
            .map(|s| s.email.clone());
        let data = json!({"signer_id": signer_id, "email": email, "mail": mail,
                          "reminder": mail == "reminder", "error": error});
        self.record_system_event(account_id, envelope_id, EventKind::DeliveryFailed, data)
            .await
    }
}

fn still_relevant(record: &EnvelopeRecord, job: NoticeJob) -> bool {
    let status = record.envelope.status;
    match job.kind {
        NoticeKind::Completed => status == EnvelopeStatus::Completed,
        NoticeKind::Reactivated | NoticeKind::TermExtended => {
            status == EnvelopeStatus::InProgress
                && job
                    .signer_id
                    .and_then(|id| record.signer(id))
                    .is_some_and(|s| {
                        s.role.acts() && s.status == SignerStatus::Pending && s.token_hash.is_some()
                    })
        }
        NoticeKind::Sent | NoticeKind::Declined | NoticeKind::Expired => true,
    }
}
