//! `/api/v1/oauth/clients`: register, list, read and delete the account's OAuth2 clients
//! (owners and admins, with the `admin` scope).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use signet_core::id::OAuthClientId;
use signet_core::model::OAuthClient;
use signet_core::usecase::oauth::client::{NewOAuthClient, parse_grants, parse_scopes};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Path};

/// Registers a client.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOAuthClientRequest {
    /// Shown to users on the consent page.
    pub name: String,
    /// Exact redirect URIs: absolute `https`, or `http` on a loopback host.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// A confidential client gets a secret; a public one must use PKCE. Default true.
    #[serde(default = "yes")]
    pub confidential: bool,
    /// `authorization_code`, `refresh_token`, `client_credentials`; default: all the client
    /// type allows (public clients cannot use `client_credentials`).
    pub grants: Option<Vec<String>>,
    /// Space-separated scopes (`read write admin`); default: all your role allows.
    pub scope: Option<String>,
}

fn yes() -> bool {
    true
}

/// An OAuth2 client.
#[derive(Serialize, ToSchema)]
pub struct OAuthClientResponse {
    /// The `client_id`.
    pub client_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Whether it has a secret.
    pub confidential: bool,
    /// Its grant types.
    pub grants: Vec<String>,
    /// Its scopes, space-separated.
    pub scope: String,
    /// The user tokens from the client-credentials grant act for.
    pub user_id: Uuid,
    /// Registration time.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The client secret: only in the response to its creation, never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

impl From<OAuthClient> for OAuthClientResponse {
    fn from(c: OAuthClient) -> Self {
        Self {
            client_id: c.id.as_uuid(),
            confidential: c.is_confidential(),
            name: c.name,
            redirect_uris: c.redirect_uris,
            grants: c.grants.iter().map(|g| g.as_str().to_owned()).collect(),
            scope: c.scopes.to_string(),
            user_id: c.user_id.as_uuid(),
            created_at: c.created_at,
            client_secret: None,
        }
    }
}

/// The account's clients.
#[derive(Serialize, ToSchema)]
pub struct OAuthClientList {
    /// Oldest first.
    pub data: Vec<OAuthClientResponse>,
}

/// Register an OAuth2 client. The response carries the client secret, shown only now.
#[utoipa::path(
    post, path = "/api/v1/oauth/clients", tag = "oauth",
    request_body = CreateOAuthClientRequest,
    responses(
        (status = 201, description = "Registered", body = OAuthClientResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "Not an owner or admin, or no `admin` scope", body = ErrorBody),
        (status = 422, description = "`invalid_redirect_uri`, `invalid_grant_type`, `invalid_scope` or `invalid_body`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn create_client(
    State(state): State<AppState>,
    Auth(who): Auth,
    Json(body): Json<CreateOAuthClientRequest>,
) -> ApiResult<(StatusCode, axum::Json<OAuthClientResponse>)> {
    let new = NewOAuthClient {
        name: body.name,
        redirect_uris: body.redirect_uris,
        confidential: body.confidential,
        grants: body.grants.as_deref().map(parse_grants).transpose()?,
        scopes: body.scope.as_deref().map(parse_scopes).transpose()?,
    };
    let created = state.signet.create_oauth_client(&who, new).await?;
    let mut response = OAuthClientResponse::from(created.client);
    response.client_secret = created.client_secret;
    Ok((StatusCode::CREATED, axum::Json(response)))
}

/// List the account's OAuth2 clients.
#[utoipa::path(
    get, path = "/api/v1/oauth/clients", tag = "oauth",
    responses(
        (status = 200, description = "The clients", body = OAuthClientList),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "Not an owner or admin, or no `admin` scope", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn list_clients(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> ApiResult<axum::Json<OAuthClientList>> {
    let clients = state.signet.list_oauth_clients(&who).await?;
    Ok(axum::Json(OAuthClientList {
        data: clients.into_iter().map(Into::into).collect(),
    }))
}

/// One OAuth2 client of the account.
#[utoipa::path(
    get, path = "/api/v1/oauth/clients/{id}", tag = "oauth",
    params(("id" = Uuid, Path, description = "The client_id")),
    responses(
        (status = 200, description = "The client", body = OAuthClientResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "Not an owner or admin, or no `admin` scope", body = ErrorBody),
        (status = 404, description = "No such client in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn get_client(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<OAuthClientResponse>> {
    let client = state
        .signet
        .oauth_client(&who, OAuthClientId::from_uuid(id))
        .await?;
    Ok(axum::Json(client.into()))
}

/// Delete an OAuth2 client; its codes and tokens stop working at once.
#[utoipa::path(
    delete, path = "/api/v1/oauth/clients/{id}", tag = "oauth",
    params(("id" = Uuid, Path, description = "The client_id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "Not an owner or admin, or no `admin` scope", body = ErrorBody),
        (status = 404, description = "No such client in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn delete_client(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .signet
        .delete_oauth_client(&who, OAuthClientId::from_uuid(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
