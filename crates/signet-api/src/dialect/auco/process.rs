//! Creating and reading a document process: `POST /document/upload` (one PDF),
//! `POST /package/upload` (several) and `GET /document?code=` (or `?package=`).

use crate::dialect::add_whole_document;
use axum::Json;
use axum::extract::State;
use bytes::Bytes;
use serde_json::{Value, json};
use signet_core::ClientInfo;
use signet_core::id::{DocumentId, EnvelopeId};
use signet_core::model::{EnvelopeRecord, FieldKind, Rect, SigningOrder};
use signet_core::usecase::account::Principal;
use signet_core::usecase::envelope::NewEnvelope;
use signet_core::usecase::signer::{NewField, NewSigner, Placement};

use super::auth::AucoAuth;
use super::error::AucoError;
use super::json::{AucoJson, ProcessQuery, ProcessResponse, SignProfile, UploadRequest};
use crate::AppState;
use crate::extract::{Client, Query};

/// A process named by its document code or its package code.
pub(super) enum Wanted {
    Code(String),
    Package(String),
}

impl Wanted {
    /// Exactly one of `code` and `package`, else 400 `MISSING_PARAMETERS`.
    pub(super) fn exactly_one(
        code: Option<String>,
        package: Option<String>,
    ) -> Result<Self, AucoError> {
        let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        match (given(code), given(package)) {
            (Some(code), None) => Ok(Self::Code(code)),
            (None, Some(package)) => Ok(Self::Package(package)),
            (Some(_), Some(_)) => Err(AucoError::bad_request(
                "MISSING_PARAMETERS",
                "code and package are mutually exclusive: send only one of them",
            )),
            (None, None) => Err(AucoError::bad_request(
                "MISSING_PARAMETERS",
                "send code (a document) or package",
            )),
        }
    }
}

/// The caller's process; 404 `PROCESS_NOT_FOUND` for an unknown code, another account's, or
/// a `package` that names a one-document process.
pub(super) async fn find_process(
    state: &AppState,
    who: &Principal,
    wanted: &Wanted,
) -> Result<EnvelopeRecord, AucoError> {
    let (text, package) = match wanted {
        Wanted::Code(code) => (code, false),
        Wanted::Package(code) => (code, true),
    };
    let id: EnvelopeId = text
        .trim()
        .parse()
        .map_err(|_| AucoError::process_not_found())?;
    let record = state.signet.envelope(who, id).await?;
    if package && record.documents.len() < 2 {
        return Err(AucoError::process_not_found());
    }
    Ok(record)
}

/// `GET /document?code=` or `?package=`.
pub(super) async fn get_document(
    State(state): State<AppState>,
    AucoAuth(who): AucoAuth,
    query: Result<Query<ProcessQuery>, crate::error::ApiError>,
) -> Result<Json<ProcessResponse>, AucoError> {
    let Query(query) = query.map_err(AucoError::from_api)?;
    let wanted = Wanted::exactly_one(query.code, query.package)?;
    let record = find_process(&state, &who, &wanted).await?;
    Ok(Json(ProcessResponse::of(&record, state.signet.now())))
}

/// `POST /document/upload`: one PDF in `file`; answers `{"document": code}`.
pub(super) async fn upload_document(
    State(state): State<AppState>,
    AucoAuth(who): AucoAuth,
    Client(client): Client,
    AucoJson(body): AucoJson<UploadRequest>,
) -> Result<Json<Value>, AucoError> {
    let file = body.file.clone().ok_or_else(|| {
        AucoError::bad_request("MISSING_PARAMETERS", "file (the PDF, base64) is required")
    })?;
    let files = vec![(format!("{}.pdf", body.name.trim()), file)];
    let id = create_process(&state, &who, &client, &body, files).await?;
    Ok(Json(json!({"document": id.to_string()})))
}

