//! `GET/POST /password/reset/{token}`: set a new password with an e-mailed link. A link that
//! does not work gets a page saying why (410), never the form.

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use signet_core::CoreError;
use signet_core::secret::constant_time_eq;

use super::{forged, guarded_page, html, unreadable};
use crate::AppState;
use crate::error::ApiError;
use crate::extract::Path;
use crate::page::form_guard::{FormGuard, is_genuine};

/// The name the form's anti-forgery token is bound to.
const FORM: &str = "password-reset";

/// The posted form.
#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_repeat: String,
}

/// The form, if the link works.
pub async fn show_reset(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    form_or_refusal(&state, &headers, &token, StatusCode::OK, None).await
}

/// Sets the new password; the form again with the reason when the password is refused.
pub async fn set_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    form: Result<Form<ResetForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return unreadable();
    };
    if !is_genuine(&headers, &state.signet.keys().forms, FORM, &form.csrf) {
        return forged();
    }
    if !constant_time_eq(form.password.as_bytes(), form.password_repeat.as_bytes()) {
        let error = Some("The two passwords differ. Type the same password twice.");
        return form_or_refusal(
            &state,
            &headers,
            &token,
            StatusCode::UNPROCESSABLE_ENTITY,
            error,
        )
        .await;
    }
    match state
        .signet
        .complete_password_reset(&token, &form.password)
        .await
    {
        Ok(_changed) => crate::page::page(StatusCode::OK, html::reset_done()),
        Err(err @ CoreError::Invalid { .. }) => {
            let err = ApiError::from(err);
            form_or_refusal(&state, &headers, &token, err.status, Some(&err.message)).await
        }
        Err(err) => refusal(err),
    }
}

async fn form_or_refusal(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    match state.signet.open_password_reset(token).await {
        Ok(link) => {
            let guard = FormGuard::for_page(headers);
            let hidden = guard.hidden_input(&state.signet.keys().forms, FORM);
            let body = html::reset_form(&hidden, token, &link.email, error);
            guarded_page(state, &guard, status, body)
        }
        Err(err) => refusal(err),
    }
}

/// The page for a link that does not work (410 with the reason), or for a failure.
fn refusal(err: CoreError) -> Response {
    if !matches!(err, CoreError::Gone { .. }) {
        return crate::page::error_response(err);
    }
    let err = ApiError::from(err);
    crate::page::page(
        err.status,
        html::refused("This link does not work", &err.message, &err.code),
    )
}
