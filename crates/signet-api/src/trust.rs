//! `GET /api/v1/trust/ca.pem`: the root certificate validators should trust for this
//! instance's seals.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The trust routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ca_pem))
}

/// The instance's root certificate (PEM). Give it to a validator as its only trust anchor,
/// e.g. `pyhanko sign validate --trust ca.pem --trust-replace signed.pdf`.
#[utoipa::path(
    get, path = "/api/v1/trust/ca.pem", tag = "trust",
    responses((status = 200, description = "PEM certificate", content_type = "application/x-pem-file", body = String))
)]
pub async fn ca_pem(State(state): State<AppState>) -> Response {
    let pem = state.signet.keys().root_cert_pem.clone();
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-pem-file"),
        )],
        pem,
    )
        .into_response()
}