/// `POST /package/upload`: two or more PDFs in `documents`; answers `{"package": code}`.
pub(super) async fn upload_package(
    State(state): State<AppState>,
    AucoAuth(who): AucoAuth,
    Client(client): Client,
    AucoJson(body): AucoJson<UploadRequest>,
) -> Result<Json<Value>, AucoError> {
    if body.documents.len() < 2 {
        return Err(AucoError::bad_request(
            "MISSING_PARAMETERS",
            "a package has two or more documents",
        ));
    }
    let files = body
        .documents
        .iter()
        .map(|d| (d.name.clone(), d.file.clone()))
        .collect();
    let id = create_process(&state, &who, &client, &body, files).await?;
    Ok(Json(json!({"package": id.to_string()})))
}

/// Makes the envelope, adds the documents and signers, and sends it; a failure on the way
/// removes the draft again.
async fn create_process(
    state: &AppState,
    who: &Principal,
    client: &ClientInfo,
    body: &UploadRequest,
    files: Vec<(String, String)>,
) -> Result<EnvelopeId, AucoError> {
    if !body.email.contains('@') {
        return Err(AucoError::bad_request(
            "MISSING_PARAMETERS",
            "email (of the user creating the process) is required",
        ));
    }
    let expires_at = body
        .expired_date
        .as_deref()
        .map(|text| {
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .map_err(|_| AucoError::bad_request("INVALID_DATE", "expiredDate is not RFC 3339"))
        })
        .transpose()?;
    let new = NewEnvelope {
        title: body.name.clone(),
        message: body.message.clone(),
        signing_order: Some(SigningOrder::Parallel),
        expires_at,
        ..NewEnvelope::default()
    };
    let record = state.signet.create_envelope(who, new, client).await?;
    let id = record.envelope.id;
    let filled = fill(state, who, client, id, body, files).await;
    if let Err(err) = filled {
        // Best effort: the draft is purged; the error the client sees is the first one.
        let _ = state.signet.delete_envelope(who, id, client).await;
        return Err(err);
    }
    Ok(id)
}

async fn fill(
    state: &AppState,
    who: &Principal,
    client: &ClientInfo,
    id: EnvelopeId,
    body: &UploadRequest,
    files: Vec<(String, String)>,
) -> Result<(), AucoError> {
    let mut documents = Vec::new();
    for (name, file) in files {
        let bytes = decode_pdf(&file)?;
        let document = add_whole_document(&state.signet, who, id, &name, bytes, client).await?;
        documents.push(document.id);
    }
    for profile in &body.sign_profile {
        let signer = new_signer(profile, &documents)?;
        state.signet.add_signer(who, id, signer, client).await?;
    }
    state.signet.send_envelope(who, id, client).await?;
    Ok(())
}

fn decode_pdf(file: &str) -> Result<Bytes, AucoError> {
    crate::dialect::base64_file(file)
        .ok_or_else(|| AucoError::bad_request("INVALID_FILE", "file is not valid base64"))
}

fn new_signer(profile: &SignProfile, documents: &[DocumentId]) -> Result<NewSigner, AucoError> {
    let mut fields = Vec::new();
    if let Some(tag) = &profile.tag {
        fields.push(NewField {
            kind: FieldKind::Signature,
            placement: Placement::Tag {
                tag: tag.clone(),
                width: None,
                height: None,
            },
            required: None,
        });
    }
    for p in &profile.position {
        let document_id = *documents.get(p.document).ok_or_else(|| {
            AucoError::bad_request("INVALID_POSITION", "position.document names no document")
        })?;
        fields.push(NewField {
            kind: FieldKind::Signature,
            placement: Placement::At {
                document_id,
                page: p.page,
                rect: Rect {
                    x: p.x,
                    y: p.y,
                    width: p.width.unwrap_or(150.0),
                    height: p.height.unwrap_or(50.0),
                },
            },
            required: None,
        });
    }
    Ok(NewSigner {
        name: profile.name.clone(),
        email: profile.email.clone(),
        role: None,
        order: None,
        language: None,
        invitation: None,
        redirect_url: None,
        message: None,
        fields,
        auth_method: None,
        phone: None,
        identity_provider: None,
        expected_identity: None,
    })
}
