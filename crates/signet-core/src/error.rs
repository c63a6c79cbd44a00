//! The core's error type. Every variant carries a stable machine-readable code; the HTTP layer
//! maps variants to statuses in one place.

use std::borrow::Cow;

/// Everything a use case can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The credential is missing, malformed, unknown, revoked or expired.
    #[error("missing or invalid credentials")]
    Unauthenticated,
    /// The credential is valid but lacks the permission for this action.
    #[error("{0}")]
    Forbidden(String),
    /// The credential is valid but was not granted the scope this action needs.
    #[error("this credential lacks the `{0}` scope")]
    InsufficientScope(crate::model::Scope),
    /// The object does not exist, or belongs to another account (indistinguishable on purpose).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The input is well-formed but not acceptable; `code` names the rule, `message` the fix.
    #[error("{message}")]
    Invalid {
        /// Stable machine-readable code, e.g. `unknown_tag`.
        code: Cow<'static, str>,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The action is not allowed in the object's current state.
    #[error("{message}")]
    Conflict {
        /// Stable machine-readable code, e.g. `not_your_turn`.
        code: Cow<'static, str>,
        /// What state prevents the action.
        message: String,
    },
    /// The object existed but can no longer be used (a canceled or expired signing link).
    #[error("{message}")]
    Gone {
        /// Stable machine-readable code, e.g. `link_expired`.
        code: Cow<'static, str>,
        /// Why it is gone.
        message: String,
    },
    /// An upload exceeded the configured size limit.
    #[error("the upload exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The upload is not of a type Signet accepts.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The upload is a type Signet converts (DOC, DOCX), but no converter is installed.
    #[error("{0}")]
    ConversionUnavailable(String),
    /// Somebody else changed the object between our read and our write; the caller may retry.
    #[error("the object was modified concurrently; retry the request")]
    ConcurrentUpdate,
    /// Stored bytes no longer match their recorded hash.
    #[error("stored data failed its integrity check: {0}")]
    Integrity(String),
    /// A service Signet depends on (the remote time-stamping authority) failed; retry later.
    #[error("a service Signet depends on is unavailable: {0}")]
    Unavailable(String),
    /// The signer must prove who they are (a one-time code) before this signing action.
    #[error("enter the one-time code sent to you before reading or signing")]
    AuthenticationRequired,
    /// Too many attempts or requests; `retry_after` says in how many seconds to try again
    /// when waiting helps.
    #[error("{message}")]
    TooManyRequests {
        /// Stable machine-readable code, e.g. `otp_rate_limited`.
        code: Cow<'static, str>,
        /// What limit was reached.
        message: String,
        /// Seconds until a new attempt can succeed, if waiting helps.
        retry_after: Option<u64>,
    },
    /// The database or blob store failed.
    #[error("storage failure: {0}")]
    Storage(String),
    /// A bug or an unexpected condition; the message is for logs, not for clients.
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    /// A validation failure with a stable code.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code: Cow::Borrowed(code),
            message: message.into(),
        }
    }

    /// A state conflict with a stable code.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code: Cow::Borrowed(code),
            message: message.into(),
        }
    }

    /// A gone resource with a stable code.
    pub fn gone(code: &'static str, message: impl Into<String>) -> Self {
        Self::Gone {
            code: Cow::Borrowed(code),
            message: message.into(),
        }
    }

    /// Too many requests or attempts (429), with the seconds to wait when waiting helps.
    pub fn too_many(
        code: &'static str,
        message: impl Into<String>,
        retry_after: Option<u64>,
    ) -> Self {
        Self::TooManyRequests {
            code: Cow::Borrowed(code),
            message: message.into(),
            retry_after,
        }
    }

    /// The stable machine-readable code of this error.
    pub fn code(&self) -> &str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden(_) => "forbidden",
            Self::InsufficientScope(_) => "insufficient_scope",
            Self::NotFound(_) => "not_found",
            Self::Invalid { code, .. } | Self::Conflict { code, .. } | Self::Gone { code, .. } => {
                code
            }
            Self::TooLarge { .. } => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::ConversionUnavailable(_) => "conversion_unavailable",
            Self::ConcurrentUpdate => "concurrent_update",
            Self::Unavailable(_) => "service_unavailable",
            Self::Integrity(_) => "integrity_error",
            Self::Storage(_) | Self::Internal(_) => "internal_error",
            Self::AuthenticationRequired => "authentication_required",
            Self::TooManyRequests { code, .. } => code,
        }
    }
}

impl From<crate::port::StoreError> for CoreError {
    fn from(err: crate::port::StoreError) -> Self {
        use crate::port::StoreError;
        match err {
            StoreError::VersionConflict => Self::ConcurrentUpdate,
            StoreError::Duplicate(what) => {
                Self::conflict("duplicate", format!("{what} is already in use"))
            }
            other => Self::Storage(other.to_string()),
        }
    }
}

impl From<crate::port::BlobError> for CoreError {
    fn from(err: crate::port::BlobError) -> Self {
        Self::Storage(err.to_string())
    }
}
