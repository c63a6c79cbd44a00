//! The password pages: `GET/POST /password/forgot` (ask for a reset link by e-mail) and
//! `GET/POST /password/reset/{token}` (set a new password with it). Server-rendered, no
//! script, every form guarded against forgery ([`super::form_guard`]); like every page they
//! are sent `no-store` and `no-referrer`, which matters here: the token is in the path.

mod forgot;
mod html;
mod reset;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::form_guard::FormGuard;
use crate::AppState;
use crate::rate_limit::{self, Bucket};

/// Largest form body accepted (an e-mail address, or two passwords and a token).
const FORM_LIMIT: usize = 16 * 1024;

/// The password page routes (HTML, not in the OpenAPI document).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/password/forgot",
            get(forgot::show_forgot).post(forgot::request_link),
        )
        .route(
            "/password/reset/{token}",
            get(reset::show_reset).post(reset::set_password),
        )
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        // Asking for links is an authentication step: limited per address like token
        // endpoints, so nobody floods an inbox or guesses links quickly.
        .route_layer(rate_limit::layer(Bucket::Token))
}

/// An HTML response carrying the form guard's cookie when it is new.
fn guarded_page(state: &AppState, guard: &FormGuard, status: StatusCode, body: String) -> Response {
    let mut response = super::page(status, body);
    let secure = crate::web::cookie::secure(state);
    guard.set_cookie(&mut response, secure);
    response
}

/// The page for a post whose anti-forgery check failed.
fn forged() -> Response {
    super::page(
        StatusCode::FORBIDDEN,
        html::refused(
            "Please try again",
            "This form expired or was sent from another site. Go back, reload the page and send it again.",
            "form_expired",
        ),
    )
}

/// The page for a form body that could not be read.
fn unreadable() -> Response {
    super::page(
        StatusCode::BAD_REQUEST,
        html::refused(
            "Please try again",
            "The form could not be read. Reload the page and send it again.",
            "invalid_form",
        ),
    )
}
