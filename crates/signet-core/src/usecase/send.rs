//! Sending an envelope: issuing signing links, inviting whoever may sign first.

use serde_json::json;
use time::OffsetDateTime;

use crate::CoreError;
use crate::id::{EnvelopeId, SignerId};
use crate::model::{
    EnvelopeRecord, EnvelopeStatus, EventKind, FieldKind, Invitation, JobPayload, SignerRole,
};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::secret::SigningTokens;
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::document::require_draft_status;
use crate::usecase::expiry::schedule_expiry;
use crate::usecase::signing::schedule_callback;
use crate::usecase::term::TermLength;

/// A signing link for a signer whose invitation method is `link`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningLink {
    /// The signer.
    pub signer_id: SignerId,
    /// `{public_url}/s/{token}`.
    pub url: String,
}

/// How to send.
#[derive(Clone, Copy, Debug, Default)]
pub struct SendOptions {
    /// A signing term starting now, replacing the draft's expiry.
    pub term: Option<TermLength>,
    /// When the first invitation e-mails go out (deferred diffusion); `None` or a time not in
    /// the future means now. Signing links exist from the send on.
    pub invite_at: Option<OffsetDateTime>,
}

/// The result of sending.
#[derive(Clone, Debug)]
pub struct Sent {
    /// The envelope as stored.
    pub record: EnvelopeRecord,
    /// Links for `link` signers (shown only here).
    pub links: Vec<SigningLink>,
}

impl Signet {
    /// Sends a draft: every acting signer gets a link; e-mail signers whose turn it is are
    /// invited by e-mail (a job, committed with the status change).
    pub async fn send_envelope(
        &self,
        who: &Principal,
        id: EnvelopeId,
        client: &ClientInfo,
    ) -> Result<Sent, CoreError> {
        retrying(|| self.send_once(who, id, SendOptions::default(), client)).await
    }

    /// Like [`Signet::send_envelope`], with the options: a signing term that starts now (the
    /// envelope expires `term` after it is sent, whatever expiry it had as a draft) and a later
    /// time for the first invitation e-mails (deferred diffusion).
    pub async fn send_envelope_with(
        &self,
        who: &Principal,
        id: EnvelopeId,
        options: SendOptions,
        client: &ClientInfo,
    ) -> Result<Sent, CoreError> {
        retrying(|| self.send_once(who, id, options, client)).await
    }

    async fn send_once(
        &self,
        who: &Principal,
        id: EnvelopeId,
        options: SendOptions,
        client: &ClientInfo,
    ) -> Result<Sent, CoreError> {
        let mut record = self.load_visible(who, id).await?;
        require_draft_status(record.envelope.status)?;
        if let Some(term) = options.term {
            let expires_at = crate::time::storable(term.after(self.now()));
            record.envelope.expires_at = Some(expires_at);
        }
        check_ready(&record, self.now())?;
        let invite_at = invitation_time(&record, options.invite_at, self.now())?;
        let mut change = Mutation::of(record, self.now());
        let mut links = Vec::new();
        let acting: Vec<_> = change.record.acting().cloned().collect();
        for mut signer in acting {
            signer.token_generation = 1;
            let token = self.keys().tokens.token(signer.id, 1);
            signer.token_hash = Some(SigningTokens::hash(&token));
            if signer.invitation == Invitation::Link {
                links.push(SigningLink {
                    signer_id: signer.id,
                    url: self.signing_url(&token),
                });
                change.event(
                    EventKind::LinkIssued,
                    who.actor(),
                    client,
                    json!({"signer_id": signer.id, "generation": 1}),
                );
            }
            change.put_signer(signer);
        }
        change.record.envelope.status = EnvelopeStatus::InProgress;
        change.record.envelope.sent_at = Some(change.now);
        let mut data = json!({"signers": change.record.acting().count(), "signing_order": change.record.envelope.signing_order.as_str()});
        if let Some(at) = invite_at {
            data["invitations_at"] = json!(crate::time::rfc3339(at));
        }
        change.event(EventKind::EnvelopeSent, who.actor(), client, data);
        invite_signers_at(&mut change, invite_at);
        crate::usecase::notify::notify_parties(&mut change, crate::model::NoticeKind::Sent);
        schedule_expiry(&mut change);
        if change.record.envelope.status_callbacks {
            schedule_callback(&mut change, "envelope.sent");
        }
        let record = self.commit(change).await?;
        Ok(Sent { record, links })
    }

    /// The signer-facing URL for a token.
    pub(crate) fn signing_url(&self, token: &str) -> String {
        format!("{}/s/{token}", self.config().public_url)
    }
}

/// Enqueues invitation e-mails for e-mail signers whose turn it is now. Dedupe keys make a
/// repeated call harmless.
pub(crate) fn invite_signers_up_now(change: &mut Mutation) {
    invite_signers_at(change, None);
}

/// Like [`invite_signers_up_now`], the e-mails going out at `at` (now when `None`).
fn invite_signers_at(change: &mut Mutation, at: Option<OffsetDateTime>) {
    let account_id = change.record.envelope.account_id;
    let envelope_id = change.record.envelope.id;
    let invites: Vec<(SignerId, i32)> = change
        .record
        .signers_up_now()
        .into_iter()
        .filter(|s| s.invitation == Invitation::Email)
        .map(|s| (s.id, s.token_generation))
        .collect();
    for (signer_id, generation) in invites {
        let payload = JobPayload::SendInvitation {
            account_id,
            envelope_id,
            signer_id,
            generation,
        };
        change.job(
            payload,
            at,
            Some(format!("invite:{signer_id}:{generation}")),
        );
    }
}

/// The deferred invitation time, if any: in the future and before the envelope expires.
fn invitation_time(
    record: &EnvelopeRecord,
    invite_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, CoreError> {
    let Some(at) = invite_at.filter(|at| *at > now) else {
        return Ok(None);
    };
    if record
        .envelope
        .expires_at
        .is_some_and(|expires| at >= expires)
    {
        return Err(CoreError::invalid(
            "invitations_after_expiry",
            "the invitations would go out after the envelope expires",
        ));
    }
    Ok(Some(crate::time::storable(at)))
}

fn check_ready(record: &EnvelopeRecord, now: time::OffsetDateTime) -> Result<(), CoreError> {
    if record.documents.is_empty() {
        return Err(CoreError::invalid(
            "no_documents",
            "add at least one document before sending",
        ));
    }
    if record.acting().next().is_none() {
        return Err(CoreError::invalid(
            "no_signers",
            "add at least one signer or approver before sending",
        ));
    }
    if record.envelope.expires_at.is_some_and(|at| at <= now) {
        return Err(CoreError::invalid(
            "expired",
            "expires_at has passed; create a new envelope",
        ));
    }
    for signer in record
        .signers
        .iter()
        .filter(|s| s.role == SignerRole::Signer)
    {
        let signs = record
            .fields
            .iter()
            .any(|f| f.signer_id == signer.id && f.kind == FieldKind::Signature);
        if !signs {
            return Err(CoreError::invalid(
                "signer_without_signature_field",
                format!(
                    "signer {} has no signature field; add one (or make them an approver)",
                    signer.id
                ),
            ));
        }
    }
    Ok(())
}
