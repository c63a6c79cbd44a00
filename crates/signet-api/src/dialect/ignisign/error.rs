//! The Ignisign error: `{"statusCode": 404, "code": "SIGNATURE_REQUEST_NOT_FOUND",
//! "message": "..."}` (the public SDK reads `code` and `message`), one mapping from the core's
//! errors.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use signet_core::CoreError;

use crate::error::ApiError;

/// An Ignisign error response.
#[derive(Debug)]
pub(crate) struct IgnisignError {
    status: StatusCode,
    code: String,
    message: String,
    retry_after: Option<u64>,
}

impl IgnisignError {
    /// An error with an explicit status and code.
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 `INPUT_VALIDATION_FAILED`.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INPUT_VALIDATION_FAILED", message)
    }

    /// 404 for the signature request, document or signer that does not exist (or is another
    /// account's).
    pub(crate) fn not_found(what: &str) -> Self {
        let code = match what {
            "document" => "DOCUMENT_NOT_FOUND",
            "signer" | "contact" => "SIGNER_NOT_FOUND",
            _ => "SIGNATURE_REQUEST_NOT_FOUND",
        };
        let label = match what {
            "document" => "Document",
            "signer" | "contact" => "Signer",
            _ => "Signature request",
        };
        Self::new(StatusCode::NOT_FOUND, code, format!("{label} not found"))
    }
}

impl From<CoreError> for IgnisignError {
    fn from(err: CoreError) -> Self {
        match &err {
            CoreError::NotFound(what) => return Self::not_found(what),
            CoreError::Invalid { code, message } => {
                return Self::new(
                    StatusCode::BAD_REQUEST,
                    "INPUT_VALIDATION_FAILED",
                    format!("{message} ({code})"),
                );
            }
            CoreError::Conflict { code, message }
                if code == "envelope_not_draft" || code == "not_draft" =>
            {
                return Self::new(
                    StatusCode::BAD_REQUEST,
                    "SIGNATURE_REQUEST_NOT_DRAFT",
                    message.clone(),
                );
            }
            _ => {}
        }
        Self::from(ApiError::from(err))
    }
}

impl From<ApiError> for IgnisignError {
    fn from(err: ApiError) -> Self {
        let code = match err.status {
            StatusCode::UNAUTHORIZED => "UNAUTHORIZED".to_string(),
            StatusCode::FORBIDDEN => "FORBIDDEN".to_string(),
            StatusCode::NOT_FOUND => "NOT_FOUND".to_string(),
            StatusCode::TOO_MANY_REQUESTS => "TOO_MANY_REQUESTS".to_string(),
            s if s.is_server_error() => "INTERNAL_ERROR".to_string(),
            _ => err.code.to_uppercase(),
        };
        Self {
            status: err.status,
            code,
            message: err.message,
            retry_after: err.retry_after,
        }
    }
}

impl IntoResponse for IgnisignError {
    fn into_response(self) -> Response {
        let body = json!({
            "statusCode": self.status.as_u16(),
            "code": self.code,
            "message": self.message,
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
pub(crate) type IgnisignResult<T> = Result<T, IgnisignError>;
