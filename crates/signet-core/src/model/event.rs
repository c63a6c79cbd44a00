use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::id::{AccountId, ApiKeyId, EnvelopeId, OAuthClientId, SignerId, UserId};
use crate::model::text_enum;

/// What happened, in an audit event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The envelope was created.
    EnvelopeCreated,
    /// A document was uploaded.
    DocumentAdded,
    /// A recipient was added.
    SignerAdded,
    /// The envelope was sent.
    EnvelopeSent,
    /// A signing link was issued for a link-invitation signer.
    LinkIssued,
    /// The sender asked for a reminder to be e-mailed to signers.
    ReminderRequested,
    /// A party fetched a sealed document through the download link of the completed e-mail.
    DownloadLinkOpened,
    /// An invitation e-mail was accepted by the mail server.
    InvitationEmailed,
    /// An invitation e-mail could not be delivered (it will be retried).
    InvitationFailed,
    /// A signer opened the envelope for the first time.
    Viewed,
    /// A signer consented to sign electronically.
    ConsentGiven,
    /// A signer signed (or an approver approved).
    Signed,
    /// A signer declined.
    Declined,
    /// All signers are done; sealing was scheduled.
    SealingScheduled,
    /// Sealing could not finish because the time-stamping authority failed; it is retried.
    SealingDelayed,
    /// The documents and the proof were sealed.
    Sealed,
    /// The envelope was completed.
    Completed,
    /// The term passed before everyone had signed.
    Expired,
    /// The sender canceled the envelope.
    Canceled,
    /// The sender deleted the envelope.
    Deleted,
    /// The callback URL answered with a success status.
    CallbackDelivered,
    /// The callback URL could not be reached or answered with an error (it will be retried).
    CallbackFailed,
    /// A draft's settings, documents or recipients were changed in place.
    DraftUpdated,
    /// The sender extended the signing term.
    TermExtended,
    /// A signer's contact details were changed (a new link replaces the old one).
    SignerUpdated,
    /// A recipient was removed from a draft.
    SignerRemoved,
    /// A declined or expired envelope was put back in progress.
    Reactivated,
    /// The sender changed the callback URL or the result URL.
    UrlsChanged,
    /// A notice e-mail (sent, completed, declined, expired, reactivated, term extended) was
    /// accepted by the mail server.
    NoticeEmailed,
    /// An e-mail to a party was refused for good (a permanent SMTP rejection, or its last
    /// retry failed); it is not tried again.
    DeliveryFailed,
    /// A one-time code was sent to a signer (channel and masked destination).
    OtpSent,
    /// A one-time code could not be sent (it does not count against the signer's limit).
    OtpSendFailed,
    /// A signer entered the right one-time code; their browser session is verified.
    OtpVerified,
    /// A signer entered a wrong one-time code (attempt count and attempts left).
    OtpFailed,
    /// A signer logged in at their OpenID Connect identity provider: provider, issuer,
    /// subject, the verified claims and the ID token's SHA-256; their browser session is
    /// verified.
    IdentityVerified,
    /// A login at the signer's identity provider failed (denied, wrong state, bad token).
    IdentityFailed,
    /// A signer counted as verified without a new code or login: their browser held an
    /// extended authentication session from a verification on another envelope of the account
    /// (method, that envelope and signer, the original verification's time and event).
    AuthenticationReused,
}
text_enum!(EventKind {
    EnvelopeCreated => "envelope_created",
    DocumentAdded => "document_added",
    SignerAdded => "signer_added",
    EnvelopeSent => "envelope_sent",
    LinkIssued => "link_issued",
    ReminderRequested => "reminder_requested",
    DownloadLinkOpened => "download_link_opened",
    InvitationEmailed => "invitation_emailed",
    InvitationFailed => "invitation_failed",
    Viewed => "viewed",
    ConsentGiven => "consent_given",
    Signed => "signed",
    Declined => "declined",
    SealingScheduled => "sealing_scheduled",
    SealingDelayed => "sealing_delayed",
    Sealed => "sealed",
    Completed => "completed",
    Expired => "expired",
    Canceled => "canceled",
    Deleted => "deleted",
    CallbackDelivered => "callback_delivered",
    CallbackFailed => "callback_failed",
    DraftUpdated => "draft_updated",
    TermExtended => "term_extended",
    SignerUpdated => "signer_updated",
    SignerRemoved => "signer_removed",
    Reactivated => "reactivated",
    UrlsChanged => "urls_changed",
    NoticeEmailed => "notice_emailed",
    DeliveryFailed => "delivery_failed",
    OtpSent => "otp_sent",
    OtpSendFailed => "otp_send_failed",
    OtpVerified => "otp_verified",
    OtpFailed => "otp_failed",
    IdentityVerified => "identity_verified",
    IdentityFailed => "identity_failed",
    AuthenticationReused => "authentication_reused",
});

/// Who caused an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    /// Signet itself (a background job).
    System,
    /// A user acting through an API key.
    ApiKey {
        /// The key used.
        key_id: ApiKeyId,
        /// The user the key acts as.
        user_id: UserId,
    },
    /// A user acting through an OAuth2 access token issued to a client.
    #[serde(rename = "oauth_client")]
    OAuthClient {
        /// The client the token was issued to.
        client_id: OAuthClientId,
        /// The user the token acts for.
        user_id: UserId,
    },
    /// A user acting in person, logged in to the web pages.
    User {
        /// The user.
        user_id: UserId,
    },
    /// A signer acting through their signing link.
    Signer {
        /// The signer.
        signer_id: SignerId,
    },
}

