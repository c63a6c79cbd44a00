//! OKdokument at `/okdokument/JSON`: signature requests made, read and updated
//! (`sendInfoURL`, `resulturl`) with the account's API key in `x-api-key`.
//!
//! A signature request is a Signet envelope; its `signatureRequestId` is the envelope id.
//! `sendInfoURL` is the envelope's callback URL, called on every status change (sent,
//! reactivated, completed, declined, canceled); `resulturl` is the envelope's result URL, where a
//! signer's browser goes after signing (`docs/dialects.md`).

mod auth;
mod error;
mod json;
mod request;
mod update;

use axum::http::Method;

use super::DialectRoutes;

/// The OKdokument routes.
pub(super) fn routes() -> DialectRoutes {
    DialectRoutes::new("okdokument", "/okdokument/JSON")
        .route(Method::POST, "/signatureRequest", request::create_request)
        .route(Method::PATCH, "/signatureRequest", update::update_request)
        .route(
            Method::GET,
            "/signatureRequest/{signatureRequestId}",
            request::get_request,
        )
}

/// Where a signature request is shown: its `GET` URL.
fn request_url(state: &crate::AppState, id: &str) -> String {
    format!(
        "{}/okdokument/JSON/signatureRequest/{id}",
        state.signet.config().public_url
    )
}
