//! Terms: an envelope out for signing whose `expires_at` passes becomes `expired`, by a job
//! scheduled for that moment. Whatever changes the expiry later (extending the term,
//! reactivating) calls [`schedule_expiry`] again; a job that finds the expiry moved on
//! schedules itself for the new time, so no path can leave an envelope without one.

use serde_json::json;

use crate::CoreError;
use crate::id::{AccountId, EnvelopeId};
use crate::model::{Actor, EnvelopeStatus, EventKind, JobPayload};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::service::Signet;
use crate::usecase::signing::schedule_callback;

/// Enqueues the expiry job of an in-progress envelope with an expiry, at that time (one job
/// per envelope and expiry time).
pub(crate) fn schedule_expiry(change: &mut Mutation) {
    let envelope = &change.record.envelope;
    let Some(at) = envelope.expires_at else {
        return;
    };
    if envelope.status != EnvelopeStatus::InProgress {
        return;
    }
    let payload = JobPayload::ExpireEnvelope {
        account_id: envelope.account_id,
        envelope_id: envelope.id,
    };
    let dedupe = format!("expire:{}:{}", envelope.id, at.unix_timestamp());
    change.job(payload, Some(at), Some(dedupe));
}

impl Signet {
    /// The expiry job: an in-progress envelope whose expiry has passed becomes `expired` (its
    /// links answer 410 `link_expired`), with an `expired` event and the callback
    /// `envelope.expired`. Any other status, or no expiry, leaves it alone.
    pub(crate) async fn expire_envelope(
        &self,
        account_id: AccountId,
        envelope_id: EnvelopeId,
    ) -> Result<(), CoreError> {
        retrying(|| self.expire_once(account_id, envelope_id)).await
    }

    async fn expire_once(
        &self,
        account_id: AccountId,
        envelope_id: EnvelopeId,
    ) -> Result<(), CoreError> {
        let Some(record) = self
            .store_ref()
            .load_envelope(account_id, envelope_id)
            .await?
        else {
            return Ok(());
        };
        let envelope = &record.envelope;
        let Some(at) = envelope.expires_at else {
            return Ok(());
        };
        if envelope.status != EnvelopeStatus::InProgress || envelope.deleted_at.is_some() {
            return Ok(());
        }
        let mut change = Mutation::of(record, self.now());
        if at > change.now {
            schedule_expiry(&mut change);
        } else {
            change.record.envelope.status = EnvelopeStatus::Expired;
            change.record.envelope.finished_at = Some(change.now);
            let data = json!({"expires_at": crate::time::rfc3339(at)});
            change.event(EventKind::Expired, Actor::System, &ClientInfo::none(), data);
            schedule_callback(&mut change, "envelope.expired");
            crate::usecase::notify::notify_parties(&mut change, crate::model::NoticeKind::Expired);
        }
        self.commit(change).await.map(|_| ())
    }
}
