//! Running jobs: the worker claims them, this executes them. Handlers re-read their data and
//! are idempotent, so a retried or duplicated job does no harm.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};
use serde_json::json;

use crate::CoreError;
use crate::id::{AccountId, EnvelopeId, SignerId};
use crate::message::{LinkMail, LinkMailInput, link_mail};
use crate::model::{
    Actor, EnvelopeStatus, EventKind, Invitation as InvitedBy, JobPayload, SignerStatus,
};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::port::{CallbackRequest, DeliveryError};
use crate::service::Signet;

/// Why a job attempt failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Try again later.
    #[error("{0}")]
    Retry(String),
    /// Trying again cannot help; mark the job dead.
    #[error("{0}")]
    Permanent(String),
}

/// Which e-mail carrying a signing link a job sends.
#[derive(Clone, Copy, Debug)]
enum Invitation {
    /// The invitation for link generation `.0`.
    First(i32),
    /// A reminder (`.1`) with the link of generation `.0`.
    Reminder(i32, uuid::Uuid),
}

impl Invitation {
    fn generation(self) -> i32 {
        match self {
            Self::First(generation) | Self::Reminder(generation, _) => generation,
        }
    }
}

impl From<CoreError> for JobError {
    fn from(err: CoreError) -> Self {
        JobError::Retry(err.to_string())
    }
}

impl Signet {
    /// Executes one job.
    pub async fn run_job(&self, payload: &JobPayload) -> Result<(), JobError> {
        match payload {
            JobPayload::SealEnvelope {
                account_id,
                envelope_id,
            } => Ok(self.seal_envelope(*account_id, *envelope_id).await?),
            JobPayload::AddSignatures {
                account_id,
                envelope_id,
            } => Ok(self.add_signatures(*account_id, *envelope_id).await?),
            JobPayload::SendInvitation {
                account_id,
                envelope_id,
                signer_id,
                generation,
            } => {
                let mail = Invitation::First(*generation);
                self.send_invitation(*account_id, *envelope_id, *signer_id, mail)
                    .await
            }
            JobPayload::SendReminder {
                account_id,
                envelope_id,
                signer_id,
                generation,
                reminder_id,
            } => {
                let mail = Invitation::Reminder(*generation, *reminder_id);
                self.send_invitation(*account_id, *envelope_id, *signer_id, mail)
                    .await
            }
            JobPayload::ScheduledReminder {
                account_id,
                envelope_id,
                signer_id,
                generation,
                turn_started,
                number,
            } => {
                let job = crate::usecase::reminder_schedule::ScheduledReminder {
                    account_id: *account_id,
                    envelope_id: *envelope_id,
                    signer_id: *signer_id,
                    generation: *generation,
                    turn_started: *turn_started,
                    number: *number,
                };
                Ok(self.run_scheduled_reminder(job).await?)
            }
            JobPayload::ExpireEnvelope {
                account_id,
                envelope_id,
            } => Ok(self.expire_envelope(*account_id, *envelope_id).await?),
            JobPayload::DeliverCallback {
                account_id,
                envelope_id,
                event,
                delivery_id,
            } => {
                self.deliver_callback(*account_id, *envelope_id, event, *delivery_id)
                    .await
            }
            JobPayload::SendPasswordReset {
                account_id,
                reset_id,
                ..
            } => self.send_password_reset(*account_id, *reset_id).await,
            JobPayload::DeliverWebhook {
                account_id,
                delivery_id,
            } => self.deliver_webhook(*account_id, *delivery_id).await,
            JobPayload::SendNotice {
                account_id,
                envelope_id,
                signer_id,
                notice,
                occurrence,
            } => {
                let job = crate::usecase::notify::NoticeJob {
                    account_id: *account_id,
                    envelope_id: *envelope_id,
                    signer_id: *signer_id,
                    kind: *notice,
                    occurrence: *occurrence,
                };
                self.send_notice(job).await
            }
            JobPayload::RetentionSweep {} => {
                self.run_retention().await?;
                Ok(())
            }
        }
    }

