//! `GET/POST /login` and `POST /logout`. A failed login says only "wrong e-mail or password",
//! whatever was wrong. A successful one sets a fresh session cookie and returns to the
//! `return_to` path (local paths only: no open redirect).

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use signet_core::usecase::oauth::session::{csrf_matches, csrf_token, login_nonce};

use super::{cookie, html};
use crate::AppState;
use crate::extract::Query;
use crate::page::html::error_page;

/// How long a login form can be submitted.
const LOGIN_FORM_SECS: i64 = 3600;

/// `/login`'s query.
#[derive(Deserialize)]
pub struct LoginQuery {
    return_to: Option<String>,
}

/// The login form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf: String,
    return_to: Option<String>,
}

/// The logout form's fields.
#[derive(Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

/// The login form, or who is logged in.
pub async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Response {
    if let Some(token) = cookie::read(&headers, cookie::SESSION) {
        match state.signet.session_user(&token).await {
            Ok(Some(user)) => {
                return page(
                    StatusCode::OK,
                    html::signed_in_page(&user.email, &csrf_token(&token)),
                );
            }
            Ok(None) => {}
            Err(err) => return failure(err),
        }
    }
    let return_to = cookie::local_path(query.return_to.as_deref());
    let nonce = login_nonce();
    let mut response = page(
        StatusCode::OK,
        html::login_page(&csrf_token(&nonce), return_to.as_deref(), None),
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie::set(
            cookie::secure(&state),
            cookie::LOGIN,
            &nonce,
            Some(LOGIN_FORM_SECS),
        ),
    );
    response
}

/// Checks the credentials; on success sets the session cookie and goes on.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return message(
            StatusCode::BAD_REQUEST,
            "invalid_form",
            "The form is incomplete.",
        );
    };
    let nonce = cookie::read(&headers, cookie::LOGIN).unwrap_or_default();
    if nonce.is_empty() || !csrf_matches(&nonce, &form.csrf) {
        return message(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "The form expired or did not come from this site. Open the login page again.",
        );
    }
    let return_to = cookie::local_path(form.return_to.as_deref());
    match state.signet.login(&form.email, &form.password).await {
        Ok((token, _)) => {
            let mut response = redirect(return_to.as_deref().unwrap_or("/login"));
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                cookie::set(cookie::secure(&state), cookie::SESSION, &token, None),
            );
            headers.append(
                header::SET_COOKIE,
                cookie::set(cookie::secure(&state), cookie::LOGIN, "", Some(0)),
            );
            response
        }
        Err(signet_core::CoreError::Unauthenticated) => page(
            StatusCode::UNAUTHORIZED,
            html::login_page(
                &form.csrf,
                return_to.as_deref(),
                Some("Wrong e-mail or password."),
            ),
        ),
        Err(err) => failure(err),
    }
}

/// Ends the session.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Response {
    let token = cookie::read(&headers, cookie::SESSION).unwrap_or_default();
    let valid = form.is_ok_and(|Form(f)| !token.is_empty() && csrf_matches(&token, &f.csrf));
    if !valid {
        return message(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "The form expired or did not come from this site.",
        );
    }
    if let Err(err) = state.signet.logout(&token).await {
        return failure(err);
    }
    let mut response = redirect("/login");
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie::set(cookie::secure(&state), cookie::SESSION, "", Some(0)),
    );
    response
}

/// A 303 to a local path.
pub fn redirect(path: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(path) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// CSP of the pages: like the signing page's, without scripts; `form-action` also allows
/// `extra_form_action` (the client's origin, where the consent form's redirect goes).
pub fn csp(extra_form_action: &str) -> String {
    format!(
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'{extra_form_action}; \
         base-uri 'none'; frame-ancestors 'none'"
    )
}

/// An HTML page with the page headers.
pub fn page(status: StatusCode, body: String) -> Response {
    crate::page::page_with_csp(status, body, &csp(""))
}

/// A page with a message.
pub fn message(status: StatusCode, code: &str, text: &str) -> Response {
    page(status, error_page(status, code, text))
}

/// The page for a core failure, mapped like the API's errors.
pub fn failure(err: signet_core::CoreError) -> Response {
    let err = crate::error::ApiError::from(err);
    message(err.status, &err.code, &err.message)
}
