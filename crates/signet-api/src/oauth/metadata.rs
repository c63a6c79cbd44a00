//! `GET /.well-known/oauth-authorization-server`: the RFC 8414 metadata.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;

/// The authorization server's metadata (RFC 8414 §2).
#[derive(Serialize, ToSchema)]
pub struct ServerMetadata {
    /// This instance's public URL.
    pub issuer: String,
    /// Where users approve clients.
    pub authorization_endpoint: String,
    /// Where clients get tokens.
    pub token_endpoint: String,
    /// Where clients revoke tokens.
    pub revocation_endpoint: String,
    /// `["code"]`.
    pub response_types_supported: Vec<&'static str>,
    /// The grant types.
    pub grant_types_supported: Vec<&'static str>,
    /// `read`, `write`, `admin`.
    pub scopes_supported: Vec<&'static str>,
    /// `client_secret_basic`, `client_secret_post`, `none` (public clients).
    pub token_endpoint_auth_methods_supported: Vec<&'static str>,
    /// The same, for revocation.
    pub revocation_endpoint_auth_methods_supported: Vec<&'static str>,
    /// `["S256"]`.
    pub code_challenge_methods_supported: Vec<&'static str>,
}

/// The OAuth2 authorization server metadata (RFC 8414).
#[utoipa::path(
    get, path = "/.well-known/oauth-authorization-server", tag = "oauth",
    responses((status = 200, description = "The metadata", body = ServerMetadata))
)]
pub async fn metadata(State(state): State<AppState>) -> axum::Json<ServerMetadata> {
    let issuer = state.signet.config().public_url.clone();
    let auth_methods = vec!["client_secret_basic", "client_secret_post", "none"];
    axum::Json(ServerMetadata {
        authorization_endpoint: format!("{issuer}/oauth/authorize"),
        token_endpoint: format!("{issuer}/oauth/token"),
        revocation_endpoint: format!("{issuer}/oauth/revoke"),
        issuer,
        response_types_supported: vec!["code"],
        grant_types_supported: vec!["authorization_code", "refresh_token", "client_credentials"],
        scopes_supported: signet_core::model::Scope::ALL
            .iter()
            .map(|s| s.as_str())
            .collect(),
        token_endpoint_auth_methods_supported: auth_methods.clone(),
        revocation_endpoint_auth_methods_supported: auth_methods,
        code_challenge_methods_supported: vec!["S256"],
    })
}
