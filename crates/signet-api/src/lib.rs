//! Signet's HTTP surface: the native REST API under `/api/v1` (with its OpenAPI 3.1 document),
//! the embedded-signing API, and the signer's HTML page.
//!
//! Handlers extract, call one `signet-core` use case and map the result; they hold no business
//! rules. This crate must not depend on storage, mail or PDF crates.

mod account;
mod document;
mod envelope;
mod error;
mod extract;
mod json;
mod layers;
mod oauth;
mod openapi;
mod page;
mod signer;
mod signing;
mod stream;
mod trust;
pub mod verify;
mod web;

use axum::Router;
use signet_core::Signet;

pub use error::{ApiError, ErrorBody};
pub use openapi::openapi_document;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The core.
    pub signet: Signet,
}

/// The complete router: API, OpenAPI document, signing page and its assets.
pub fn router(signet: Signet) -> Router {
    let state = AppState { signet };
    let (api, _) = openapi::api_router().split_for_parts();
    let upload_limit = state.signet.config().max_upload_bytes;
    let router = Router::new()
        .merge(api)
        .merge(page::routes())
        .merge(web::routes())
        .fallback(layers::not_found)
        .method_not_allowed_fallback(layers::method_not_allowed)
        .with_state(state);
    layers::apply(router, upload_limit)
}
