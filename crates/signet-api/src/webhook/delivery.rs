//! `/api/v1/webhooks/{id}/deliveries…`: what was sent to an endpoint, each delivery's
//! attempts, and re-sending one.

use axum::extract::State;
use axum::http::StatusCode;
use signet_core::id::{WebhookDeliveryId, WebhookEndpointId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{AttemptResponse, DeliveryDetailResponse, DeliveryList, DeliveryResponse};
use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Path};

/// The delivery routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhook_deliveries))
        .routes(routes!(get_webhook_delivery))
        .routes(routes!(resend_webhook_delivery))
}

/// An endpoint's deliveries, newest first (the latest 100).
#[utoipa::path(
    get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook endpoint id")),
    responses(
        (status = 200, description = "The deliveries", body = DeliveryList),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
        (status = 404, description = "No such endpoint in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn list_webhook_deliveries(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<DeliveryList>> {
    let id = WebhookEndpointId::from_uuid(id);
    let deliveries = state.signet.webhook_deliveries(&who, id).await?;
    let data = deliveries.iter().map(DeliveryResponse::from).collect();
    Ok(axum::Json(DeliveryList { data }))
}

/// One delivery with every attempt (time, HTTP status, duration, error).
#[utoipa::path(
    get, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}", tag = "webhooks",
    params(
        ("id" = Uuid, Path, description = "Webhook endpoint id"),
        ("delivery_id" = Uuid, Path, description = "Delivery id (its `webhook-id`)"),
    ),
    responses(
        (status = 200, description = "The delivery and its attempts", body = DeliveryDetailResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
        (status = 404, description = "No such endpoint or delivery in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn get_webhook_delivery(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path((id, delivery_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<axum::Json<DeliveryDetailResponse>> {
    let (id, delivery_id) = ids(id, delivery_id);
    let (delivery, attempts) = state.signet.webhook_delivery(&who, id, delivery_id).await?;
    Ok(axum::Json(DeliveryDetailResponse {
        delivery: DeliveryResponse::from(&delivery),
        attempt_log: attempts.iter().map(AttemptResponse::from).collect(),
    }))
}

/// Send a delivery again, whatever its status: same `webhook-id` and body, a fresh timestamp
/// and signature, and a new round of retries if it fails.
#[utoipa::path(
    post, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/resend", tag = "webhooks",
    params(
        ("id" = Uuid, Path, description = "Webhook endpoint id"),
        ("delivery_id" = Uuid, Path, description = "Delivery id (its `webhook-id`)"),
    ),
    responses(
        (status = 202, description = "Queued; the delivery, now pending", body = DeliveryResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
        (status = 404, description = "No such endpoint or delivery in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn resend_webhook_delivery(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path((id, delivery_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<(StatusCode, axum::Json<DeliveryResponse>)> {
    let (id, delivery_id) = ids(id, delivery_id);
    let delivery = state
        .signet
        .resend_webhook_delivery(&who, id, delivery_id)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(DeliveryResponse::from(&delivery)),
    ))
}

fn ids(id: Uuid, delivery: Uuid) -> (WebhookEndpointId, WebhookDeliveryId) {
    (
        WebhookEndpointId::from_uuid(id),
        WebhookDeliveryId::from_uuid(delivery),
    )
}