    async fn send_invitation(
        &self,
        account_id: AccountId,
        envelope_id: EnvelopeId,
        signer_id: SignerId,
        mail: Invitation,
    ) -> Result<(), JobError> {
        let generation = mail.generation();
        let Some(record) = self
            .store_ref()
            .load_envelope(account_id, envelope_id)
            .await
            .map_err(CoreError::from)?
        else {
            return Ok(());
        };
        let Some(signer) = record.signer(signer_id).cloned() else {
            return Ok(());
        };
        let still_wanted = record.envelope.status == EnvelopeStatus::InProgress
            && record.envelope.deleted_at.is_none()
            && signer.status == SignerStatus::Pending
            && signer.invitation == InvitedBy::Email
            && signer.token_generation == generation;
        if !still_wanted {
            return Ok(());
        }
        let message_id = match mail {
            Invitation::First(_) => format!("invite.{signer_id}.{generation}@{}", self.mail_host()),
            Invitation::Reminder(_, id) => format!("remind.{id}@{}", self.mail_host()),
        };
        if self
            .already_emailed(account_id, envelope_id, &message_id)
            .await?
        {
            // An earlier attempt sent it and recorded so, but its worker died before the job
            // was marked done: sending again would be a duplicate.
            return Ok(());
        }
        let token = self.keys().tokens.token(signer_id, generation);
        let account_name = self.account_name(account_id).await?;
        let kind = match mail {
            Invitation::Reminder(..) => LinkMail::Reminder,
            Invitation::First(_) if turn_came(&record, &signer) => LinkMail::YourTurn,
            Invitation::First(_) => LinkMail::Invitation,
        };
        let url = self.signing_url(&token);
        let input = LinkMailInput {
            account_name: &account_name,
            envelope: &record.envelope,
            signer: &signer,
            url: &url,
            message_id: message_id.clone(),
        };
        let sent = self.deps.mailer.send(&link_mail(input, kind)).await;
        let reminder = matches!(mail, Invitation::Reminder(..));
        let (kind, data) = match &sent {
            Ok(()) => (
                EventKind::InvitationEmailed,
                json!({"signer_id": signer_id, "email": signer.email, "message_id": message_id,
                       "reminder": reminder}),
            ),
            // A permanent failure is recorded once, as `delivery_failed`, when the job dies.
            Err(DeliveryError::Permanent(_)) => return sent.map_err(delivery_to_job),
            Err(err) => (
                EventKind::InvitationFailed,
                json!({"signer_id": signer_id, "email": signer.email, "error": err.to_string(),
                       "reminder": reminder}),
            ),
        };
        self.record_system_event(account_id, envelope_id, kind, data)
            .await?;
        sent.map_err(delivery_to_job)
    }

    async fn deliver_callback(
        &self,
        account_id: AccountId,
        envelope_id: EnvelopeId,
        event: &str,
        delivery_id: uuid::Uuid,
    ) -> Result<(), JobError> {
        let Some(record) = self
            .store_ref()
            .load_envelope(account_id, envelope_id)
            .await
            .map_err(CoreError::from)?
        else {
            return Ok(());
        };
        let Some(base) = record.envelope.callback_url.clone() else {
            return Ok(());
        };
        let mut url = url::Url::parse(&base)
            .map_err(|err| JobError::Permanent(format!("stored callback URL is invalid: {err}")))?;
        self.query_keys(&record, None).await.append_to(&mut url);
        let now = self.now();
        let body = serde_json::to_vec(&json!({
            "id": delivery_id,
            "type": event,
            "occurred_at": crate::time::rfc3339(now),
            "data": {
                "envelope_id": envelope_id,
                "external_key": record.envelope.external_key,
                "status": record.envelope.status.as_str(),
                "title": record.envelope.title,
            },
        }))
        .map_err(|err| JobError::Permanent(err.to_string()))?;
        let secret = self.webhook_secret(account_id).await?;
        let headers = standard_webhook_headers(
            &secret,
            &delivery_id.to_string(),
            now.unix_timestamp(),
            &body,
        );
        let request = CallbackRequest {
            url: url.to_string(),
            headers,
            body,
        };
        let result = self.deps.callbacks.post(&request).await;
        let (kind, data, outcome) = match result {
            Ok(status) if (200..300).contains(&status) => (
                EventKind::CallbackDelivered,
                json!({"delivery_id": delivery_id, "event": event, "status": status}),
                Ok(()),
            ),
            Ok(status) => (
                EventKind::CallbackFailed,
                json!({"delivery_id": delivery_id, "event": event, "status": status}),
                Err(JobError::Retry(format!("callback answered {status}"))),
            ),
            Err(err) => (
                EventKind::CallbackFailed,
                json!({"delivery_id": delivery_id, "event": event, "error": err.to_string()}),
                Err(delivery_to_job(err)),
            ),
        };
        self.record_system_event(account_id, envelope_id, kind, data)
            .await?;
        outcome
    }

