//! The OAuth2 authorization server (RFC 6749 with RFC 9700's practices) and the web login it
//! needs: [`session`] logs users in to the browser pages, [`client`] registers clients,
//! [`authorize`] runs the authorization endpoint and the consent decision, [`token`] the
//! token and revocation endpoints, and [`bearer`] turns access tokens into principals.
//!
//! Every secret here (codes, tokens, client secrets, session cookies) carries 256 bits of
//! randomness and is stored only as its SHA-256.

pub mod authorize;
pub mod bearer;
pub mod client;
pub mod password;
pub mod session;
pub mod token;

use crate::secret::{random_base62, sha256};

/// The prefix of access tokens, which tells them from API keys.
pub const ACCESS_PREFIX: &str = "sat_";
/// The prefix of refresh tokens.
pub const REFRESH_PREFIX: &str = "srt_";
/// The prefix of client secrets.
pub const SECRET_PREFIX: &str = "scs_";
/// Base62 characters of randomness in every secret (43 × log2(62) ≈ 256 bits).
const SECRET_CHARS: usize = 43;

/// A new random secret with `prefix`, and the SHA-256 that is stored instead of it.
pub(crate) fn new_secret(prefix: &str) -> (String, [u8; 32]) {
    let text = format!("{prefix}{}", random_base62(SECRET_CHARS));
    let hash = sha256(text.as_bytes());
    (text, hash)
}

/// An error the OAuth2 endpoints answer with (RFC 6749 §5.2): a registered `error` code and a
/// description for the developer. The HTTP layer picks the status (401 for `invalid_client`).
#[derive(Debug, thiserror::Error)]
#[error("{error}: {description}")]
pub struct OAuthError {
    /// The RFC 6749 error code, e.g. `invalid_grant`.
    pub error: &'static str,
    /// What is wrong.
    pub description: String,
}

impl OAuthError {
    /// An error with a code and a description.
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            error,
            description: description.into(),
        }
    }

    /// `invalid_grant`: the code or refresh token is unknown, expired, used or not the client's.
    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new("invalid_grant", description)
    }

    /// `invalid_request`: a parameter is missing or malformed.
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new("invalid_request", description)
    }

    /// `invalid_client`: the client is unknown or its authentication failed.
    pub fn invalid_client() -> Self {
        Self::new("invalid_client", "client authentication failed")
    }
}

impl From<crate::CoreError> for OAuthError {
    fn from(err: crate::CoreError) -> Self {
        tracing::error!(error = %err, "OAuth2 request failed");
        Self::new("server_error", "an internal error occurred")
    }
}

impl From<crate::port::StoreError> for OAuthError {
    fn from(err: crate::port::StoreError) -> Self {
        crate::CoreError::from(err).into()
    }
}

/// `std::time::Duration` as a `time::Duration` (saturating; configured values are small).
pub(crate) fn ttl(duration: std::time::Duration) -> time::Duration {
    time::Duration::try_from(duration).unwrap_or(time::Duration::MAX)
}
