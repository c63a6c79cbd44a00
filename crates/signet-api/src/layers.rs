//! Cross-cutting HTTP behaviour: request ids, tracing, panics as 500s, body limits, security
//! headers, JSON bodies for unmatched routes and methods, and the client's address and rate
//! limiters that the per-group limits read.

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::client_ip::{self, TrustedProxies};
use crate::error::ApiError;
use crate::rate_limit::RateLimits;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Room for multipart framing on top of the file-size limit.
const MULTIPART_OVERHEAD: u64 = 64 * 1024;

/// Wraps a router in the middleware every route gets.
pub fn apply(router: axum::Router, upload_limit: u64) -> axum::Router {
    let body_limit = usize::try_from(upload_limit + MULTIPART_OVERHEAD).unwrap_or(usize::MAX);
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(request_span))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                Duration::from_secs(300),
            ))
            .layer(DefaultBodyLimit::max(body_limit))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            )),
    )
}

/// The span every request's log lines carry. It names the matched route template
/// (`/s/{token}`), never the raw path: paths hold signing-link tokens, and an unmatched path may
/// hold one too (a token with a trailing slash), so it is logged as `<unmatched>`.
fn request_span<B>(req: &Request<B>) -> Span {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("<unmatched>", MatchedPath::as_str);
    tracing::info_span!("request", method = %req.method(), route = %route, request_id = %id)
}

/// Outermost: every request learns its client address ([`client_ip::attach`]) and carries
/// this node's rate limiters, which the groups' [`crate::rate_limit::layer`]s use.
pub fn client_edge(
    router: axum::Router,
    trusted: TrustedProxies,
    limits: RateLimits,
) -> axum::Router {
    router
        .layer(Extension(Arc::new(limits)))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(trusted),
            client_ip::attach,
        ))
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "an internal error occurred",
    )
    .into_response()
}

/// JSON 404 for unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
}

/// JSON 405 for known routes with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not accept that method",
    )
}