/// The sequence number and hash of the newest event of an envelope's chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainHead {
    /// Sequence number (1-based).
    pub seq: i64,
    /// Its hash.
    pub hash: [u8; 32],
}

/// One entry of an envelope's append-only, hash-chained audit trail.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEvent {
    /// The envelope.
    pub envelope_id: EnvelopeId,
    /// The envelope's account.
    pub account_id: AccountId,
    /// 1-based position in the envelope's chain.
    pub seq: i64,
    /// When it happened (UTC, microsecond precision).
    pub at: OffsetDateTime,
    /// What happened.
    pub kind: EventKind,
    /// Who did it.
    pub actor: Actor,
    /// Client IP, for events caused by a request.
    pub ip: Option<String>,
    /// Client User-Agent, for events caused by a request.
    pub user_agent: Option<String>,
    /// Details specific to the kind.
    pub data: Value,
    /// Hash of the previous event (zeros for the first).
    pub prev_hash: [u8; 32],
    /// SHA-256 of `prev_hash` followed by the canonical JSON of every other field.
    pub hash: [u8; 32],
}

/// The outcome of re-computing an envelope's chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// True when every link and hash checks out.
    pub ok: bool,
    /// How many events were checked.
    pub events: usize,
    /// The first event whose link or hash is wrong.
    pub first_bad_seq: Option<i64>,
}

/// The fields of an event that enter its hash, in a fixed order.
#[derive(Serialize)]
struct Hashed<'a> {
    envelope_id: EnvelopeId,
    account_id: AccountId,
    seq: i64,
    at: String,
    kind: &'static str,
    actor: &'a Actor,
    ip: &'a Option<String>,
    user_agent: &'a Option<String>,
    data: &'a Value,
}

impl AuditEvent {
    /// The hash this event must carry, computed from its content and `prev_hash`.
    pub fn compute_hash(&self) -> [u8; 32] {
        let hashed = Hashed {
            envelope_id: self.envelope_id,
            account_id: self.account_id,
            seq: self.seq,
            at: crate::time::rfc3339(self.at),
            kind: self.kind.as_str(),
            actor: &self.actor,
            ip: &self.ip,
            user_agent: &self.user_agent,
            data: &self.data,
        };
        let json = serde_json::to_value(&hashed)
            .map(|v| canonical_text(&v))
            .unwrap_or_default();
        let mut hasher = Sha256::new();
        hasher.update(self.prev_hash);
        hasher.update(json.as_bytes());
        hasher.finalize().into()
    }

    /// Re-computes a chain (events in `seq` order) and reports the first broken link.
    pub fn verify_chain(events: &[AuditEvent]) -> ChainReport {
        let mut prev = [0u8; 32];
        for (index, event) in events.iter().enumerate() {
            let expected_seq = index as i64 + 1;
            if event.seq != expected_seq
                || event.prev_hash != prev
                || event.compute_hash() != event.hash
            {
                return ChainReport {
                    ok: false,
                    events: events.len(),
                    first_bad_seq: Some(event.seq),
                };
            }
            prev = event.hash;
        }
        ChainReport {
            ok: true,
            events: events.len(),
            first_bad_seq: None,
        }
    }
}

/// Canonical JSON text: keys sorted at every level, no whitespace.
fn canonical_text(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let parts: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), canonical_text(v)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(canonical_text).collect();
            format!("[{}]", parts.join(","))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    fn event(seq: i64, prev_hash: [u8; 32], data: Value) -> AuditEvent {
        let mut e = AuditEvent {
            envelope_id: EnvelopeId::from_uuid(uuid::Uuid::nil()),
            account_id: AccountId::from_uuid(uuid::Uuid::nil()),
            seq,
            at: datetime!(2026-11-23 10:00:00.5 UTC),
            kind: EventKind::Viewed,
            actor: Actor::System,
            ip: Some("127.0.0.1".into()),
            user_agent: None,
            data,
            prev_hash,
            hash: [0; 32],
        };
        e.hash = e.compute_hash();
        e
    }

    fn chain() -> Vec<AuditEvent> {
        let a = event(1, [0; 32], json!({"b": 1, "a": [1, {"z": 2, "y": 3}]}));
        let b = event(2, a.hash, json!({}));
        let c = event(3, b.hash, json!({"reason": "x"}));
        vec![a, b, c]
    }

    #[test]
    fn an_intact_chain_verifies() {
        let report = AuditEvent::verify_chain(&chain());
        assert!(report.ok);
        assert_eq!(report.events, 3);
    }

    #[test]
    fn a_changed_field_breaks_the_chain_at_that_event() {
        let mut events = chain();
        events[1].ip = Some("1.2.3.4".into());
        assert_eq!(AuditEvent::verify_chain(&events).first_bad_seq, Some(2));
    }

    #[test]
    fn a_removed_event_breaks_the_chain() {
        let mut events = chain();
        events.remove(1);
        assert!(!AuditEvent::verify_chain(&events).ok);
    }

    #[test]
    fn key_order_in_data_does_not_change_the_hash() {
        let a = event(1, [0; 32], json!({"b": 1, "a": 2}));
        let mut reordered = serde_json::Map::new();
        reordered.insert("a".into(), json!(2));
        reordered.insert("b".into(), json!(1));
        let b = event(1, [0; 32], Value::Object(reordered));
        assert_eq!(a.hash, b.hash);
    }
}
