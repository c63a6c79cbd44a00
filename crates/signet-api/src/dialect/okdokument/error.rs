//! The OKdokument error body, `{"message": "...", "value": ...}`: 400 `View ID does not
//! exist: <id>` for a request that is not the caller's, 401 unauthenticated, 403 lacking
//! permission, 400 for other bad input, 500 for server errors.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use signet_core::CoreError;

use crate::error::ApiError;

/// An OKdokument error response.
#[derive(Debug)]
pub(crate) struct OkError {
    status: StatusCode,
    message: String,
    value: Value,
    retry_after: Option<u64>,
}

#[derive(Serialize)]
struct OkErrorBody {
    message: String,
    value: Value,
}

impl OkError {
    fn new(status: StatusCode, message: impl Into<String>, value: Value) -> Self {
        Self {
            status,
            message: message.into(),
            value,
            retry_after: None,
        }
    }

    /// 400 for bad input; `value` names the offending field or value.
    pub(super) fn bad_request(message: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message, value.into())
    }

    /// The documented 400 for an id that names no request of the caller's.
    pub(super) fn unknown_id(id: &str) -> Self {
        Self::bad_request(format!("View ID does not exist: {id}"), id)
    }

    /// 401.
    pub(super) fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "msg.unauthorized: send a valid API key in x-api-key",
            Value::Null,
        )
    }

    /// A native error (a shared extractor, the rate limiter, a core error) in OKdokument's
    /// shape; a not-found is mapped by the caller, which knows the id.
    pub(super) fn from_api(err: ApiError) -> Self {
        let status = match err.status {
            StatusCode::UNAUTHORIZED => return Self::unauthorized(),
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::GONE => {
                StatusCode::BAD_REQUEST
            }
            other => other,
        };
        Self {
            status,
            message: format!("msg.{}: {}", err.code, err.message),
            value: Value::String(err.code.into_owned()),
            retry_after: err.retry_after,
        }
    }

    /// A core error about the request `id`: not found is the documented 400.
    pub(super) fn about(id: &str) -> impl Fn(CoreError) -> Self + '_ {
        move |err| match err {
            CoreError::NotFound(_) => Self::unknown_id(id),
            other => Self::from(other),
        }
    }
}

impl From<CoreError> for OkError {
    fn from(err: CoreError) -> Self {
        Self::from_api(ApiError::from(err))
    }
}

impl IntoResponse for OkError {
    fn into_response(self) -> Response {
        let body = OkErrorBody {
            message: self.message,
            value: self.value,
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
