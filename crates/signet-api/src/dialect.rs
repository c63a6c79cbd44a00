//! The vendor dialects: wire-compatible front doors onto the same core use cases as the native
//! API. Each dialect is a module of its own (its routes, its credential header form, its
//! request and response shapes, and its one error type with its one mapping to HTTP) mounted
//! under a fixed prefix (`docs/dialects.md`).
//!
//! Every dialect route is declared through [`DialectRoutes`], which also records it in the
//! table that [`route_table`] returns: the isolation tests walk that table, so a new dialect
//! route without an isolation case fails them by name.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, on};

mod acronis;
mod auco;
mod ignisign;
mod okdokument;
mod stiply;

use crate::AppState;
use crate::rate_limit::{self, Bucket};

/// One route of a dialect, as mounted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialectRoute {
    /// The dialect's name (`stiply`, `ignisign`, `auco`, `okdokument`, `acronis`).
    pub dialect: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The full path template, mount prefix included, in axum's syntax (`/stiply/v1.1/sign_requests/{key}`).
    pub path: String,
}

/// A dialect's router under construction, remembering every route it is given.
pub(crate) struct DialectRoutes {
    dialect: &'static str,
    prefix: &'static str,
    router: Router<AppState>,
    table: Vec<DialectRoute>,
}

impl DialectRoutes {
    /// An empty router for `dialect`, whose paths all start with `prefix`.
    pub(crate) fn new(dialect: &'static str, prefix: &'static str) -> Self {
        Self {
            dialect,
            prefix,
            router: Router::new(),
            table: Vec::new(),
        }
    }

    /// Routes `method` on `prefix` + `path` to `handler`, an authenticated route limited as
    /// [`Bucket::Api`]. The same path may be given several methods, one call each.
    pub(crate) fn route<H, T>(self, method: Method, path: &str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.limited(method, path, handler, Bucket::Api)
    }

    /// Like [`DialectRoutes::route`] for a token endpoint, limited as [`Bucket::Token`] (per
    /// client address).
    pub(crate) fn token_route<H, T>(self, method: Method, path: &str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.limited(method, path, handler, Bucket::Token)
    }

    fn limited<H, T>(mut self, method: Method, path: &str, handler: H, bucket: Bucket) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone())
            .unwrap_or_else(|_| panic!("{method} is not a method axum can route"));
        let full = format!("{}{path}", self.prefix);
        let endpoint = on(filter, handler).route_layer(rate_limit::layer(bucket));
        self.router = self.router.route(&full, endpoint);
        self.table.push(DialectRoute {
            dialect: self.dialect,
            method,
            path: full,
        });
        self
    }

    fn finish(self) -> (Router<AppState>, Vec<DialectRoute>) {
        (self.router, self.table)
    }
}

/// A file sent as base64 text in a JSON body (the Auco and OKdokument uploads), with or
/// without a `data:…;base64,` prefix; `None` when it is not base64.
pub(crate) fn base64_file(text: &str) -> Option<axum::body::Bytes> {
    use base64::Engine;
    let data = text
        .split_once("base64,")
        .map_or(text, |(_, data)| data)
        .trim();
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .ok()
        .map(axum::body::Bytes::from)
}

/// Adds a document a dialect received whole (base64 in a JSON body, a buffered form field) to a
/// draft, through the same upload use case as a streamed one.
pub(crate) async fn add_whole_document(
    signet: &signet_core::Signet,
    who: &signet_core::usecase::account::Principal,
    envelope: signet_core::id::EnvelopeId,
    name: &str,
    bytes: axum::body::Bytes,
    client: &signet_core::ClientInfo,
) -> Result<signet_core::model::Document, signet_core::CoreError> {
    let body = futures::stream::iter([Ok(bytes)]);
    signet.add_document(who, envelope, name, body, client).await
}

/// Every dialect, in the order of `docs/dialects.md`.
fn dialects() -> Vec<DialectRoutes> {
    vec![
        stiply::routes(),
        ignisign::routes(),
        auco::routes(),
        okdokument::routes(),
        acronis::routes(),
    ]
}

/// The routers of every dialect, merged.
pub(crate) fn routes() -> Router<AppState> {
    dialects()
        .into_iter()
        .map(DialectRoutes::finish)
        .fold(Router::new(), |all, (router, _)| all.merge(router))
}

/// Every dialect route, as mounted by [`crate::router`].
pub fn route_table() -> Vec<DialectRoute> {
    dialects().into_iter().flat_map(|d| d.finish().1).collect()
}
