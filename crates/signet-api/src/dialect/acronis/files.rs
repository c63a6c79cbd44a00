//! The notary storage: `POST /stored-files/sign` (upload a file to sign; multipart `file`,
//! as the vendor's "Signing an individual file" sends it) and `GET /stored-files/{file_id}`
//! (the file id is the native document id).

use axum::Json;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use futures::StreamExt;
use signet_core::CoreError;
use signet_core::id::DocumentId;
use signet_core::usecase::envelope::NewEnvelope;

use super::auth::AcronisAuth;
use super::documents::{SIGNING_ORDER, view};
use super::error::{AcronisError, AcronisResult};
use super::json::FileEnvelope;
use crate::AppState;
use crate::document::{missing_file, multipart_body, multipart_error};
use crate::extract::Client;

/// `POST /api/notary/v2/stored-files/sign`: stores the file in a new draft e-sign document
/// (an envelope titled with the file's name, signees all at once) and answers 201 with the
/// file and its document. Other form fields (the vendor's `embedded`) are accepted and
/// ignored: Signet always embeds the signatures.
pub async fn upload_to_sign(
    State(state): State<AppState>,
    AcronisAuth(who): AcronisAuth,
    Client(client): Client,
    multipart: Result<Multipart, MultipartRejection>,
) -> AcronisResult<(StatusCode, Json<FileEnvelope>)> {
    let limit = state.signet.config().max_upload_bytes;
    let mut multipart = multipart_body(multipart)?;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|err| AcronisError::from(multipart_error(err, limit)))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("document.pdf").to_string();
        let new = NewEnvelope {
            title: filename.clone(),
            signing_order: Some(SIGNING_ORDER),
            ..NewEnvelope::default()
        };
        let record = state.signet.create_envelope(&who, new, &client).await?;
        let id = record.envelope.id;
        let body = field.map(|chunk| chunk.map_err(|err| multipart_error(err, limit)));
        let document = match state
            .signet
            .add_document(&who, id, &filename, body, &client)
            .await
        {
            Ok(document) => document,
            Err(err) => {
                // Leave nothing behind for a file that was refused.
                if let Err(cleanup) = state.signet.delete_envelope(&who, id, &client).await {
                    tracing::warn!(error = %cleanup, "could not remove the empty draft");
                }
                return Err(err.into());
            }
        };
        let record = state.signet.envelope(&who, id).await?;
        let (_, file) = view(&state, &who, &record, document.id).await?;
        return Ok((StatusCode::CREATED, Json(FileEnvelope { file })));
    }
    Err(missing_file().into())
}

/// `GET /api/notary/v2/stored-files/{file_id}`.
pub async fn get_stored_file(
    State(state): State<AppState>,
    AcronisAuth(who): AcronisAuth,
    axum::extract::Path(file_id): axum::extract::Path<String>,
) -> AcronisResult<Json<FileEnvelope>> {
    let id: DocumentId = file_id
        .parse()
        .map_err(|_| AcronisError::not_found("file"))?;
    let record = state
        .signet
        .envelope_of_document(&who, id)
        .await
        .map_err(|err| match err {
            CoreError::NotFound(_) => AcronisError::not_found("file"),
            other => other.into(),
        })?;
    let (_, file) = view(&state, &who, &record, id).await?;
    Ok(Json(FileEnvelope { file }))
}
