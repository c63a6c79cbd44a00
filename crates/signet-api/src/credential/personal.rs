//! `/api/v1/personal-access-tokens`: every user creates, lists and revokes their own tokens
//! (`pat_…`); owners and admins may also revoke anyone's in the account.

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

/// The personal access token routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_personal_token, list_personal_tokens))
        .routes(routes!(revoke_personal_token))
}

/// Create a personal access token (`pat_…`) for yourself, valid 30 days unless `expires_at`
/// says otherwise (the default is `SIGNET_PAT_TTL_DAYS`). Its text is in this response only.
#[utoipa::path(
    post, path = "/api/v1/personal-access-tokens", tag = "credentials",
    request_body = CreateCredentialRequest,
    responses(
        (status = 201, description = "The token, with its text shown once", body = CreatedCredentialResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` (no `write` scope)", body = ErrorBody),
        (status = 422, description = "`invalid_scope` (more than you hold), `invalid_expiry`, `invalid_field` or `invalid_body`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn create_personal_token(
    State(state): State<AppState>,
    Auth(who): Auth,
    Json(body): Json<CreateCredentialRequest>,
) -> ApiResult<(StatusCode, axum::Json<CreatedCredentialResponse>)> {
    let new = body.into_new()?;
    let created = state.signet.create_personal_token(&who, new).await?;
    Ok((StatusCode::CREATED, axum::Json(created.into())))
}

/// Your personal access tokens, oldest first, revoked and expired ones included; never their
/// secrets.
#[utoipa::path(
    get, path = "/api/v1/personal-access-tokens", tag = "credentials",
    responses(
        (status = 200, description = "Your tokens", body = CredentialList),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn list_personal_tokens(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> ApiResult<axum::Json<CredentialList>> {
    let tokens = state.signet.list_personal_tokens(&who).await?;
    Ok(axum::Json(CredentialList::of(&tokens)))
}

/// Revoke a personal access token: your own, or as an owner or admin anyone's in the account.
/// It stops working at once; revoking a revoked token is a success too.
#[utoipa::path(
    delete, path = "/api/v1/personal-access-tokens/{id}", tag = "credentials",
    params(("id" = Uuid, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope`", body = ErrorBody),
        (status = 404, description = "No such token that you may revoke", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn revoke_personal_token(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .signet
        .revoke_personal_token(&who, ApiKeyId::from_uuid(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
