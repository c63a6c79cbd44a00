//! Creating (`POST /signatureRequest`) and reading (`GET /signatureRequest/{id}`) a signature
//! request.

use crate::dialect::add_whole_document;
use axum::Json;
use axum::extract::State;
use bytes::Bytes;
use signet_core::ClientInfo;
use signet_core::id::{DocumentId, EnvelopeId};
use signet_core::model::{FieldKind, Rect, SigningOrder};
use signet_core::usecase::account::Principal;
use signet_core::usecase::envelope::NewEnvelope;
use signet_core::usecase::signer::{NewField, NewSigner, Placement};
use signet_core::usecase::urls::UrlChanges;

use super::auth::OkAuth;
use super::error::OkError;
use super::json::{CreateRequest, Done, OkJson, RequestShape, SignerIn};
use super::request_url;
use crate::AppState;
use crate::extract::{Client, Path};

/// `GET /signatureRequest/{signatureRequestId}`.
pub(super) async fn get_request(
    State(state): State<AppState>,
    OkAuth(who): OkAuth,
    Path(text): Path<String>,
) -> Result<Json<RequestShape>, OkError> {
    let id: EnvelopeId = text
        .trim()
        .parse()
        .map_err(|_| OkError::unknown_id(&text))?;
    let record = state
        .signet
        .envelope(&who, id)
        .await
        .map_err(OkError::about(&text))?;
    let url = request_url(&state, &record.envelope.id.to_string());
    Ok(Json(RequestShape::of(&record, url, state.signet.now())))
}

/// `POST /signatureRequest`: makes the request, adds documents and signers, sends it (the
/// signers are invited by e-mail); answers `{"message": "msg.created", "result": id, "url"}`.
pub(super) async fn create_request(
    State(state): State<AppState>,
    OkAuth(who): OkAuth,
    Client(client): Client,
    OkJson(body): OkJson<CreateRequest>,
) -> Result<Json<Done>, OkError> {
    if body.documents.is_empty() || body.signers.is_empty() {
        return Err(OkError::bad_request(
            "msg.missing: at least one document and one signer",
            if body.documents.is_empty() {
                "documents"
            } else {
                "signers"
            },
        ));
    }
    let new = NewEnvelope {
        title: body.title.clone(),
        message: body.message.clone(),
        signing_order: Some(SigningOrder::Parallel),
        ..NewEnvelope::default()
    };
    let record = state.signet.create_envelope(&who, new, &client).await?;
    let id = record.envelope.id;
    if let Err(err) = fill(&state, &who, &client, id, body).await {
        // Best effort: the draft is purged; the client sees the first error.
        let _ = state.signet.delete_envelope(&who, id, &client).await;
        return Err(err);
    }
    let result = id.to_string();
    Ok(Json(Done {
        message: "msg.created",
        url: request_url(&state, &result),
        result,
    }))
}

async fn fill(
    state: &AppState,
    who: &Principal,
    client: &ClientInfo,
    id: EnvelopeId,
    body: CreateRequest,
) -> Result<(), OkError> {
    let send_info = body.send_info_url.filter(|u| !u.trim().is_empty());
    let changes = UrlChanges {
        status_callbacks: Some(send_info.is_some()),
        callback_url: Some(send_info),
        result_url: Some(body.result_url.filter(|u| !u.trim().is_empty())),
    };
    state
        .signet
        .set_envelope_urls(who, id, changes, client)
        .await?;
    let mut documents = Vec::new();
    for document in &body.documents {
        let bytes = decode_pdf(&document.content)?;
        let stored =
            add_whole_document(&state.signet, who, id, &document.name, bytes, client).await?;
        documents.push(stored.id);
    }
    for signer in &body.signers {
        let new = new_signer(signer, &documents)?;
        state.signet.add_signer(who, id, new, client).await?;
    }
    state.signet.send_envelope(who, id, client).await?;
    Ok(())
}

fn decode_pdf(content: &str) -> Result<Bytes, OkError> {
    crate::dialect::base64_file(content)
        .ok_or_else(|| OkError::bad_request("msg.invalid: content is not base64", "content"))
}

fn new_signer(signer: &SignerIn, documents: &[DocumentId]) -> Result<NewSigner, OkError> {
    let mut fields: Vec<NewField> = signer
        .tag
        .iter()
        .map(|tag| NewField {
            kind: FieldKind::Signature,
            placement: Placement::Tag {
                tag: tag.clone(),
                width: None,
                height: None,
            },
            required: None,
        })
        .collect();
    for p in &signer.positions {
        let document_id = *documents
            .get(p.document)
            .ok_or_else(|| OkError::bad_request("msg.invalid: positions.document", "document"))?;
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
        name: signer.name.clone(),
        email: signer.email.clone(),
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
