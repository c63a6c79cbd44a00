//! `GET /api/v1/trust/ca.pem`: the root certificates validators should trust for this
//! instance's seals (an imported seal's root, then the instance root), and `GET /api/v1/trust/root.crl`: the root's current CRL.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiError;

/// The trust routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ca_pem))
        .routes(routes!(root_crl))
}

/// The root certificates (PEM) of this instance's seals and time-stamps: an imported seal's
/// external root first (when a seal was imported), then the instance root. Give them to a
/// validator as its only trust anchors, e.g.
/// `pyhanko sign validate --trust ca.pem --trust-replace signed.pdf`.
#[utoipa::path(
    get, path = "/api/v1/trust/ca.pem", tag = "trust",
    responses((status = 200, description = "PEM certificates", content_type = "application/x-pem-file", body = String))
)]
pub async fn ca_pem(State(state): State<AppState>) -> Response {
    let pem = state.signet.keys().trust_anchors_pem();
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-pem-file"),
        )],
        pem,
    )
        .into_response()
}

/// The root's current certificate revocation list (DER), freshly signed, valid for a week: the
/// CRL distribution point of the seal and TSA certificates. Sealed documents at B-LT and above
/// already embed one, so validators need this only for B-B and B-T documents.
#[utoipa::path(
    get, path = "/api/v1/trust/root.crl", tag = "trust",
    responses(
        (status = 200, description = "DER CRL", content_type = "application/pkix-crl", body = Vec<u8>),
        (status = 500, description = "The CRL could not be signed", body = crate::error::ErrorBody)
    )
)]
pub async fn root_crl(State(state): State<AppState>) -> Result<Response, ApiError> {
    let crl = state.signet.current_crl()?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pkix-crl"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=3600"),
            ),
        ],
        crl,
    )
        .into_response())
}
