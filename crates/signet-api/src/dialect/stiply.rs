//! Stiply v1.1 (`{public_url}/stiply/v1.1`): sign requests, their signers and their documents,
//! as Stiply's API documentation describes them, translated onto the core's use cases.
//! Stiply's 50-character keys are core dialect keys (minted on first use, so envelopes made
//! through any door have one); the native envelope and signer ids are accepted wherever a key
//! is. The OAuth2 endpoints (`/stiply/oauth/...`) are the native ones (`crate::oauth`).

mod action;
mod auth;
mod document;
mod error;
mod json;
mod sign_request;
mod signer;
mod signer_request;
mod term;
mod view;

use axum::http::Method;

use crate::dialect::DialectRoutes;

/// The dialect's name in dialect keys and the route table.
pub(crate) const DIALECT: &str = signet_core::stiply::STIPLY_DIALECT;

/// Every Stiply route.
pub(crate) fn routes() -> DialectRoutes {
    const SR: &str = "/sign_requests/{key}";
    DialectRoutes::new(DIALECT, "/stiply/v1.1")
        .route(Method::POST, "/actions/ping", action::ping)
        .route(Method::POST, "/sign_requests", sign_request::create)
        .route(Method::GET, "/sign_requests", sign_request::list)
        .route(Method::GET, SR, sign_request::get)
        .route(Method::DELETE, SR, sign_request::delete)
        .route(
            Method::GET,
            &format!("{SR}/actions/get_sign_request_key"),
            sign_request::key_of_external,
        )
        .route(Method::POST, &format!("{SR}/actions/send"), action::send)
        .route(
            Method::POST,
            &format!("{SR}/actions/send_reminder"),
            action::send_reminder,
        )
        .route(
            Method::POST,
            &format!("{SR}/actions/extend_term"),
            action::extend_term,
        )
        .route(
            Method::GET,
            &format!("{SR}/documents/actions/get_signed_document"),
            document::signed,
        )
        .route(
            Method::GET,
            &format!("{SR}/documents/actions/get_proof_document"),
            document::proof,
        )
        .route(Method::POST, &format!("{SR}/signers"), signer::create)
        .route(
            Method::GET,
            &format!("{SR}/signers/{{signer}}"),
            signer::get,
        )
        .route(
            Method::PUT,
            &format!("{SR}/signers/{{signer}}"),
            signer::update,
        )
        .route(
            Method::DELETE,
            &format!("{SR}/signers/{{signer}}"),
            signer::delete,
        )
}
