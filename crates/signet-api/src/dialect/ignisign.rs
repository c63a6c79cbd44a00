//! The Ignisign v3 dialect, mounted at `/ignisign/v3`: the signature-request creation life
//! cycle (init a request, init and upload documents, create signers, update the draft with
//! `PUT /v3/signature-requests/{id}`, publish, read the context, close) on the core's use
//! cases. Credential: `Authorization: Bearer <API key>`. Errors: `{statusCode, code, message}`
//! ([`error`]). What the core does not act on (diffusion mode and date, extended auth session)
//! is kept in the envelope's attributes ([`stored`]) and returned; statements keep their wire
//! shape there too, and the core shows and enforces them ([`statement`]).

mod auth;
mod context;
mod document;
mod error;
mod json;
mod request;
mod signer;
mod statement;
mod stored;
mod update;

use axum::http::Method;

use crate::dialect::DialectRoutes;

/// Every Ignisign route.
pub(crate) fn routes() -> DialectRoutes {
    DialectRoutes::new("ignisign", "/ignisign/v3")
        .route(
            Method::POST,
            "/applications/{appId}/envs/{appEnv}/signature-requests",
            request::init_signature_request,
        )
        .route(
            Method::PUT,
            "/signature-requests/{signatureRequestId}",
            request::update_signature_request,
        )
        .route(
            Method::POST,
            "/signature-requests/{signatureRequestId}/publish",
            request::publish_signature_request,
        )
        .route(
            Method::POST,
            "/signature-requests/{signatureRequestId}/close",
            request::close_signature_request,
        )
        .route(
            Method::GET,
            "/signature-requests/{signatureRequestId}/context",
            request::signature_request_context,
        )
        .route(
            Method::POST,
            "/applications/{appId}/envs/{appEnv}/init-documents",
            document::init_document,
        )
        .route(
            Method::POST,
            "/documents/{documentId}/file",
            document::upload_file,
        )
        .route(
            Method::GET,
            "/documents/{documentId}/context",
            document::document_context,
        )
        .route(
            Method::POST,
            "/applications/{appId}/envs/{appEnv}/signers",
            signer::create_signer,
        )
}
