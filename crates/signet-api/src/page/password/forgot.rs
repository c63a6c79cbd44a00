//! `GET/POST /password/forgot`: ask for a reset link. Every address gets the same answer.

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use signet_core::CoreError;

use super::{forged, guarded_page, html, unreadable};
use crate::AppState;
use crate::error::ApiError;
use crate::page::form_guard::{FormGuard, is_genuine};

/// The name the form's anti-forgery token is bound to.
const FORM: &str = "password-forgot";

/// The posted form.
#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

/// The empty form.
pub async fn show_forgot(State(state): State<AppState>, headers: HeaderMap) -> Response {
    form_page(&state, &headers, StatusCode::OK, "", None)
}

/// Asks the core for a link; shows "check your e-mail" whether or not the address is known.
pub async fn request_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<ForgotForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return unreadable();
    };
    if !is_genuine(&headers, &state.signet.keys().forms, FORM, &form.csrf) {
        return forged();
    }
    match state.signet.request_password_reset(&form.email).await {
        Ok(()) => crate::page::page(StatusCode::OK, html::forgot_sent()),
        Err(err @ CoreError::Invalid { .. }) => {
            let err = ApiError::from(err);
            form_page(
                &state,
                &headers,
                err.status,
                &form.email,
                Some(&err.message),
            )
        }
        Err(err) => crate::page::error_response(err),
    }
}

fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    email: &str,
    error: Option<&str>,
) -> Response {
    let guard = FormGuard::for_page(headers);
    let hidden = guard.hidden_input(&state.signet.keys().forms, FORM);
    guarded_page(
        state,
        &guard,
        status,
        html::forgot_form(&hidden, email, error),
    )
}
