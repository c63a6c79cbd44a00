//! The signer's identity step for `auth_method` `oidc`: `GET /s/{token}/oidc/start` sends the
//! browser to the identity provider, `GET /oidc/callback` (the one redirect URI registered at
//! every provider) finishes the login and sends the browser back to `/s/{token}`.
//!
//! The signer-session cookie is `SameSite=Strict`, so a browser coming back from the provider
//! (a cross-site navigation) does not send it. The start therefore also sets `signet_oidc`, an
//! `HttpOnly`, `SameSite=Lax` cookie scoped to `/oidc/callback` that holds the login's state:
//! the callback is accepted only from the browser holding it, and verifies the session that
//! started the login (recorded with the state). Errors are pages in the signer's language
//! with a link back to try again.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use signet_core::model::Language;
use signet_core::usecase::identity::{IdentityCallback, REQUEST_TTL};

use super::html;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{Client, Path};
use crate::signing::cookie::{self, SignerCookie};
use crate::web::cookie as web_cookie;

/// The state cookie's name.
const STATE_COOKIE: &str = "signet_oidc";
/// Its path: the callback only.
const CALLBACK: &str = "/oidc/callback";

fn state_cookie(state: &AppState, value: &str, max_age: i64) -> Option<HeaderValue> {
    let secure = if web_cookie::secure(state) {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{STATE_COOKIE}={value}; Path={CALLBACK}; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .ok()
}

fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// An error page in the language of the link `token` (English without one), with a link to
/// try again when the link is known.
async fn failure(state: &AppState, token: Option<&str>, err: signet_core::CoreError) -> Response {
    let context = match token {
        Some(t) => state.signet.link_context(t).await,
        None => None,
    };
    let language = context.map_or(Language::En, |c| c.language);
    let err = ApiError::from(err);
    let body = html::error_page_with_retry(language, err.status, &err.code, &err.message, token);
    super::page(err.status, body)
}

/// `GET /s/{token}/oidc/start`.
pub(super) async fn start_identity(
    State(state): State<AppState>,
    SignerCookie(session): SignerCookie,
    Path(token): Path<String>,
) -> Response {
    let start = match state
        .signet
        .start_identity_verification(&token, session.as_deref())
        .await
    {
        Ok(start) => start,
        Err(err) => return failure(&state, Some(&token), err).await,
    };
    let mut response = see_other(&start.authorization_url);
    let headers = response.headers_mut();
    if let Some(value) = &start.new_session {
        let age = signet_core::otp::SESSION_TTL.whole_seconds();
        cookie::set(headers, &state, &token, value, age);
    }
    if let Some(value) = state_cookie(&state, &start.state, REQUEST_TTL.whole_seconds()) {
        headers.append(header::SET_COOKIE, value);
    }
    response
}

/// The callback's query parameters.
fn query_params(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// `GET /oidc/callback`.
pub(super) async fn identity_callback(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = query_params(raw.as_deref());
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let cookie = web_cookie::read(&headers, STATE_COOKIE);
    let callback = IdentityCallback {
        state: param("state"),
        state_cookie: cookie.as_deref(),
        code: param("code"),
        error: param("error"),
    };
    let outcome = state
        .signet
        .finish_identity_verification(&callback, &client)
        .await;
    let mut response = match outcome {
        Ok(verified) => {
            let mut response = see_other(&format!("/s/{}", verified.token));
            let age = (verified.expires_at - state.signet.now())
                .whole_seconds()
                .max(0);
            cookie::set(
                response.headers_mut(),
                &state,
                &verified.token,
                &verified.session,
                age,
            );
            cookie::set_issued_pass(response.headers_mut(), &state, verified.auth_pass.as_ref());
            response
        }
        Err(failed) => failure(&state, failed.token.as_deref(), failed.error).await,
    };
    // The state is single use whatever happened.
    if let Some(value) = state_cookie(&state, "", 0) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
