//! Account webhook endpoints, the deliveries made to them and each delivery's attempts.

use time::OffsetDateTime;

use crate::id::{AccountId, EnvelopeId, WebhookDeliveryId, WebhookEndpointId};
use crate::model::text_enum;

/// The event types an endpoint can subscribe to, as sent in a delivery's `type`.
pub const WEBHOOK_EVENT_TYPES: &[&str] = &[
    "envelope.sent",
    "envelope.viewed",
    "envelope.signed",
    "envelope.declined",
    "envelope.completed",
    "envelope.expired",
    "envelope.reactivated",
    "envelope.reminder_sent",
    "email.delivery_failed",
];

/// Attempts a delivery job makes before it is marked dead: with the retry schedule of the
/// `deliver_webhook` kind (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h) the last one is
/// about three days after the event.
pub const WEBHOOK_ATTEMPTS: i32 = 10;

/// Which event types an endpoint receives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subscription {
    /// Every type, including types added later.
    All,
    /// Only these (each one of [`WEBHOOK_EVENT_TYPES`], no duplicates).
    Only(Vec<String>),
}

impl Subscription {
    /// The stored form: `*`, or the types each surrounded by spaces (` a b `), so that SQL
    /// can find a type as the substring ` type `.
    pub fn stored(&self) -> String {
        match self {
            Self::All => "*".into(),
            Self::Only(types) => format!(" {} ", types.join(" ")),
        }
    }

    /// Reads the stored form back.
    pub fn from_stored(text: &str) -> Self {
        if text.trim() == "*" {
            Self::All
        } else {
            Self::Only(text.split_whitespace().map(str::to_string).collect())
        }
    }

    /// The API form: `["*"]` or the list.
    pub fn types(&self) -> Vec<String> {
        match self {
            Self::All => vec!["*".into()],
            Self::Only(types) => types.clone(),
        }
    }
}

/// An account's webhook endpoint. Its secrets are sealed under the master key: they must be
/// recovered to sign deliveries.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEndpoint {
    /// Its id.
    pub id: WebhookEndpointId,
    /// The account it belongs to.
    pub account_id: AccountId,
    /// Where deliveries are posted.
    pub url: String,
    /// A label for people.
    pub description: String,
    /// Disabled endpoints receive nothing.
    pub enabled: bool,
    /// The event types it receives.
    pub subscription: Subscription,
    /// The current signing secret (`whsec_…`), sealed.
    pub secret_sealed: Vec<u8>,
    /// The secret before the last rotation, sealed; still signs until `previous_secret_until`.
    pub previous_secret_sealed: Option<Vec<u8>>,
    /// End of the rotation's grace period.
    pub previous_secret_until: Option<OffsetDateTime>,
    /// Why Signet disabled it (a 410 answer), if it did.
    pub disabled_reason: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Not attempted yet (or re-sent and not attempted since).
    Pending,
    /// The last attempt got a 2xx answer.
    Succeeded,
    /// The last attempt failed; the job retries it until its attempts run out.
    Failed,
}
text_enum!(DeliveryStatus { Pending => "pending", Succeeded => "succeeded", Failed => "failed" });

/// One event sent to one endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookDelivery {
    /// Its id, sent as `webhook-id` on every attempt.
    pub id: WebhookDeliveryId,
    /// The account.
    pub account_id: AccountId,
    /// The endpoint.
    pub endpoint_id: WebhookEndpointId,
    /// The envelope the event is about.
    pub envelope_id: EnvelopeId,
    /// The event type (`envelope.signed`, …).
    pub event_type: String,
    /// The JSON body posted, fixed when the event happened.
    pub payload: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// The HTTP status of the last attempt, if the server answered.
    pub last_status_code: Option<i32>,
    /// The error of the last failed attempt.
    pub last_error: Option<String>,
    /// Creation time (the event's time).
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// One HTTP attempt of a delivery, as logged.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookAttempt {
    /// The delivery.
    pub delivery_id: WebhookDeliveryId,
    /// The account.
    pub account_id: AccountId,
    /// When it was made.
    pub attempted_at: OffsetDateTime,
    /// The HTTP status, if the server answered.
    pub status_code: Option<i32>,
    /// How long the request took, in milliseconds.
    pub duration_ms: i64,
    /// Why it failed (non-2xx status, refused target, connection error), if it did.
    pub error: Option<String>,
}

/// A webhook event produced by an envelope change, to fan out to the account's subscribed
/// endpoints in the same transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookMessage {
    /// The event type.
    pub event_type: &'static str,
    /// The JSON body to post.
    pub payload: String,
    /// When it happened.
    pub at: OffsetDateTime,
}