    /// Whether the audit trail records the e-mail `message_id` as sent.
    async fn already_emailed(
        &self,
        account_id: AccountId,
        envelope_id: EnvelopeId,
        message_id: &str,
    ) -> Result<bool, JobError> {
        let events = self
            .store_ref()
            .events(account_id, envelope_id)
            .await
            .map_err(CoreError::from)?;
        Ok(events.iter().any(|event| {
            event.kind == EventKind::InvitationEmailed && event.data["message_id"] == message_id
        }))
    }

    /// The host part of the `Message-ID`s Signet makes: the public URL's host.
    pub(crate) fn mail_host(&self) -> String {
        url::Url::parse(&self.config().public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| "signet.invalid".into())
    }

    /// Appends an event by Signet itself, re-reading on a lost race.
    pub(crate) async fn record_system_event(
        &self,
        account_id: AccountId,
        envelope_id: EnvelopeId,
        kind: EventKind,
        data: serde_json::Value,
    ) -> Result<(), CoreError> {
        retrying(|| async {
            let Some(record) = self
                .store_ref()
                .load_envelope(account_id, envelope_id)
                .await?
            else {
                return Ok(());
            };
            let mut change = Mutation::of(record, self.now());
            change.event(kind, Actor::System, &ClientInfo::none(), data.clone());
            self.commit(change).await.map(|_| ())
        })
        .await
    }
}

/// True when a sequential order reached `signer` after others acted before them.
fn turn_came(record: &crate::model::EnvelopeRecord, signer: &crate::model::Signer) -> bool {
    record.envelope.signing_order == crate::model::SigningOrder::Sequential
        && record
            .acting()
            .any(|s| s.order < signer.order && s.status == SignerStatus::Signed)
}

pub(crate) fn delivery_to_job(err: DeliveryError) -> JobError {
    match err {
        DeliveryError::Transient(m) => JobError::Retry(m),
        DeliveryError::Permanent(m) => JobError::Permanent(m),
    }
}

/// Standard Webhooks headers: `webhook-id`, `webhook-timestamp`, and
/// `webhook-signature: v1,base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}"))`.
pub fn standard_webhook_headers(
    secret: &str,
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Vec<(String, String)> {
    signed_webhook_headers(&[secret], id, timestamp, body)
}

/// [`standard_webhook_headers`] signed with several secrets (during a rotation): the
/// `webhook-signature` header carries one space-separated `v1,…` entry per secret.
pub fn signed_webhook_headers(
    secrets: &[&str],
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Vec<(String, String)> {
    let signatures: Vec<String> = secrets
        .iter()
        .map(|secret| format!("v1,{}", webhook_signature(secret, id, timestamp, body)))
        .collect();
    vec![
        ("webhook-id".into(), id.to_string()),
        ("webhook-timestamp".into(), timestamp.to_string()),
        ("webhook-signature".into(), signatures.join(" ")),
    ]
}

fn webhook_signature(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .unwrap_or_else(|_| secret.as_bytes().to_vec());
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_signature_matches_the_standard_webhooks_reference_vector() {
        // From the Standard Webhooks specification's test vectors.
        let headers = standard_webhook_headers(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(
            headers[2].1,
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}
