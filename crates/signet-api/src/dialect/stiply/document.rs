//! The signed document and the proof document of a completed sign request, base64 in JSON.

use std::io::Read;

use axum::Json;
use axum::extract::{Path, State};
use base64::Engine as _;
use serde_json::{Value, json};
use signet_core::CoreError;
use signet_core::usecase::download::Download;

use super::DIALECT;
use super::auth::StiplyAuth;
use super::error::StiplyResult;
use crate::AppState;

/// `GET /sign_requests/{key}/documents/actions/get_signed_document`.
pub(crate) async fn signed(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Path(key): Path<String>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let record = signet.envelope_by_dialect_key(&who, DIALECT, &key).await?;
    let download = signet.signed_pdf(&who, record.envelope.id, None).await?;
    let stem = stem(record.documents.first().map_or("document", |d| &d.filename));
    encoded(download, format!("{stem}-[Ondertekend].pdf")).await
}

/// `GET /sign_requests/{key}/documents/actions/get_proof_document`.
pub(crate) async fn proof(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Path(key): Path<String>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let record = signet.envelope_by_dialect_key(&who, DIALECT, &key).await?;
    let download = signet.proof_pdf(&who, record.envelope.id).await?;
    let stem = stem(record.documents.first().map_or("document", |d| &d.filename));
    encoded(download, format!("{stem}-[Bewijs].pdf")).await
}

/// The file name without its extension.
fn stem(filename: &str) -> &str {
    filename.rsplit_once('.').map_or(filename, |(stem, _)| stem)
}

async fn encoded(download: Download, file_name: String) -> StiplyResult<Json<Value>> {
    let Download {
        mut reader,
        size,
        sha256,
        ..
    } = download;
    let bytes = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map(|_| bytes)
    })
    .await
    .map_err(|e| CoreError::Internal(e.to_string()))?
    .map_err(|e| CoreError::Storage(e.to_string()))?;
    Ok(Json(json!({
        "file_name": file_name,
        "mimeType": "application/pdf",
        "file_size": size.to_string(),
        "hash": hex::encode(sha256),
        "data": base64::engine::general_purpose::STANDARD.encode(bytes),
        "status_code": "200",
    })))
}
