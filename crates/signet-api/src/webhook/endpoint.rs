//! `/api/v1/webhooks` and `/api/v1/webhooks/{id}`: create, list, show, change and delete
//! endpoints, and rotate an endpoint's secret.

use axum::extract::State;
use axum::http::StatusCode;
use signet_core::id::WebhookEndpointId;
use signet_core::usecase::webhook::{NewWebhook, WebhookUpdate};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{
    CreateWebhookRequest, RotateSecretRequest, UpdateWebhookRequest, WebhookList, WebhookResponse,
    WebhookWithSecretResponse,
};
use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, OptionalJson, Path};

/// The endpoint routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(get_webhook, update_webhook, delete_webhook))
        .routes(routes!(rotate_webhook_secret))
}

/// Register a webhook endpoint. Its signing secret is in this response only.
#[utoipa::path(
    post, path = "/api/v1/webhooks", tag = "webhooks",
    request_body = CreateWebhookRequest,
    responses(
        (status = 201, description = "The endpoint, with its secret shown once", body = WebhookWithSecretResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
        (status = 422, description = "`invalid_url`, `url_not_allowed` (a non-public address), `invalid_event_type`, `invalid_field` or `invalid_body`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn create_webhook(
    State(state): State<AppState>,
    Auth(who): Auth,
    Json(body): Json<CreateWebhookRequest>,
) -> ApiResult<(StatusCode, axum::Json<WebhookWithSecretResponse>)> {
    let new = NewWebhook {
        url: body.url,
        description: body.description,
        enabled: body.enabled,
        event_types: body.event_types,
    };
    let created = state.signet.create_webhook(&who, new).await?;
    Ok((StatusCode::CREATED, axum::Json(created.into())))
}

/// The account's webhook endpoints, oldest first; never their secrets.
#[utoipa::path(
    get, path = "/api/v1/webhooks", tag = "webhooks",
    responses(
        (status = 200, description = "The endpoints", body = WebhookList),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn list_webhooks(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> ApiResult<axum::Json<WebhookList>> {
    let endpoints = state.signet.list_webhooks(&who).await?;
    let data = endpoints.iter().map(WebhookResponse::from).collect();
    Ok(axum::Json(WebhookList { data }))
}

/// One webhook endpoint.
#[utoipa::path(
    get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook endpoint id")),
    responses(
        (status = 200, description = "The endpoint", body = WebhookResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
        (status = 404, description = "No such endpoint in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn get_webhook(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<WebhookResponse>> {
    let id = WebhookEndpointId::from_uuid(id);
    let endpoint = state.signet.webhook(&who, id).await?;
    Ok(axum::Json(WebhookResponse::from(&endpoint)))
}

/// Change a webhook endpoint (URL, description, on/off, event types).
#[utoipa::path(
    patch, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook endpoint id")),
    request_body = UpdateWebhookRequest,
    responses(
        (status = 200, description = "The endpoint as changed", body = WebhookResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
        (status = 404, description = "No such endpoint in your account", body = ErrorBody),
        (status = 422, description = "`invalid_url`, `url_not_allowed`, `invalid_event_type`, `invalid_field` or `invalid_body`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn update_webhook(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
    Json(body): Json<UpdateWebhookRequest>,
) -> ApiResult<axum::Json<WebhookResponse>> {
    let update = WebhookUpdate {
        url: body.url,
        description: body.description,
        enabled: body.enabled,
        event_types: body.event_types,
    };
    let id = WebhookEndpointId::from_uuid(id);
    let endpoint = state.signet.update_webhook(&who, id, update).await?;
    Ok(axum::Json(WebhookResponse::from(&endpoint)))
}

/// Delete a webhook endpoint with its delivery log; queued deliveries to it are dropped.
#[utoipa::path(
    delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook endpoint id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
        (status = 404, description = "No such endpoint in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn delete_webhook(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    let id = WebhookEndpointId::from_uuid(id);
    state.signet.delete_webhook(&who, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Give an endpoint a new signing secret (shown once). During the grace period every delivery
/// carries two signatures in `webhook-signature`: the new secret's and the old one's.
#[utoipa::path(
    post, path = "/api/v1/webhooks/{id}/secret/rotate", tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook endpoint id")),
    request_body = RotateSecretRequest,
    responses(
        (status = 200, description = "The endpoint with its new secret", body = WebhookWithSecretResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
        (status = 404, description = "No such endpoint in your account", body = ErrorBody),
        (status = 422, description = "`invalid_grace_period` or `invalid_body`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn rotate_webhook_secret(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
    OptionalJson(body): OptionalJson<RotateSecretRequest>,
) -> ApiResult<axum::Json<WebhookWithSecretResponse>> {
    let seconds = body.grace_period_seconds.unwrap_or(86_400);
    let grace = time::Duration::seconds(seconds);
    let id = WebhookEndpointId::from_uuid(id);
    let rotated = state.signet.rotate_webhook_secret(&who, id, grace).await?;
    Ok(axum::Json(rotated.into()))
}
