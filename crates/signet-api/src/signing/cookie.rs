//! The signer-session cookie `signet_signer`: `HttpOnly`, `SameSite=Strict`, `Secure` when the
//! public URL is https, and scoped to the paths of one signing link (the page `/s/{token}` and
//! the API `/api/v1/signing/{token}`), so a browser sends it only with that link. Only its
//! SHA-256 is stored.
//!
//! The auth-pass cookie `signet_auth_pass` (extended authentication sessions) has the same
//! attributes but is scoped to every signing link (`/s` and `/api/v1/signing`): it is what lets
//! another envelope's link recognise the browser. Only its SHA-256 is stored too.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};

use signet_core::usecase::auth_pass::{AuthPassIssued, ReusedSession};

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

/// The auth-pass cookie's name.
pub const PASS_NAME: &str = "signet_auth_pass";

/// The auth-pass cookie the request carries, if any.
pub struct AuthPassCookie(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for AuthPassCookie {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(cookie::read(&parts.headers, PASS_NAME)))
    }
}

/// Adds the `Set-Cookie` headers that give the browser `value` for the link `token`, for
/// `max_age` seconds.
pub fn set(headers: &mut HeaderMap, state: &AppState, token: &str, value: &str, max_age: i64) {
    let paths = [format!("/s/{token}"), format!("/api/v1/signing/{token}")];
    append(headers, state, NAME, value, &paths, max_age);
}

/// Adds the `Set-Cookie` headers that give the browser the auth pass `value` for every
/// signing link, for `max_age` seconds.
pub fn set_auth_pass(headers: &mut HeaderMap, state: &AppState, value: &str, max_age: i64) {
    let paths = ["/s".to_owned(), "/api/v1/signing".to_owned()];
    append(headers, state, PASS_NAME, value, &paths, max_age);
}

/// Sets the auth pass a verification issued, if it issued one.
pub fn set_issued_pass(headers: &mut HeaderMap, state: &AppState, pass: Option<&AuthPassIssued>) {
    if let Some(pass) = pass {
        let age = (pass.expires_at - state.signet.now())
            .whole_seconds()
            .max(0);
        set_auth_pass(headers, state, &pass.value, age);
    }
}

/// Sets the signer cookie of a session that opening `token` made from an auth pass, if it made
/// one.
pub fn set_reused(
    headers: &mut HeaderMap,
    state: &AppState,
    token: &str,
    reused: Option<&ReusedSession>,
) {
    if let Some(reused) = reused {
        let age = (reused.expires_at - state.signet.now())
            .whole_seconds()
            .max(0);
        set(headers, state, token, &reused.session, age);
    }
}

fn append(
    headers: &mut HeaderMap,
    state: &AppState,
    name: &str,
    value: &str,
    paths: &[String],
    max_age: i64,
) {
    let secure = if cookie::secure(state) {
        "; Secure"
    } else {
        ""
    };
    for path in paths {
        let text = format!(
            "{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
        );
        if let Ok(value) = HeaderValue::from_str(&text) {
            headers.append(header::SET_COOKIE, value);
        }
    }
}
