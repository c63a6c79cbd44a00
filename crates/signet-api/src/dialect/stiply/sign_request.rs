//! Sign requests: create (multipart), list, get, delete, and the key of an external key.

use crate::dialect::add_whole_document;
use std::collections::HashMap;

use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Value, json};
use signet_core::model::{EnvelopeStatus, KeyedObject, SigningOrder};
use signet_core::port::EnvelopeFilter;
use signet_core::usecase::envelope::NewEnvelope;
use signet_core::{ClientInfo, CoreError};

use super::DIALECT;
use super::auth::StiplyAuth;
use super::error::{StiplyError, StiplyResult};
use super::term::{allowed_html, parse_term};
use super::view::Loaded;
use crate::AppState;
use crate::document::multipart_error;
use crate::extract::Client;

/// The multipart form, once read.
#[derive(Default)]
struct Form {
    file: Option<(String, Bytes)>,
    text: HashMap<String, String>,
}

async fn read_form(
    multipart: Result<Multipart, MultipartRejection>,
    limit: u64,
) -> StiplyResult<Form> {
    let mut multipart = multipart.map_err(|_| {
        StiplyError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the sign request as multipart/form-data with a `file` field",
        )
    })?;
    let mut form = Form::default();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|err| StiplyError::from(multipart_error(err, limit)))?
    {
        let name = field.name().unwrap_or("").to_ascii_lowercase();
        if name == "file" {
            let filename = field.file_name().unwrap_or("document.pdf").to_owned();
            let mut data = Vec::new();
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|err| StiplyError::from(multipart_error(err, limit)))?
            {
                if (data.len() + chunk.len()) as u64 > limit {
                    return Err(CoreError::TooLarge { limit }.into());
                }
                data.extend_from_slice(&chunk);
            }
            form.file = Some((filename, Bytes::from(data)));
        } else {
            let value = field
                .text()
                .await
                .map_err(|err| StiplyError::from(multipart_error(err, limit)))?;
            form.text.insert(name, value);
        }
    }
    Ok(form)
}

/// A create request, translated: the core's envelope, Stiply's attributes, the file.
struct SignRequest {
    new: NewEnvelope,
    attributes: Value,
    filename: String,
    bytes: Bytes,
}

impl SignRequest {
    fn from_form(mut form: Form) -> StiplyResult<Self> {
        let text = &mut form.text;
        let mut take = |name: &str| text.remove(name).filter(|v| !v.trim().is_empty());
        let term_code =
            take("term").ok_or_else(|| StiplyError::wrong_parameter("term is required"))?;
        parse_term(&term_code)?;
        let (doc_name, subject) = (take("doc_name"), take("subject"));
        let (message, comment) = (take("message"), take("comment"));
        let (external_key, call_back_url) = (take("external_key"), take("call_back_url"));
        let order = match take("signing_sequence_type").as_deref() {
            None | Some("sequential") => SigningOrder::Sequential,
            Some("parallel") => SigningOrder::Parallel,
            Some(other) => {
                return Err(StiplyError::wrong_parameter(format!(
                    "signing_sequence_type must be sequential or parallel (got {other:?})"
                )));
            }
        };
        let (filename, bytes) = form
            .file
            .take()
            .ok_or_else(|| StiplyError::wrong_parameter("file is required"))?;
        let title = subject
            .as_deref()
            .map(allowed_html)
            .or_else(|| doc_name.clone())
            .unwrap_or_else(|| filename.clone());
        let new = NewEnvelope {
            title,
            message: message.as_deref().map(allowed_html),
            external_key,
            signing_order: Some(order),
            // Stiply's term starts when the request is sent (`action::send`).
            expires_at: None,
            callback_url: call_back_url,
            ..NewEnvelope::default()
        };
        let attributes = json!({
            "term_code": term_code,
            "comment": comment.as_deref().map(allowed_html),
            "doc_name": doc_name,
        });
        Ok(Self {
            new,
            attributes,
            filename,
            bytes,
        })
    }
}

/// `POST /sign_requests`.
pub(crate) async fn create(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Client(client): Client,
    multipart: Result<Multipart, MultipartRejection>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let form = read_form(multipart, signet.config().max_upload_bytes).await?;
    let SignRequest {
        new,
        attributes,
        filename,
        bytes,
    } = SignRequest::from_form(form)?;
    let record = signet
        .create_envelope(&who, new, &client)
        .await
        .map_err(|err| StiplyError::from(err).with_status(StatusCode::BAD_REQUEST))?;
    let id = record.envelope.id;
    if let Err(err) = add_whole_document(signet, &who, id, &filename, bytes, &client).await {
        // Leave nothing behind: the draft goes with its failed upload.
        let _ = signet.delete_envelope(&who, id, &ClientInfo::none()).await;
        return Err(err.into());
    }
    signet
        .set_dialect_attributes(&who, DIALECT, KeyedObject::Envelope(id), attributes)
        .await?;
    let loaded = Loaded::by_key(&state, &who, &id.to_string()).await?;
    Ok(Json(json!({"data": loaded.full(&HashMap::new())})))
}

