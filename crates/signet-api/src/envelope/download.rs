use axum::extract::State;
use axum::response::Response;
use signet_core::id::{DocumentId, EnvelopeId};
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Path};
use crate::stream::{Disposition, pdf_response};

/// The sealed PDF of a completed single-document envelope.
#[utoipa::path(
    get, path = "/api/v1/envelopes/{id}/signed.pdf", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    responses(
        (status = 200, description = "The signed PDF (PAdES, incremental update over the original)", content_type = "application/pdf"),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
        (status = 409, description = "`not_completed`, or `multiple_documents` (use the per-document route)", body = ErrorBody),
        (status = 500, description = "`integrity_error`: the stored file no longer matches its hash", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn signed_pdf(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let download = state
        .signet
        .signed_pdf(&who, EnvelopeId::from_uuid(id), None)
        .await?;
    Ok(pdf_response(download, Disposition::Attachment))
}

/// The sealed PDF of one document of a completed envelope.
#[utoipa::path(
    get, path = "/api/v1/envelopes/{id}/documents/{document_id}/signed.pdf", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id"), ("document_id" = Uuid, Path, description = "Document id")),
    responses(
        (status = 200, description = "The signed PDF", content_type = "application/pdf"),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope or document in your account", body = ErrorBody),
        (status = 409, description = "`not_completed`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn document_signed_pdf(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path((id, document_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Response> {
    let download = state
        .signet
        .signed_pdf(
            &who,
            EnvelopeId::from_uuid(id),
            Some(DocumentId::from_uuid(document_id)),
        )
        .await?;
    Ok(pdf_response(download, Disposition::Attachment))
}

/// A document as it was uploaded.
#[utoipa::path(
    get, path = "/api/v1/envelopes/{id}/documents/{document_id}/original.pdf", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id"), ("document_id" = Uuid, Path, description = "Document id")),
    responses(
        (status = 200, description = "The original PDF", content_type = "application/pdf"),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope or document in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn document_original_pdf(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path((id, document_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Response> {
    let download = state
        .signet
        .original_pdf(
            &who,
            EnvelopeId::from_uuid(id),
            DocumentId::from_uuid(document_id),
        )
        .await?;
    Ok(pdf_response(download, Disposition::Attachment))
}

/// The sealed proof document (certificate of completion) of a completed envelope.
#[utoipa::path(
    get, path = "/api/v1/envelopes/{id}/proof.pdf", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    responses(
        (status = 200, description = "The proof PDF", content_type = "application/pdf"),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
        (status = 409, description = "`not_completed`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn proof_pdf(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let download = state
        .signet
        .proof_pdf(&who, EnvelopeId::from_uuid(id))
        .await?;
    Ok(pdf_response(download, Disposition::Attachment))
}
