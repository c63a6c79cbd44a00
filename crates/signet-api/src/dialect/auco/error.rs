//! The Auco error body: `{"code": "PROCESS_NOT_FOUND", "message": "Process not found"}`, with
//! the statuses of the Auco document (400 for missing parameters and unmet conditions, 401,
//! 404 `PROCESS_NOT_FOUND`).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use signet_core::CoreError;

use crate::error::ApiError;

/// An Auco error response.
#[derive(Debug)]
pub(crate) struct AucoError {
    status: StatusCode,
    code: String,
    message: String,
    retry_after: Option<u64>,
}

#[derive(Serialize)]
struct AucoErrorBody {
    code: String,
    message: String,
}

impl AucoError {
    pub(super) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 for a request that misses or misuses a parameter.
    pub(super) fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404 `PROCESS_NOT_FOUND`.
    pub(super) fn process_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "PROCESS_NOT_FOUND",
            "Process not found",
        )
    }

    /// 401 `UNAUTHORIZED`.
    pub(super) fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Invalid or missing authentication: send the private key in the Authorization header",
        )
    }

    /// The native error of a shared extractor or the rate limiter, in Auco's shape.
    pub(super) fn from_api(err: ApiError) -> Self {
        let code = match err.status {
            StatusCode::UNAUTHORIZED => return Self::unauthorized(),
            StatusCode::NOT_FOUND => return Self::process_not_found(),
            _ => err.code.to_ascii_uppercase(),
        };
        Self {
            status: err.status,
            code,
            message: err.message,
            retry_after: err.retry_after,
        }
    }
}

impl From<CoreError> for AucoError {
    fn from(err: CoreError) -> Self {
        let api = ApiError::from(err);
        let status = match api.status {
            // Auco answers 400 for every request whose conditions are not met.
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::GONE => {
                StatusCode::BAD_REQUEST
            }
            other => other,
        };
        Self::from_api(ApiError { status, ..api })
    }
}

impl IntoResponse for AucoError {
    fn into_response(self) -> Response {
        let body = AucoErrorBody {
            code: self.code,
            message: self.message,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
