//! Cross-cutting HTTP behaviour: request ids, tracing, panics as 500s, body limits, security
//! headers, and JSON bodies for unmatched routes and methods.

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Room for multipart framing on top of the file-size limit.
const MULTIPART_OVERHEAD: u64 = 64 * 1024;

/// Wraps a router in the middleware every route gets.
pub fn apply(router: axum::Router, upload_limit: u64) -> axum::Router {
    let body_limit = usize::try_from(upload_limit + MULTIPART_OVERHEAD).unwrap_or(usize::MAX);
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %loggable_path(req.uri().path()), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(300)))
            .layer(DefaultBodyLimit::max(body_limit))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            )),
    )
}

/// Routes whose next path segment is a bearer token (a signing link, a password-reset link).
const TOKEN_PREFIXES: &[&str] = &["/s/", "/api/v1/signing/", "/password/reset/"];

/// The request path with any token in it replaced by `{token}`, so logs never hold one.
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in TOKEN_PREFIXES {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find('/').map_or("", |at| &rest[at..]);
            return format!("{prefix}{{token}}{tail}").into();
        }
    }
    path.into()
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

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn tokens_in_paths_are_not_logged() {
        assert_eq!(loggable_path("/s/abc"), "/s/{token}");
        assert_eq!(
            loggable_path("/api/v1/signing/abc/documents/d1"),
            "/api/v1/signing/{token}/documents/d1"
        );
        assert_eq!(
            loggable_path("/password/reset/abc"),
            "/password/reset/{token}"
        );
        assert_eq!(loggable_path("/password/forgot"), "/password/forgot");
        assert_eq!(
            loggable_path("/api/v1/envelopes/e1"),
            "/api/v1/envelopes/e1"
        );
    }
}
