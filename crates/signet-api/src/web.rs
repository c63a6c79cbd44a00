//! The server-rendered pages of the OAuth2 flow: the login (`/login`, `/logout`), the
//! authorization endpoint with its consent page (`/oauth/authorize`, and Stiply's alias
//! `/stiply/oauth/authorize`), and the logged-in user's account page (`/account`). No script; every form carries a CSRF token tied to the
//! session (or, for the login form, to a short-lived login cookie).

mod account;
mod account_page;
mod authorize;
pub(crate) mod cookie;
mod html;
mod login;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use crate::rate_limit::{self, Bucket};

/// The page routes (HTML, so not in the OpenAPI document).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/login",
            get(login::login_page)
                .post(login::login)
                // Password guessing is throttled per address like the token endpoints.
                .route_layer(rate_limit::layer(Bucket::Token)),
        )
        .route("/logout", post(login::logout))
        .route("/account", get(account::account))
        .merge(
            // The page's forms make credentials: throttled per address like the login.
            Router::new()
                .route("/account/tokens", post(account::create_token))
                .route("/account/tokens/revoke", post(account::revoke_token))
                .route("/account/clients", post(account::create_client))
                .route("/account/clients/delete", post(account::delete_client))
                .route_layer(rate_limit::layer(Bucket::Token)),
        )
        .route(
            "/oauth/authorize",
            get(authorize::authorize).post(authorize::decide),
        )
        .route(
            "/stiply/oauth/authorize",
            get(authorize::authorize).post(authorize::decide),
        )
}
