//! [`ApiError`]: the one place where errors become HTTP responses.
//!
//! Every error is JSON: `{"error": {"code": "...", "message": "..."}}` with a stable `code`.
//! 5xx bodies say nothing internal; the cause is logged once, here, with the request id.

use std::borrow::Cow;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use signet_core::CoreError;
use utoipa::ToSchema;

/// An HTTP error response.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: Cow<'static, str>,
    /// Human-readable message.
    pub message: String,
    /// Seconds to wait before trying again (a `Retry-After` header), for 429s.
    pub retry_after: Option<u64>,
}

/// The JSON body of every error.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The error object.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `not_found`, `unknown_tag`, `invalid_json`.
    pub code: String,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// An error with an explicit status and code.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: Cow::Borrowed(code),
            message: message.into(),
            retry_after: None,
        }
    }

    /// 429 `rate_limited`: too many requests; try again in `retry_after` seconds.
    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests; try again in {retry_after} s"),
            )
        }
    }

    /// 404 for an object that does not exist (or is not the caller's).
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        let status = match &err {
            CoreError::Unauthenticated => StatusCode::UNAUTHORIZED,
            CoreError::Forbidden(_)
            | CoreError::InsufficientScope(_)
            | CoreError::AuthenticationRequired => StatusCode::FORBIDDEN,
            CoreError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            CoreError::NotFound(_) => StatusCode::NOT_FOUND,
            CoreError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            CoreError::Conflict { .. } | CoreError::ConcurrentUpdate => StatusCode::CONFLICT,
            CoreError::Gone { .. } => StatusCode::GONE,
            CoreError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            CoreError::UnsupportedMediaType(_) | CoreError::ConversionUnavailable(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            CoreError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            CoreError::Integrity(_) | CoreError::Storage(_) | CoreError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = if status.is_server_error() {
            tracing::error!(error = %err, code = err.code(), "request failed");
            "an internal error occurred; the request id identifies it in the server log".to_string()
        } else {
            err.to_string()
        };
        let retry_after = match &err {
            CoreError::TooManyRequests { retry_after, .. } => *retry_after,
            _ => None,
        };
        Self {
            status,
            code: Cow::Owned(err.code().to_string()),
            message,
            retry_after,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let scope_missing = self.code == "insufficient_scope";
        let retry_after = self.retry_after;
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.into_owned(),
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        } else if scope_missing {
            // RFC 6750 §3.1: the challenge names the error.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"insufficient_scope\""),
            );
        }
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// Result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

/// An OAuth2 endpoint's error (RFC 6749 §5.2): `{"error": "...", "error_description": "..."}`,
/// 401 with a `Basic` challenge for `invalid_client`, 500 for `server_error`, else 400. The
/// token and revocation endpoints answer in this shape because OAuth clients parse it.
#[derive(Debug)]
pub struct OAuthFailure(pub signet_core::usecase::oauth::OAuthError);

/// The JSON body of an OAuth2 error.
#[derive(Serialize, ToSchema)]
pub struct OAuthErrorBody {
    /// The RFC 6749 error code: `invalid_request`, `invalid_client`, `invalid_grant`,
    /// `unauthorized_client`, `unsupported_grant_type`, `invalid_scope` or `server_error`.
    pub error: String,
    /// What went wrong, for developers.
    pub error_description: String,
}

impl From<signet_core::usecase::oauth::OAuthError> for OAuthFailure {
    fn from(err: signet_core::usecase::oauth::OAuthError) -> Self {
        Self(err)
    }
}

impl IntoResponse for OAuthFailure {
    fn into_response(self) -> Response {
        let status = match self.0.error {
            "invalid_client" => StatusCode::UNAUTHORIZED,
            "server_error" => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        let body = OAuthErrorBody {
            error: self.0.error.to_owned(),
            error_description: self.0.description,
        };
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"signet\""),
            );
        }
        response
    }
}
