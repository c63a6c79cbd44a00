//! The Stiply dialect's one error type and its one mapping to HTTP: Stiply's documented
//! statuses (400 wrong parameter, 403 precondition failed, 404 not found, 415 wrong media
//! type, 422 delete not successful) with a body in the shape of its responses:
//! `{"message": ..., "error_code": <stable code>, "status_code": "<status>"}`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use signet_core::CoreError;

/// A failed Stiply request.
#[derive(Debug)]
pub(crate) struct StiplyError {
    status: StatusCode,
    code: String,
    message: String,
    retry_after: Option<u64>,
}

pub(crate) type StiplyResult<T> = Result<T, StiplyError>;

impl StiplyError {
    /// An error with an explicit status.
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 "Wrong parameter".
    pub(crate) fn wrong_parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "wrong_parameter", message)
    }

    /// 404 for a sign request (or signer) that does not exist in the caller's account.
    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    /// The same error with another status (for routes documenting their own, such as 422 for a
    /// failed delete); server errors and authentication failures keep theirs.
    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        let keep = self.status.is_server_error()
            || matches!(
                self.status,
                StatusCode::UNAUTHORIZED | StatusCode::NOT_FOUND | StatusCode::TOO_MANY_REQUESTS
            );
        if !keep {
            self.status = status;
        }
        self
    }
}

impl From<CoreError> for StiplyError {
    fn from(err: CoreError) -> Self {
        let status = match &err {
            CoreError::Unauthenticated => StatusCode::UNAUTHORIZED,
            CoreError::NotFound(_) => StatusCode::NOT_FOUND,
            CoreError::Invalid { .. } => StatusCode::BAD_REQUEST,
            CoreError::Forbidden(_)
            | CoreError::AuthenticationRequired
            | CoreError::InsufficientScope(_)
            | CoreError::Conflict { .. }
            | CoreError::Gone { .. } => StatusCode::FORBIDDEN,
            CoreError::ConcurrentUpdate => StatusCode::CONFLICT,
            CoreError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
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
            tracing::error!(error = %err, code = err.code(), "stiply request failed");
            "an internal error occurred".to_owned()
        } else {
            err.to_string()
        };
        Self {
            status,
            code: err.code().to_owned(),
            message,
            retry_after: None,
        }
    }
}

impl From<crate::error::ApiError> for StiplyError {
    fn from(err: crate::error::ApiError) -> Self {
        Self {
            status: err.status,
            code: err.code.into_owned(),
            message: err.message,
            retry_after: err.retry_after,
        }
    }
}

impl IntoResponse for StiplyError {
    fn into_response(self) -> Response {
        let body = json!({
            "message": self.message,
            "error_code": self.code,
            "status_code": self.status.as_u16().to_string(),
        });
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
