//! Reminders: the invitation e-mail again, with the signer's current link, on the sender's
//! request (the Stiply "send reminder", the Acronis "resend").

use serde_json::json;

use crate::CoreError;
use crate::id::{EnvelopeId, SignerId};
use crate::model::{EnvelopeRecord, EnvelopeStatus, EventKind, Invitation, JobPayload, Signer};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::service::Signet;
use crate::usecase::account::Principal;

/// Whom to remind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemindTarget {
    /// Every e-mail signer whose turn it is.
    Due,
    /// One signer who has not acted yet, whether or not it is their turn.
    Signer(SignerId),
}

impl Signet {
    /// Queues a reminder e-mail (the invitation, marked as a reminder, with the current link)
    /// for `target`, recorded as a `reminder_requested` event. Returns the signers reminded.
    /// 409 `not_in_progress` unless the envelope is in progress, 409 `nobody_to_remind` when no
    /// pending e-mail signer matches, 404 for a signer not in the envelope.
    pub async fn remind(
        &self,
        who: &Principal,
        id: EnvelopeId,
        target: RemindTarget,
        client: &ClientInfo,
    ) -> Result<Vec<SignerId>, CoreError> {
        retrying(|| self.remind_once(who, id, target, client)).await
    }

    async fn remind_once(
        &self,
        who: &Principal,
        id: EnvelopeId,
        target: RemindTarget,
        client: &ClientInfo,
    ) -> Result<Vec<SignerId>, CoreError> {
        let record = self.load_visible(who, id).await?;
        let lapsed = record
            .envelope
            .expires_at
            .is_some_and(|at| at <= self.now());
        if record.envelope.status != EnvelopeStatus::InProgress || lapsed {
            return Err(CoreError::conflict(
                "not_in_progress",
                "only an envelope that is out for signing can be reminded",
            ));
        }
        let signers = reminded(&record, target)?;
        let mut change = Mutation::of(record, self.now());
        let account_id = change.record.envelope.account_id;
        for signer in &signers {
            let payload = JobPayload::SendReminder {
                account_id,
                envelope_id: id,
                signer_id: signer.id,
                generation: signer.token_generation,
                reminder_id: uuid::Uuid::now_v7(),
            };
            change.job(payload, None, None);
        }
        let ids: Vec<SignerId> = signers.iter().map(|s| s.id).collect();
        change.event(
            EventKind::ReminderRequested,
            who.actor(),
            client,
            json!({"signer_ids": ids}),
        );
        self.commit(change).await?;
        Ok(ids)
    }
}

/// The signers `target` names who can be reminded: pending e-mail signers (a link signer has
/// no address Signet writes to for them).
fn reminded(record: &EnvelopeRecord, target: RemindTarget) -> Result<Vec<Signer>, CoreError> {
    let remindable = |s: &Signer| {
        s.role.acts()
            && s.status == crate::model::SignerStatus::Pending
            && s.invitation == Invitation::Email
    };
    let signers: Vec<Signer> = match target {
        RemindTarget::Due => record
            .signers_up_now()
            .into_iter()
            .filter(|s| remindable(s))
            .cloned()
            .collect(),
        RemindTarget::Signer(id) => {
            let signer = record.signer(id).ok_or(CoreError::NotFound("signer"))?;
            remindable(signer)
                .then(|| signer.clone())
                .into_iter()
                .collect()
        }
    };
    if signers.is_empty() {
        return Err(CoreError::conflict(
            "nobody_to_remind",
            "no signer who still has to act and is invited by e-mail matches",
        ));
    }
    Ok(signers)
}
