//! The OAuth2 authorization server's machine endpoints: client registration under
//! `/api/v1/oauth/clients`, the token endpoint, revocation and the RFC 8414 metadata (the
//! browser side, `/oauth/authorize` and the login, is in [`crate::web`]). The token and
//! revocation endpoints answer errors in the OAuth shape (RFC 6749 §5.2), not Signet's, since
//! OAuth client libraries parse them.

mod client;
mod metadata;
mod token;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// Client registration under `/api/v1/oauth/clients` (Bearer, `admin`).
pub fn client_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(client::list_clients, client::create_client))
        .routes(routes!(client::get_client, client::delete_client))
}

/// The token and revocation endpoints (client authentication, rate-limited as `Token`).
pub fn token_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(token::token))
        .routes(routes!(token::stiply_token))
        .routes(routes!(token::revoke))
}

/// The RFC 8414 metadata (public).
pub fn metadata_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(metadata::metadata))
}
