//! The e-sign documents: `GET /documents/{doc_id}` (the id is the SHA-256 of the uploaded
//! file), `POST /documents/{doc_id}/signees` (invite signees: Signet's choice of path and
//! body, in the vendor's style) and `POST /documents/{doc_id}/signees/{signee_id}/resend`.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use signet_core::id::{DocumentId, SignerId};
use signet_core::model::{EnvelopeRecord, Rect, SigningOrder};
use signet_core::usecase::account::Principal;
use signet_core::usecase::remind::RemindTarget;
use signet_core::usecase::signer::{NewField, NewSigner, Placement};

use super::auth::AcronisAuth;
use super::error::{AcronisError, AcronisResult};
use super::json::{DocumentEnvelope, DocumentView, FileJson, find_document};
use crate::AppState;
use crate::extract::Client;

/// A path's document id: 64 hex digits, else the document does not exist.
pub(super) fn parse_hash(text: &str) -> AcronisResult<[u8; 32]> {
    let mut hash = [0u8; 32];
    hex::decode_to_slice(text, &mut hash).map_err(|_| AcronisError::not_found("document"))?;
    Ok(hash)
}

/// The e-sign document of `document_id` in `record`, with its notarization (sealed on the
/// first request) and its owner.
pub(super) async fn view(
    state: &AppState,
    who: &Principal,
    record: &EnvelopeRecord,
    document_id: DocumentId,
) -> AcronisResult<(super::json::DocumentJson, FileJson)> {
    let document =
        find_document(record, document_id).ok_or_else(|| AcronisError::not_found("document"))?;
    let notarization = state
        .signet
        .notarize(who, &document.original.sha256)
        .await?;
    let owner = state.signet.envelope_sender_email(who, record).await?;
    let view = DocumentView {
        record,
        document,
        notarization: &notarization,
        owner_email: owner.as_deref(),
    };
    Ok((view.document_json(), view.file_json()))
}

/// `GET /api/notary/v2/documents/{doc_id}`.
pub async fn get_document(
    State(state): State<AppState>,
    AcronisAuth(who): AcronisAuth,
    axum::extract::Path(doc_id): axum::extract::Path<String>,
) -> AcronisResult<Json<DocumentEnvelope>> {
    let hash = parse_hash(&doc_id)?;
    let (record, document_id) = state
        .signet
        .envelope_by_document_sha256(&who, &hash)
        .await?;
    let (document, _) = view(&state, &who, &record, document_id).await?;
    Ok(Json(DocumentEnvelope { document }))
}

/// A signee to invite: an e-mail address, or `{"email": ..., "fullname": ...}`.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum SigneeRequest {
    /// Just the address (the name is its local part).
    Email(String),
    /// Address and name.
    Person {
        email: String,
        #[serde(default)]
        fullname: Option<String>,
    },
}

/// `{"signees": [...]}`.
#[derive(Deserialize)]
pub struct SigneesRequest {
    signees: Vec<SigneeRequest>,
}

/// Where the n-th signee's signature goes on the last page (three a row from the bottom
/// left), as the vendor's non-embedded signing has no placement of its own.
fn signature_box(n: usize) -> Rect {
    let (col, row) = ((n % 3) as f32, (n / 3) as f32);
    Rect {
        x: 40.0 + col * 180.0,
        y: 40.0 + row * 60.0,
        width: 160.0,
        height: 45.0,
    }
}

/// `POST /api/notary/v2/documents/{doc_id}/signees`: adds the signees to the draft made by
/// `POST /stored-files/sign` and sends every one of them the signature request at once.
pub async fn add_signees(
    State(state): State<AppState>,
    AcronisAuth(who): AcronisAuth,
    Client(client): Client,
    axum::extract::Path(doc_id): axum::extract::Path<String>,
    body: Result<Json<SigneesRequest>, axum::extract::rejection::JsonRejection>,
) -> AcronisResult<Json<DocumentEnvelope>> {
    let hash = parse_hash(&doc_id)?;
    let (record, document_id) = state
        .signet
        .envelope_by_document_sha256(&who, &hash)
        .await?;
    let Json(body) = body.map_err(|err| {
        AcronisError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "invalid_body",
            format!("send {{\"signees\": [...]}} as JSON: {}", err.body_text()),
        )
    })?;
    let page = find_document(&record, document_id).map_or(1, |d| d.pages.len().max(1) as u32);
    for (n, signee) in body.signees.into_iter().enumerate() {
        let (email, fullname) = match signee {
            SigneeRequest::Email(email) => (email, None),
            SigneeRequest::Person { email, fullname } => (email, fullname),
        };
        let name = fullname
            .filter(|f| !f.trim().is_empty())
            .unwrap_or_else(|| email.split('@').next().unwrap_or("").to_string());
        let field = NewField {
            kind: signet_core::model::FieldKind::Signature,
            placement: Placement::At {
                document_id,
                page,
                rect: signature_box(n),
            },
            required: Some(true),
        };
        let new = NewSigner {
            name,
            email,
            role: None,
            order: Some(1),
            language: None,
            invitation: None,
            redirect_url: None,
            message: None,
            fields: vec![field],
            auth_method: None,
            phone: None,
            identity_provider: None,
            expected_identity: None,
        };
        state
            .signet
            .add_signer(&who, record.envelope.id, new, &client)
            .await?;
    }
    let sent = state
        .signet
        .send_envelope(&who, record.envelope.id, &client)
        .await?;
    let (document, _) = view(&state, &who, &sent.record, document_id).await?;
    Ok(Json(DocumentEnvelope { document }))
}

/// `POST /api/notary/v2/documents/{doc_id}/signees/{signee_id}/resend`: the signature request
/// again, to that signee, with the current link. 200 with an empty body.
pub async fn resend(
    State(state): State<AppState>,
    AcronisAuth(who): AcronisAuth,
    Client(client): Client,
    axum::extract::Path((doc_id, signee_id)): axum::extract::Path<(String, String)>,
) -> AcronisResult<Json<serde_json::Value>> {
    let hash = parse_hash(&doc_id)?;
    let (record, _) = state
        .signet
        .envelope_by_document_sha256(&who, &hash)
        .await?;
    let signer: SignerId = signee_id
        .parse()
        .map_err(|_| AcronisError::not_found("signee"))?;
    state
        .signet
        .remind(
            &who,
            record.envelope.id,
            RemindTarget::Signer(signer),
            &client,
        )
        .await?;
    Ok(Json(serde_json::json!({})))
}

/// The envelope the vendor's flow makes: every signee at once.
pub(super) const SIGNING_ORDER: SigningOrder = SigningOrder::Parallel;
