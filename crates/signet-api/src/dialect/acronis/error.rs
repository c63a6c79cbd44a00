//! The Acronis dialect's one error type and its one mapping to HTTP: the Notary API's error
//! body `{"domain": "...", "code": "...", "debug": {"message": "..."}}` ("Status and error
//! codes" of the vendor's guide), with the same statuses and stable codes as the native API.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use signet_core::CoreError;

use crate::error::ApiError;

/// The operation family the error happened in (the body's `domain`).
const DOMAIN: &str = "Notary";

/// An error of the Acronis dialect.
#[derive(Debug)]
pub struct AcronisError {
    status: StatusCode,
    code: String,
    message: String,
    retry_after: Option<u64>,
}

impl AcronisError {
    /// An error with an explicit status, code and message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// 404 for an object that does not exist in the caller's account.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }
}

impl From<ApiError> for AcronisError {
    fn from(err: ApiError) -> Self {
        Self {
            status: err.status,
            code: err.code.into_owned(),
            message: err.message,
            retry_after: err.retry_after,
        }
    }
}

impl From<CoreError> for AcronisError {
    fn from(err: CoreError) -> Self {
        // The native mapping decides status, code and message (and logs 5xx causes once).
        ApiError::from(err).into()
    }
}

impl IntoResponse for AcronisError {
    fn into_response(self) -> Response {
        let body = json!({
            "domain": DOMAIN,
            "code": self.code,
            "debug": {"message": self.message},
        });
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// Result type of the dialect's handlers.
pub type AcronisResult<T> = Result<T, AcronisError>;
