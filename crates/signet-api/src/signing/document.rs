use axum::extract::State;
use axum::response::Response;
use signet_core::id::DocumentId;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Path;
use crate::signing::cookie::SignerCookie;
use crate::stream::{Disposition, pdf_response};

/// The PDF of a document, for the signer to read.
#[utoipa::path(
    get, path = "/api/v1/signing/{token}/documents/{document_id}", tag = "signing",
    params(("token" = String, Path, description = "The signing-link token"), ("document_id" = Uuid, Path, description = "Document id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 403, description = "`authentication_required`: enter the one-time code first", body = ErrorBody),
        (status = 404, description = "Unknown token or document", body = ErrorBody),
        (status = 409, description = "`not_your_turn`", body = ErrorBody),
        (status = 410, description = "`link_revoked` or `link_expired`", body = ErrorBody),
    )
)]
pub async fn signing_document(
    State(state): State<AppState>,
    SignerCookie(cookie): SignerCookie,
    Path((token, document_id)): Path<(String, Uuid)>,
) -> ApiResult<Response> {
    let download = state
        .signet
        .signing_document(
            &token,
            cookie.as_deref(),
            DocumentId::from_uuid(document_id),
        )
        .await?;
    Ok(pdf_response(download, Disposition::Inline))
}
