//! Canceling an envelope: signing stops, the envelope stays visible with its evidence.

use serde_json::json;

use crate::CoreError;
use crate::id::EnvelopeId;
use crate::model::{EnvelopeRecord, EnvelopeStatus, EventKind};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::signing::schedule_callback;
use crate::usecase::validate;

impl Signet {
    /// Cancels a draft or in-progress envelope: its signing links stop working at once, a
    /// `canceled` event records the reason, and the callback URL hears `envelope.canceled`.
    /// 409 `already_final` once it is sealing or finished. Unlike deleting, the envelope stays
    /// listed.
    pub async fn cancel_envelope(
        &self,
        who: &Principal,
        id: EnvelopeId,
        reason: Option<&str>,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        let reason = validate::optional_text("reason", reason, 1000)?;
        retrying(|| self.cancel_once(who, id, reason.clone(), client)).await
    }

    async fn cancel_once(
        &self,
        who: &Principal,
        id: EnvelopeId,
        reason: Option<String>,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        let record = self.load_visible(who, id).await?;
        let status = record.envelope.status;
        if !matches!(status, EnvelopeStatus::Draft | EnvelopeStatus::InProgress) {
            return Err(CoreError::conflict(
                "already_final",
                format!("a {} envelope cannot be canceled", status.as_str()),
            ));
        }
        let mut change = Mutation::of(record, self.now());
        change.record.envelope.status = EnvelopeStatus::Canceled;
        change.record.envelope.finished_at = Some(change.now);
        change.event(
            EventKind::Canceled,
            who.actor(),
            client,
            json!({"reason": reason}),
        );
        schedule_callback(&mut change, "envelope.canceled");
        self.commit(change).await
    }
}