/// `GET /sign_requests/{key}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Path(key): Path<String>,
) -> StiplyResult<Json<Value>> {
    let loaded = Loaded::by_key(&state, &who, &key).await?;
    Ok(Json(json!({"data": loaded.full(&HashMap::new())})))
}

/// `DELETE /sign_requests/{key}`: drafts are removed; sent requests are canceled and hidden.
pub(crate) async fn delete(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Client(client): Client,
    Path(key): Path<String>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let record = signet.envelope_by_dialect_key(&who, DIALECT, &key).await?;
    signet
        .delete_envelope(&who, record.envelope.id, &client)
        .await
        .map_err(|err| StiplyError::from(err).with_status(StatusCode::UNPROCESSABLE_ENTITY))?;
    Ok(Json(json!({
        "message": "Ondertekenverzoek en document succesvol verwijderd.",
        "status_code": "200",
    })))
}

/// `GET /sign_requests/{external_key}/actions/get_sign_request_key`.
pub(crate) async fn key_of_external(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Path(external_key): Path<String>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let filter = EnvelopeFilter {
        external_key: Some(external_key),
        ..Default::default()
    };
    let page = signet.list_envelopes(&who, filter, None, 1).await?;
    let envelope = page.items.first().ok_or_else(|| {
        StiplyError::new(
            StatusCode::BAD_REQUEST,
            "external_key_not_found",
            "External key not found or invalid",
        )
    })?;
    let key = signet
        .dialect_key(&who, DIALECT, KeyedObject::Envelope(envelope.id))
        .await?;
    Ok(Json(json!({"key": key.key, "status_code": "200"})))
}

/// The query of `GET /sign_requests`.
#[derive(Deserialize)]
pub(crate) struct ListQuery {
    sent: Option<String>,
    canceled: Option<String>,
    all_signed: Option<String>,
    #[serde(rename = "$top")]
    top: Option<String>,
    #[serde(rename = "$skip")]
    skip: Option<String>,
}

fn flag_param(name: &str, value: Option<&str>) -> StiplyResult<Option<bool>> {
    match value {
        None => Ok(None),
        Some("1" | "true") => Ok(Some(true)),
        Some("0" | "false") => Ok(Some(false)),
        Some(other) => Err(StiplyError::wrong_parameter(format!(
            "{name} must be 0 or 1 (got {other:?})"
        ))),
    }
}

/// The core's filter for Stiply's list flags, or `None` when no status can meet them
/// (`canceled=1&all_signed=1`). `all_signed` counts a request being sealed as signed.
fn list_filter(
    sent: Option<bool>,
    canceled: Option<bool>,
    all_signed: Option<bool>,
) -> Option<EnvelopeFilter> {
    let statuses: Vec<EnvelopeStatus> = EnvelopeStatus::ALL
        .iter()
        .copied()
        .filter(|s| canceled.is_none_or(|c| c == (*s == EnvelopeStatus::Canceled)))
        .filter(|s| {
            let done = matches!(s, EnvelopeStatus::Sealing | EnvelopeStatus::Completed);
            all_signed.is_none_or(|a| a == done)
        })
        .collect();
    if statuses.is_empty() {
        return None;
    }
    let narrowed = statuses.len() < EnvelopeStatus::ALL.len();
    Some(EnvelopeFilter {
        statuses: if narrowed { statuses } else { Vec::new() },
        sent,
        ..Default::default()
    })
}

/// `GET /sign_requests?sent=&canceled=&all_signed=&$top=&$skip=`, newest first; the flags
/// filter in the database, `$skip` walks the matching requests.
pub(crate) async fn list(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> StiplyResult<Json<Value>> {
    let Query(q) = query.map_err(|e| StiplyError::wrong_parameter(e.body_text()))?;
    let sent = flag_param("sent", q.sent.as_deref())?;
    let canceled = flag_param("canceled", q.canceled.as_deref())?;
    let all_signed = flag_param("all_signed", q.all_signed.as_deref())?;
    let top = match q.top.as_deref() {
        None => 100,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|t| (1..=100).contains(t))
            .ok_or_else(|| StiplyError::wrong_parameter("$top must be an integer from 1 to 100"))?,
    };
    let skip = match q.skip.as_deref() {
        None => 0,
        Some(s) => s
            .parse::<usize>()
            .map_err(|_| StiplyError::wrong_parameter("$skip must be a non-negative integer"))?,
    };
    let Some(filter) = list_filter(sent, canceled, all_signed) else {
        return Ok(Json(json!({"data": []})));
    };
    let signet = &state.signet;
    let (mut skipped, mut items, mut before) = (0usize, Vec::new(), None);
    'pages: loop {
        let page = signet
            .list_envelopes(&who, filter.clone(), before, 100)
            .await?;
        for envelope in &page.items {
            if skipped < skip {
                skipped += 1;
                continue;
            }
            let record = signet.envelope(&who, envelope.id).await?;
            items.push(Loaded::of(&state, &who, record).await?.listed());
            if items.len() == top {
                break 'pages;
            }
        }
        match page.next_cursor {
            Some(cursor) => before = Some(cursor),
            None => break,
        }
    }
    Ok(Json(json!({"data": items})))
}
