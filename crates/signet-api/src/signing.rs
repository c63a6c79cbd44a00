//! The embedded-signing API under `/api/v1/signing/{token}`: what the signing page uses, and
//! what an integrator embedding signing in its own UI calls. The token is the credential.

mod complete;
pub(crate) mod cookie;
mod decline;
mod document;
pub mod json;
mod otp;
mod session;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The signing routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session::signing_session))
        .routes(routes!(document::signing_document))
        .routes(routes!(complete::complete_signing))
        .routes(routes!(decline::decline_signing))
        .routes(routes!(otp::send_otp))
        .routes(routes!(otp::verify_otp))
}
