//! `POST /api/v1/envelopes/{id}/documents`: upload a PDF, DOC or DOCX (multipart field
//! `file`), streamed.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::{HeaderMap, StatusCode, header};
use futures::StreamExt;
use signet_core::CoreError;
use signet_core::id::EnvelopeId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::envelope::json::DocumentResponse;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, Client, Path};

/// The document routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(upload_document))
}

/// The multipart form of an upload (for the OpenAPI document).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The PDF, DOC or DOCX.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Upload a PDF to a draft envelope, or a DOC or DOCX, which is converted to PDF with LibreOffice
/// (the upload is kept, with its hash, as evidence). The response lists the pages and the
/// `{{tags}}` found in the text with their positions. Nothing is stored when the upload is
/// rejected.
#[utoipa::path(
    post, path = "/api/v1/envelopes/{id}/documents", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The stored document", body = DocumentResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
        (status = 409, description = "`envelope_not_draft`", body = ErrorBody),
        (status = 413, description = "Larger than the configured limit", body = ErrorBody),
        (status = 415, description = "Not a PDF, DOC or DOCX, or not multipart/form-data (`unsupported_media_type`); a DOC or DOCX while LibreOffice is not installed (`conversion_unavailable`)", body = ErrorBody),
        (status = 422, description = "`pdf_damaged`, `pdf_encrypted`, `pdf_limit_exceeded`, `missing_file`, `conversion_failed`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn upload_document(
    State(state): State<AppState>,
    Auth(who): Auth,
    Client(client): Client,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, axum::Json<DocumentResponse>)> {
    let limit = state.signet.config().max_upload_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit + 64 * 1024) {
        return Err(CoreError::TooLarge { limit }.into());
    }
    let mut multipart = multipart_body(multipart)?;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|err| ApiError::from(multipart_error(err, limit)))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("document.pdf").to_string();
        let body = field.map(|chunk| chunk.map_err(|err| multipart_error(err, limit)));
        let document = state
            .signet
            .add_document(&who, EnvelopeId::from_uuid(id), &filename, body, &client)
            .await?;
        return Ok((
            StatusCode::CREATED,
            axum::Json(DocumentResponse::from(&document)),
        ));
    }
    Err(missing_file())
}

/// The multipart body, or 415 when the request is not `multipart/form-data`.
pub(crate) fn multipart_body(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Multipart, ApiError> {
    multipart.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the PDF as multipart/form-data with a `file` field",
        )
    })
}

/// 422 for a multipart body without a `file` field.
pub(crate) fn missing_file() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "missing_file",
        "the multipart body has no `file` field",
    )
}

pub(crate) fn multipart_error(err: MultipartError, limit: u64) -> CoreError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        CoreError::TooLarge { limit }
    } else {
        CoreError::invalid(
            "invalid_multipart",
            format!("the multipart body is malformed: {}", err.body_text()),
        )
    }
}
