//! `GET /oauth/authorize`: checks the request, sends a visitor to the login first, and shows
//! the consent page; `POST /oauth/authorize`: the user's decision (CSRF-checked), answered by a
//! redirect to the client with a code or an error.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, OriginalUri, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use signet_core::model::User;
use signet_core::usecase::oauth::authorize::{AuthorizeError, AuthorizeParams, redirect_location};
use signet_core::usecase::oauth::session::{csrf_matches, csrf_token};

use super::login::{csp, failure, message};
use super::{cookie, html};
use crate::AppState;
use crate::extract::Query;

/// The consent form: the request's parameters, the CSRF token and the decision.
#[derive(Deserialize)]
pub struct ConsentForm {
    #[serde(flatten)]
    params: AuthorizeParams,
    csrf: String,
    decision: String,
}

/// The authorization endpoint.
pub async fn authorize(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(params): Query<AuthorizeParams>,
) -> Response {
    if let Err(err) = state.signet.authorize_client(&params).await {
        return refusal(err);
    }
    let (token, user) = match logged_in(&state, &headers).await {
        Ok(Some(found)) => found,
        Ok(None) => return to_login(uri.to_string()),
        Err(response) => return response,
    };
    match state.signet.authorize_request(&params, &user).await {
        Ok(request) => {
            let body = html::consent_page(
                &request,
                &params,
                &csrf_token(&token),
                &user.email,
                uri.path(),
            );
            let origin = url::Url::parse(&request.redirect_uri)
                .map(|u| format!(" {}", u.origin().ascii_serialization()))
                .unwrap_or_default();
            crate::page::page_with_csp(StatusCode::OK, body, &csp(&origin))
        }
        Err(err) => refusal(err),
    }
}

/// The user's decision on the consent page.
pub async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<ConsentForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return message(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "The form is incomplete or did not come from this site.",
        );
    };
    let (token, user) = match logged_in(&state, &headers).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            return message(
                StatusCode::FORBIDDEN,
                "not_logged_in",
                "Your session ended. Start again from the application.",
            );
        }
        Err(response) => return response,
    };
    if !csrf_matches(&token, &form.csrf) {
        return message(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "The form did not come from this site.",
        );
    }
    let request = match state.signet.authorize_request(&form.params, &user).await {
        Ok(request) => request,
        Err(err) => return refusal(err),
    };
    if form.decision != "approve" {
        return found(&request.denied_location());
    }
    match state.signet.approve_authorization(&request, &user).await {
        Ok(location) => found(&location),
        Err(err) => failure(err),
    }
}

async fn logged_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(String, User)>, Response> {
    let Some(token) = cookie::read(headers, cookie::SESSION) else {
        return Ok(None);
    };
    match state.signet.session_user(&token).await {
        Ok(user) => Ok(user.map(|u| (token, u))),
        Err(err) => Err(failure(err)),
    }
}

fn to_login(return_to: String) -> Response {
    let location = redirect_location("http://localhost/login", &[("return_to", &return_to)], None);
    let path = location
        .strip_prefix("http://localhost")
        .unwrap_or("/login");
    found(path)
}

fn refusal(err: AuthorizeError) -> Response {
    match err {
        AuthorizeError::Page(text) => message(StatusCode::BAD_REQUEST, "invalid_request", &text),
        AuthorizeError::Redirect {
            redirect_uri,
            error,
            description,
            state,
        } => found(&redirect_location(
            &redirect_uri,
            &[("error", error), ("error_description", &description)],
            state.as_deref(),
        )),
        AuthorizeError::Failed(err) => failure(err),
    }
}

/// A 302 (RFC 6749's redirect).
fn found(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
