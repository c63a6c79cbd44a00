//! `/api/v1/api-keys`: create, list and revoke the account's API keys (owners and admins with
//! the `admin` scope).

use axum::extract::State;
use axum::http::StatusCode;
use signet_core::id::ApiKeyId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{CreateCredentialRequest, CreatedCredentialResponse, CredentialList};
use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Path};

/// The API key routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_api_key, list_api_keys))
        .routes(routes!(revoke_api_key))
}

/// Create an API key (`sk_…`) acting as you. Its text is in this response only.
#[utoipa::path(
    post, path = "/api/v1/api-keys", tag = "credentials",
    request_body = CreateCredentialRequest,
    responses(
        (status = 201, description = "The key, with its text shown once", body = CreatedCredentialResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` (no `admin` scope) or `forbidden` (not an owner or admin)", body = ErrorBody),
        (status = 422, description = "`invalid_scope`, `invalid_expiry`, `invalid_field` or `invalid_body`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn create_api_key(
    State(state): State<AppState>,
    Auth(who): Auth,
    Json(body): Json<CreateCredentialRequest>,
) -> ApiResult<(StatusCode, axum::Json<CreatedCredentialResponse>)> {
    let created = state.signet.create_api_key(&who, body.into_new()?).await?;
    Ok((StatusCode::CREATED, axum::Json(created.into())))
}

/// The account's API keys, oldest first, revoked ones included; never their secrets.
#[utoipa::path(
    get, path = "/api/v1/api-keys", tag = "credentials",
    responses(
        (status = 200, description = "The account's API keys", body = CredentialList),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn list_api_keys(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> ApiResult<axum::Json<CredentialList>> {
    let keys = state.signet.list_api_keys(&who).await?;
    Ok(axum::Json(CredentialList::of(&keys)))
}

/// Revoke an API key: it stops working at once. Revoking a revoked key is a success too.
#[utoipa::path(
    delete, path = "/api/v1/api-keys/{id}", tag = "credentials",
    params(("id" = Uuid, Path, description = "API key id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden`", body = ErrorBody),
        (status = 404, description = "No such API key in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .signet
        .revoke_api_key(&who, ApiKeyId::from_uuid(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
