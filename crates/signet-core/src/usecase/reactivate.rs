//! Reactivating an envelope a signer declined or that expired (the Auco "reactivate"): it goes
//! back in progress with a fresh expiry, declined signers get a new link (their old one stays
//! dead) and whoever may sign now is notified again.

use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::CoreError;
use crate::id::EnvelopeId;
use crate::model::{
    EnvelopeRecord, EnvelopeStatus, EventKind, Invitation, NoticeKind, Signer, SignerStatus,
};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::secret::SigningTokens;
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::expiry::schedule_expiry;
use crate::usecase::send::SigningLink;
use crate::usecase::settings::effective_reactivation_days;
use crate::usecase::signing::schedule_callback;
use crate::usecase::validate;

/// What reactivating did.
#[derive(Clone, Debug)]
pub struct Reactivated {
    /// The envelope as stored, in progress again.
    pub record: EnvelopeRecord,
    /// The e-mail signers notified again (invitation or reminder e-mail), in signing order.
    pub notified: Vec<Signer>,
    /// New links of declined `link` signers (shown only here).
    pub links: Vec<SigningLink>,
}

impl Signet {
    /// Puts a declined or expired envelope back in progress. `by_email` (the person doing it,
    /// recorded in the `reactivated` audit event) is required. Declined signers return to
    /// pending with a new link (the old one stays dead); e-mail signers whose turn it is are
    /// notified again; an expiry that has passed (or an expired envelope's) is recomputed as now
    /// plus the account's reactivation days; the callback URL hears `envelope.reactivated`.
    /// 409 `not_reactivatable` for any other status.
    pub async fn reactivate(
        &self,
        who: &Principal,
        id: EnvelopeId,
        by_email: &str,
        client: &ClientInfo,
    ) -> Result<Reactivated, CoreError> {
        let by_email = validate::email("email", by_email)?;
        let account = self
            .store_ref()
            .account(who.account_id)
            .await?
            .ok_or(CoreError::NotFound("account"))?;
        let days = effective_reactivation_days(&account);
        retrying(|| self.reactivate_once(who, id, &by_email, days, client)).await
    }

    async fn reactivate_once(
        &self,
        who: &Principal,
        id: EnvelopeId,
        by_email: &str,
        days: i32,
        client: &ClientInfo,
    ) -> Result<Reactivated, CoreError> {
        let record = self.load_visible(who, id).await?;
        let now = self.now();
        let why = reactivatable(&record, now)?;
        let mut change = Mutation::of(record, now);
        let previous_expiry = change.record.envelope.expires_at;
        let lapsed = why == EnvelopeStatus::Expired || previous_expiry.is_some_and(|at| at <= now);
        if lapsed {
            change.record.envelope.expires_at = Some(now + Duration::days(i64::from(days)));
        }
        change.record.envelope.status = EnvelopeStatus::InProgress;
        change.record.envelope.finished_at = None;
        let (renewed, links) = self.renew_declined(&mut change, who, client);
        let notified = notify_up_now(&mut change);
        let data = json!({
            "by_email": by_email,
            "previous_status": why.as_str(),
            "previous_expires_at": previous_expiry.map(crate::time::rfc3339),
            "expires_at": change.record.envelope.expires_at.map(crate::time::rfc3339),
            "renewed_signer_ids": renewed,
            "notified_signer_ids": notified.iter().map(|s| s.id).collect::<Vec<_>>(),
        });
        change.event(EventKind::Reactivated, who.actor(), client, data);
        schedule_callback(&mut change, "envelope.reactivated");
        schedule_expiry(&mut change);
        let record = self.commit(change).await?;
        Ok(Reactivated {
            record,
            notified,
            links,
        })
    }

    /// Declined signers back to pending with the next link generation; returns their ids and
    /// the new links of `link` signers.
    fn renew_declined(
        &self,
        change: &mut Mutation,
        who: &Principal,
        client: &ClientInfo,
    ) -> (Vec<crate::id::SignerId>, Vec<SigningLink>) {
        let declined: Vec<Signer> = change
            .record
            .signers
            .iter()
            .filter(|s| s.status == SignerStatus::Declined)
            .cloned()
            .collect();
        let mut renewed = Vec::new();
        let mut links = Vec::new();
        for mut signer in declined {
            signer.status = SignerStatus::Pending;
            signer.declined_at = None;
            signer.decline_reason = None;
            signer.evidence = None;
            signer.token_generation += 1;
            let token = self.keys().tokens.token(signer.id, signer.token_generation);
            signer.token_hash = Some(SigningTokens::hash(&token));
            if signer.invitation == Invitation::Link {
                links.push(SigningLink {
                    signer_id: signer.id,
                    url: self.signing_url(&token),
                });
                let data = json!({"signer_id": signer.id, "generation": signer.token_generation});
                change.event(EventKind::LinkIssued, who.actor(), client, data);
            }
            renewed.push(signer.id);
            change.put_signer(signer);
        }
        (renewed, links)
    }
}

