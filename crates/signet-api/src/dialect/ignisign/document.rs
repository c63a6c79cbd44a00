//! The document handlers: `init-documents`, the file upload and the document context.

use axum::Json;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use futures::StreamExt;
use serde_json::{Value, json};
use signet_core::id::EnvelopeId;
use signet_core::model::EnvelopeStatus;
use signet_core::usecase::draft::DraftUpdate;

use super::auth::{AppPath, IgnisignAuth, IgnisignJson, IgnisignPath};
use super::context::{self, app};
use super::error::{IgnisignError, IgnisignResult};
use super::json::{InitDocumentRequest, iso};
use super::request::{change, load, request_id};
use super::stored::PendingDocument;
use crate::AppState;
use crate::document::multipart_error;
use crate::extract::Client;

/// `POST /v3/applications/{appId}/envs/{appEnv}/init-documents`: a document of a draft request
/// whose file comes later; `{documentId}`.
pub(crate) async fn init_document(
    State(state): State<AppState>,
    IgnisignAuth(who): IgnisignAuth,
    Client(client): Client,
    _app: AppPath,
    IgnisignJson(body): IgnisignJson<InitDocumentRequest>,
) -> IgnisignResult<Json<Value>> {
    let raw = body
        .signature_request_id
        .ok_or_else(|| IgnisignError::invalid("signatureRequestId is required"))?;
    let id = request_id(&raw)?;
    for (field, value) in [
        ("label", &body.label),
        ("description", &body.description),
        ("externalId", &body.external_id),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 1000) {
            return Err(IgnisignError::invalid(format!(
                "{field} must have at most 1000 characters"
            )));
        }
    }
    let key = uuid::Uuid::now_v7().to_string();
    let pending = PendingDocument {
        key: key.clone(),
        label: body.label,
        description: body.description,
        external_id: body.external_id,
        created_at: iso(state.signet.now()).as_str().map(str::to_string),
        document_id: None,
    };
    let (state, who) = (&state, &who);
    change(state, who, id, &client, |_, mut stored| {
        stored.documents.push(pending.clone());
        async move { Ok((DraftUpdate::default(), stored)) }
    })
    .await?;
    Ok(Json(json!({ "documentId": format!("{id}.{key}") })))
}

/// `POST /v3/documents/{documentId}/file`: the PDF of an initialised document (multipart
/// field `file`); the document.
pub(crate) async fn upload_file(
    State(state): State<AppState>,
    IgnisignAuth(who): IgnisignAuth,
    Client(client): Client,
    IgnisignPath(raw): IgnisignPath,
    multipart: Result<Multipart, MultipartRejection>,
) -> IgnisignResult<Json<Value>> {
    let (id, key) = split(&raw)?;
    let (record, _, stored) = load(&state, &who, id).await?;
    let Some(index) = stored.documents.iter().position(|p| p.key == key) else {
        return Err(IgnisignError::not_found("document"));
    };
    require_draft(record.envelope.status)?;
    if stored.documents[index].document_id.is_some() {
        return Err(IgnisignError::new(
            StatusCode::BAD_REQUEST,
            "DOCUMENT_ALREADY_PROVIDED",
            "the document already has its file",
        ));
    }
    let mut multipart = multipart.map_err(|_| {
        IgnisignError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the file as multipart/form-data with a `file` field",
        )
    })?;
    let limit = state.signet.config().max_upload_bytes;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|err| IgnisignError::from(multipart_error(err, limit)))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("document.pdf").to_string();
        let body = field.map(|chunk| chunk.map_err(|err| multipart_error(err, limit)));
        let document = state
            .signet
            .add_document(&who, id, &filename, body, &client)
            .await?;
        let document_id = document.id.to_string();
        let (state, who) = (&state, &who);
        let (record, stored) = change(state, who, id, &client, |_, mut stored| {
            let found = stored.documents.iter_mut().find(|p| p.key == key);
            let result = match found {
                Some(pending) => {
                    pending.document_id = Some(document_id.clone());
                    Ok((DraftUpdate::default(), stored))
                }
                None => Err(IgnisignError::not_found("document")),
            };
            async move { result }
        })
        .await?;
        let (app_id, app_env) = app(who, &stored);
        return Ok(Json(context::document_json(
            &record, &stored, &document, &app_id, &app_env,
        )));
    }
    Err(IgnisignError::invalid(
        "the multipart body has no `file` field",
    ))
}

/// `GET /v3/documents/{documentId}/context`: one document of a request.
pub(crate) async fn document_context(
    State(state): State<AppState>,
    IgnisignAuth(who): IgnisignAuth,
    IgnisignPath(raw): IgnisignPath,
) -> IgnisignResult<Json<Value>> {
    let (id, key) = split(&raw)?;
    let (record, _, stored) = load(&state, &who, id).await?;
    let (app_id, app_env) = app(&who, &stored);
    if let Some(pending) = stored.document(&key).filter(|p| p.document_id.is_none()) {
        return Ok(Json(context::pending_json(
            &record, &stored, pending, &app_id, &app_env,
        )));
    }
    let core_id = stored
        .document(&key)
        .and_then(|p| p.document_id.clone())
        .unwrap_or(key);
    let document = record
        .documents
        .iter()
        .find(|d| d.id.to_string() == core_id)
        .ok_or_else(|| IgnisignError::not_found("document"))?;
    Ok(Json(context::document_json(
        &record, &stored, document, &app_id, &app_env,
    )))
}

/// `{signatureRequestId}.{key}` → the envelope and the key.
fn split(raw: &str) -> IgnisignResult<(EnvelopeId, String)> {
    let (request, key) = raw
        .split_once('.')
        .ok_or_else(|| IgnisignError::not_found("document"))?;
    let id = request
        .parse()
        .map_err(|_| IgnisignError::not_found("document"))?;
    Ok((id, key.to_string()))
}

fn require_draft(status: EnvelopeStatus) -> IgnisignResult<()> {
    if status == EnvelopeStatus::Draft {
        Ok(())
    } else {
        Err(IgnisignError::new(
            StatusCode::BAD_REQUEST,
            "SIGNATURE_REQUEST_NOT_DRAFT",
            "documents can only be added to a DRAFT signature request",
        ))
    }
}
