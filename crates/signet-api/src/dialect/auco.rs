//! Auco v1.5 at `/auco/v1.5/ext`: the document process (a signing process over one document,
//! or over a "package" of several) made, read and reactivated through the bare private key in
//! `Authorization` (`Authorization: prk_...`; Signet takes the account's API key there).
//!
//! A process is a Signet envelope and its `code` is the envelope id, so an envelope made
//! through any door can be reactivated here; a package is an envelope with two or more
//! documents, whose code is the envelope id too (`docs/dialects.md`).

mod auth;
mod error;
mod json;
mod process;
mod reactivate;

use axum::http::Method;

use super::DialectRoutes;

/// The Auco routes.
pub(super) fn routes() -> DialectRoutes {
    DialectRoutes::new("auco", "/auco/v1.5/ext")
        .route(Method::POST, "/document/upload", process::upload_document)
        .route(Method::POST, "/package/upload", process::upload_package)
        .route(Method::GET, "/document", process::get_document)
        .route(Method::PUT, "/document/reactivate", reactivate::reactivate)
}