/// Why the envelope may be reactivated (`Declined` or `Expired`), or 409 `not_reactivatable`.
fn reactivatable(
    record: &EnvelopeRecord,
    now: OffsetDateTime,
) -> Result<EnvelopeStatus, CoreError> {
    let envelope = &record.envelope;
    let lapsed = envelope.status == EnvelopeStatus::InProgress
        && envelope.expires_at.is_some_and(|at| at <= now);
    match envelope.status {
        EnvelopeStatus::Declined => Ok(EnvelopeStatus::Declined),
        EnvelopeStatus::Expired => Ok(EnvelopeStatus::Expired),
        _ if lapsed => Ok(EnvelopeStatus::Expired),
        status => Err(CoreError::conflict(
            "not_reactivatable",
            format!("only a declined or expired envelope can be reactivated; this one is {status}"),
        )),
    }
}

/// Notifies the e-mail signers whose turn it is now that the envelope is open again, each
/// with their current link (the new one for a renewed signer). Returns them.
fn notify_up_now(change: &mut Mutation) -> Vec<Signer> {
    let due: Vec<Signer> = change
        .record
        .signers_up_now()
        .into_iter()
        .filter(|s| s.invitation == Invitation::Email)
        .cloned()
        .collect();
    crate::usecase::notify::notify_parties(change, NoticeKind::Reactivated);
    due
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::id::{AccountId, UserId};
    use crate::model::{Envelope, SigningOrder};

    fn record(status: EnvelopeStatus, expires_at: Option<OffsetDateTime>) -> EnvelopeRecord {
        let at = datetime!(2026-01-01 0:00 UTC);
        EnvelopeRecord {
            envelope: Envelope {
                id: EnvelopeId::generate(),
                account_id: AccountId::generate(),
                created_by: UserId::generate(),
                title: "t".into(),
                message: None,
                external_key: None,
                signing_order: SigningOrder::Parallel,
                status,
                expires_at,
                callback_url: None,
                result_url: None,
                status_callbacks: false,
                statements: Vec::new(),
                extended_auth_session: false,
                proof: None,
                created_at: at,
                updated_at: at,
                sent_at: Some(at),
                finished_at: None,
                deleted_at: None,
                version: 3,
            },
            documents: Vec::new(),
            signers: Vec::new(),
            fields: Vec::new(),
            chain_head: None,
        }
    }

    #[test]
    fn only_declined_and_expired_envelopes_are_reactivatable() {
        let now = datetime!(2026-02-01 0:00 UTC);
        let past = Some(now - Duration::days(1));
        let future = Some(now + Duration::days(1));
        let cases = [
            (
                EnvelopeStatus::Declined,
                future,
                Some(EnvelopeStatus::Declined),
            ),
            (
                EnvelopeStatus::Declined,
                past,
                Some(EnvelopeStatus::Declined),
            ),
            (EnvelopeStatus::Expired, None, Some(EnvelopeStatus::Expired)),
            (
                EnvelopeStatus::InProgress,
                past,
                Some(EnvelopeStatus::Expired),
            ),
            (
                EnvelopeStatus::InProgress,
                Some(now),
                Some(EnvelopeStatus::Expired),
            ),
            (EnvelopeStatus::InProgress, future, None),
            (EnvelopeStatus::InProgress, None, None),
            (EnvelopeStatus::Draft, past, None),
            (EnvelopeStatus::Sealing, None, None),
            (EnvelopeStatus::Completed, past, None),
            (EnvelopeStatus::Canceled, None, None),
        ];
        for (status, expires_at, expected) in cases {
            let got = reactivatable(&record(status, expires_at), now);
            match expected {
                Some(why) => assert_eq!(got.ok(), Some(why), "{status:?} {expires_at:?}"),
                None => assert_eq!(
                    got.err().map(|e| e.code().to_string()),
                    Some("not_reactivatable".to_string()),
                    "{status:?} {expires_at:?}"
                ),
            }
        }
    }
}
