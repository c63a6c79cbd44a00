//! The Acronis Cyber Notary v2 dialect, mounted at `/acronis` (the "cloud URL" and the one
//! data center's `server_url`): the platform's data-center lookup and password grant, then
//! the notary API's e-sign calls under `/api/notary/v2`, and the documents' two links.
//! The document id is the SHA-256 of the uploaded file; the file id is the native document id.

mod auth;
mod documents;
mod error;
mod files;
mod json;
mod links;
mod token;

use axum::http::Method;

use super::DialectRoutes;

/// Where the dialect is mounted.
pub(crate) const PREFIX: &str = "/acronis";

/// Every route of the dialect.
pub(crate) fn routes() -> DialectRoutes {
    const NOTARY: &str = "/api/notary/v2";
    DialectRoutes::new("acronis", PREFIX)
        .token_route(Method::GET, "/api/1/accounts", token::lookup_account)
        .token_route(Method::POST, "/api/2/idp/token", token::password_token)
        .route(
            Method::POST,
            &format!("{NOTARY}/stored-files/sign"),
            files::upload_to_sign,
        )
        .route(
            Method::GET,
            &format!("{NOTARY}/stored-files/{{file_id}}"),
            files::get_stored_file,
        )
        .route(
            Method::GET,
            &format!("{NOTARY}/documents/{{doc_id}}"),
            documents::get_document,
        )
        .route(
            Method::POST,
            &format!("{NOTARY}/documents/{{doc_id}}/signees"),
            documents::add_signees,
        )
        .route(
            Method::POST,
            &format!("{NOTARY}/documents/{{doc_id}}/signees/{{signee_id}}/resend"),
            documents::resend,
        )
        .route(
            Method::GET,
            "/doc/{doc_id}/download",
            links::signature_certificate,
        )
        .route(
            Method::GET,
            "/certificate/{certificate_id}",
            links::notarization_certificate,
        )
}
