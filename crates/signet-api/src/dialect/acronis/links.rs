//! The two links of an e-sign document, under the server URL like the vendor's relative
//! links, both needing the Bearer token:
//!
//! - `GET /doc/{doc_id}/download` (`signature_certificate_link`): the sealed proof document
//!   (certificate of completion) once every signee signed; 409 `not_completed` before.
//! - `GET /certificate/{certificate_id}` (`notarization_certificate_link`): the notarization
//!   certificate, a sealed, time-stamped PDF stating the document's SHA-256; available from
//!   the first look at the document on.

use axum::extract::State;
use axum::response::Response;

use super::auth::AcronisAuth;
use super::documents::parse_hash;
use super::error::{AcronisError, AcronisResult};
use crate::AppState;
use crate::stream::{Disposition, pdf_response};

/// `GET /doc/{doc_id}/download`.
pub async fn signature_certificate(
    State(state): State<AppState>,
    AcronisAuth(who): AcronisAuth,
    axum::extract::Path(doc_id): axum::extract::Path<String>,
) -> AcronisResult<Response> {
    let hash = parse_hash(&doc_id)?;
    let (record, _) = state
        .signet
        .envelope_by_document_sha256(&who, &hash)
        .await?;
    let proof = state.signet.proof_pdf(&who, record.envelope.id).await?;
    Ok(pdf_response(proof, Disposition::Attachment))
}

/// `GET /certificate/{certificate_id}`.
pub async fn notarization_certificate(
    State(state): State<AppState>,
    AcronisAuth(who): AcronisAuth,
    axum::extract::Path(certificate_id): axum::extract::Path<String>,
) -> AcronisResult<Response> {
    let mut hash = [0u8; 32];
    hex::decode_to_slice(&certificate_id, &mut hash)
        .map_err(|_| AcronisError::not_found("certificate"))?;
    let certificate = state.signet.notarization_certificate(&who, &hash).await?;
    Ok(pdf_response(certificate, Disposition::Attachment))
}
