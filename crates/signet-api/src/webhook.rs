//! `/api/v1/webhooks`: the account's webhook endpoints (owners and admins with the `admin`
//! scope), their secrets, and the log of what was delivered to them. The wire types.

mod delivery;
mod endpoint;

use serde::{Deserialize, Serialize};
use signet_core::model::{WebhookAttempt, WebhookDelivery, WebhookEndpoint};
use signet_core::usecase::webhook::WebhookWithSecret;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::AppState;
use crate::json::{ts, ts_opt};

/// The webhook routes.
pub fn routes() -> OpenApiRouter<AppState> {
    endpoint::routes().merge(delivery::routes())
}

/// A new webhook endpoint.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// Where to post (http or https). Its host must resolve to public addresses only, unless
    /// the operator allows private targets (`SIGNET_ALLOW_PRIVATE_CALLBACKS`).
    pub url: String,
    /// A label for people (at most 500 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// Default true.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Event types to receive (`envelope.sent`, `envelope.viewed`, `envelope.signed`,
    /// `envelope.declined`, `envelope.completed`, `envelope.expired`, `envelope.reactivated`,
    /// `envelope.reminder_sent`, `email.delivery_failed`); empty, absent or `["*"]`: all.
    #[serde(default)]
    pub event_types: Option<Vec<String>>,
}

/// Changes to a webhook endpoint; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookRequest {
    /// A new URL (checked like a new endpoint's).
    #[serde(default)]
    pub url: Option<String>,
    /// A new label.
    #[serde(default)]
    pub description: Option<String>,
    /// Turn it on or off; turning it on clears `disabled_reason`.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// New event types (as at creation).
    #[serde(default)]
    pub event_types: Option<Vec<String>>,
}

/// Rotating an endpoint's signing secret.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RotateSecretRequest {
    /// How long the old secret keeps signing beside the new one, in seconds (0 to 604800;
    /// default 86400, one day).
    #[serde(default)]
    pub grace_period_seconds: Option<i64>,
}

/// A webhook endpoint, without its secret.
#[derive(Serialize, ToSchema)]
pub struct WebhookResponse {
    /// Its id.
    pub id: Uuid,
    /// Where deliveries are posted.
    pub url: String,
    /// Its label.
    pub description: String,
    /// Whether it receives deliveries.
    pub enabled: bool,
    /// The event types it receives (`["*"]`: all).
    pub event_types: Vec<String>,
    /// Why Signet disabled it (the endpoint answered 410 Gone), if it did.
    pub disabled_reason: Option<String>,
    /// Until when the secret before the last rotation still signs (beside the current one).
    pub previous_secret_expires_at: Option<String>,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

impl From<&WebhookEndpoint> for WebhookResponse {
    fn from(e: &WebhookEndpoint) -> Self {
        Self {
            id: e.id.as_uuid(),
            url: e.url.clone(),
            description: e.description.clone(),
            enabled: e.enabled,
            event_types: e.subscription.types(),
            disabled_reason: e.disabled_reason.clone(),
            previous_secret_expires_at: ts_opt(e.previous_secret_until),
            created_at: ts(e.created_at),
            updated_at: ts(e.updated_at),
        }
    }
}

/// A webhook endpoint with its signing secret, which is shown only in this response.
#[derive(Serialize, ToSchema)]
pub struct WebhookWithSecretResponse {
    /// The endpoint.
    #[serde(flatten)]
    pub webhook: WebhookResponse,
    /// The `whsec_…` secret that signs deliveries (Standard Webhooks). Signet keeps it
    /// encrypted; it is not shown again.
    pub secret: String,
}

impl From<WebhookWithSecret> for WebhookWithSecretResponse {
    fn from(created: WebhookWithSecret) -> Self {
        Self {
            webhook: WebhookResponse::from(&created.endpoint),
            secret: created.secret,
        }
    }
}

/// The account's webhook endpoints, oldest first.
#[derive(Serialize, ToSchema)]
pub struct WebhookList {
    /// The endpoints.
    pub data: Vec<WebhookResponse>,
}

/// One event sent (or to be sent) to one endpoint.
#[derive(Serialize, ToSchema)]
pub struct DeliveryResponse {
    /// Its id: the `webhook-id` header of every attempt.
    pub id: Uuid,
    /// The endpoint.
    pub webhook_id: Uuid,
    /// The envelope the event is about.
    pub envelope_id: Uuid,
    /// The event type.
    pub event_type: String,
    /// `pending`, `succeeded` or `failed` (the last attempt failed; retries follow for about
    /// three days).
    pub status: String,
    /// Attempts made.
    pub attempts: i32,
    /// The HTTP status of the last attempt, if the endpoint answered.
    pub last_status_code: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The JSON body posted.
    pub payload: serde_json::Value,
    /// When the event happened (RFC 3339).
    pub created_at: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

impl From<&WebhookDelivery> for DeliveryResponse {
    fn from(d: &WebhookDelivery) -> Self {
        Self {
            id: d.id.as_uuid(),
            webhook_id: d.endpoint_id.as_uuid(),
            envelope_id: d.envelope_id.as_uuid(),
            event_type: d.event_type.clone(),
            status: d.status.as_str().into(),
            attempts: d.attempts,
            last_status_code: d.last_status_code,
            last_error: d.last_error.clone(),
            payload: serde_json::from_str(&d.payload).unwrap_or(serde_json::Value::Null),
            created_at: ts(d.created_at),
            updated_at: ts(d.updated_at),
        }
    }
}

/// An endpoint's deliveries, newest first (the latest 100).
#[derive(Serialize, ToSchema)]
pub struct DeliveryList {
    /// The deliveries.
    pub data: Vec<DeliveryResponse>,
}

/// One HTTP attempt of a delivery.
#[derive(Serialize, ToSchema)]
pub struct AttemptResponse {
    /// When it was made (RFC 3339).
    pub attempted_at: String,
    /// The HTTP status, if the endpoint answered.
    pub status_code: Option<i32>,
    /// How long the request took, in milliseconds.
    pub duration_ms: i64,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

impl From<&WebhookAttempt> for AttemptResponse {
    fn from(a: &WebhookAttempt) -> Self {
        Self {
            attempted_at: ts(a.attempted_at),
            status_code: a.status_code,
            duration_ms: a.duration_ms,
            error: a.error.clone(),
        }
    }
}

/// A delivery with every attempt, oldest first.
#[derive(Serialize, ToSchema)]
pub struct DeliveryDetailResponse {
    /// The delivery.
    #[serde(flatten)]
    pub delivery: DeliveryResponse,
    /// Its attempts.
    pub attempt_log: Vec<AttemptResponse>,
}
