//! The signer-session cookie `signet_signer`: `HttpOnly`, `SameSite=Strict`, `Secure` when the
//! public URL is https, and scoped to the paths of one signing link (the page `/s/{token}` and
//! the API `/api/v1/signing/{token}`), so a browser sends it only with that link. Only its
//! SHA-256 is stored.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};

use crate::AppState;
use crate::error::ApiError;
use crate::web::cookie;

/// The cookie's name.
pub const NAME: &str = "signet_signer";

/// The signer-session cookie the request carries, if any.
pub struct SignerCookie(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for SignerCookie {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(cookie::read(&parts.headers, NAME)))
    }
}

/// Adds the `Set-Cookie` headers that give the browser `value` for the link `token`, for
/// `max_age` seconds.
pub fn set(headers: &mut HeaderMap, state: &AppState, token: &str, value: &str, max_age: i64) {
    let secure = if cookie::secure(state) {
        "; Secure"
    } else {
        ""
    };
    for path in [format!("/s/{token}"), format!("/api/v1/signing/{token}")] {
        let text = format!(
            "{NAME}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
        );
        if let Ok(value) = HeaderValue::from_str(&text) {
            headers.append(header::SET_COOKIE, value);
        }
    }
}
