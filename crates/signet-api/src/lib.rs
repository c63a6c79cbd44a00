//! Signet's HTTP surface: the native REST API under `/api/v1` (with its OpenAPI 3.1 document),
//! the embedded-signing API, and the signer's HTML page.
//!
//! Handlers extract, call one `signet-core` use case and map the result; they hold no business
//! rules. This crate must not depend on storage, mail or PDF crates.

mod account;
mod admin_job;
pub mod client_ip;
mod credential;
pub mod dialect;
mod document;
mod envelope;
mod error;
mod extract;
mod json;
mod layers;
mod oauth;
mod openapi;
mod page;
pub mod rate_limit;
mod signer;
mod signing;
mod stream;
mod trust;
mod user;
pub mod verify;
mod web;
mod webhook;

use std::sync::Arc;

use axum::Router;
use signet_core::Signet;
use signet_core::time::{Clock, OffsetDateTime};

use client_ip::TrustedProxies;
pub use error::{ApiError, ErrorBody};
pub use openapi::openapi_document;
use rate_limit::{RateLimitConfig, RateLimits};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The core.
    pub signet: Signet,
}

/// How the HTTP surface treats its clients.
#[derive(Clone, Debug, Default)]
pub struct ApiOptions {
    /// Proxies whose `X-Forwarded-For` / `Forwarded` headers are believed.
    pub trusted_proxies: TrustedProxies,
    /// The rate limits (kept in this process's memory).
    pub rate_limits: RateLimitConfig,
}

/// The core's clock, so rate limits follow the same time as everything else.
struct CoreClock(Signet);

impl Clock for CoreClock {
    fn now(&self) -> OffsetDateTime {
        self.0.now()
    }
}

/// The complete router: API, OpenAPI document, signing page and its assets. Each call has
/// its own, empty rate limiters.
pub fn router(signet: Signet, options: ApiOptions) -> Router {
    let limits = RateLimits::new(&options.rate_limits, Arc::new(CoreClock(signet.clone())));
    let state = AppState { signet };
    let (api, _) = openapi::api_router().split_for_parts();
    let upload_limit = state.signet.config().max_upload_bytes;
    let router = Router::new()
        .merge(api)
        .merge(page::routes())
        .merge(web::routes())
        .merge(dialect::routes())
        .fallback(layers::not_found)
        .method_not_allowed_fallback(layers::method_not_allowed)
        .with_state(state);
    let router = layers::apply(router, upload_limit);
    layers::client_edge(router, options.trusted_proxies, limits)
}
