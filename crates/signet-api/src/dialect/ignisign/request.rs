//! The signature-request handlers: init, update (`PUT`), publish, close and context.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use signet_core::id::EnvelopeId;
use signet_core::model::{EnvelopeRecord, EnvelopeStatus};
use signet_core::usecase::account::Principal;
use signet_core::usecase::draft::DraftUpdate;
use signet_core::usecase::envelope::NewEnvelope;
use signet_core::usecase::send::SendOptions;
use signet_core::{ClientInfo, CoreError};

use super::auth::{AppPath, IgnisignAuth, IgnisignJson, IgnisignPath};
use super::context;
use super::error::{IgnisignError, IgnisignResult};
use super::json::{InitRequest, UpdateRequest, date_time};
use super::stored::Stored;
use crate::AppState;
use crate::extract::Client;

/// The title of a request initialised without one.
const DEFAULT_TITLE: &str = "Signature request";

/// An envelope id from a path; anything unparsable is simply not found.
pub(crate) fn request_id(raw: &str) -> IgnisignResult<EnvelopeId> {
    raw.parse()
        .map_err(|_| IgnisignError::not_found("signature request"))
}

/// The envelope, with the dialect's attributes.
pub(crate) async fn load(
    state: &AppState,
    who: &Principal,
    id: EnvelopeId,
) -> IgnisignResult<(EnvelopeRecord, Value, Stored)> {
    let record = state.signet.envelope(who, id).await?;
    let (all, stored) = Stored::load(state, who, id).await?;
    Ok((record, all, stored))
}

/// Reads the request, computes a draft update and new attributes from what was read, and
/// applies them to exactly that version, reading again when another writer came first (the
/// attributes are written whole, so they must not be computed from a stale read).
pub(crate) async fn change<F, Fut>(
    state: &AppState,
    who: &Principal,
    id: EnvelopeId,
    client: &ClientInfo,
    mut compute: F,
) -> IgnisignResult<(EnvelopeRecord, Stored)>
where
    F: FnMut(EnvelopeRecord, Stored) -> Fut,
    Fut: Future<Output = IgnisignResult<(DraftUpdate, Stored)>>,
{
    const ATTEMPTS: u64 = 12;
    let mut attempt = 1;
    loop {
        let (record, all, stored) = load(state, who, id).await?;
        if record.envelope.status != EnvelopeStatus::Draft {
            return Err(not_draft(record.envelope.status));
        }
        let version = record.envelope.version;
        let (mut update, stored) = compute(record, stored).await?;
        update.attributes = Some(stored.clone().into_attributes(all));
        update.expected_version = Some(version);
        match state.signet.update_draft(who, id, update, client).await {
            Ok(record) => return Ok((record, stored)),
            Err(CoreError::ConcurrentUpdate) if attempt < ATTEMPTS => {
                // Somebody else wrote first: let them finish, then read again.
                let jitter = u64::from(uuid::Uuid::new_v4().as_bytes()[0] % 8);
                tokio::time::sleep(std::time::Duration::from_millis(attempt * 4 + jitter)).await;
                attempt += 1;
            }
            Err(err) => return Err(err.into()),
        }
    }
}

/// `POST /v3/applications/{appId}/envs/{appEnv}/signature-requests`: a new draft;
/// `{signatureRequestId}`.
pub(crate) async fn init_signature_request(
    State(state): State<AppState>,
    IgnisignAuth(who): IgnisignAuth,
    Client(client): Client,
    app: AppPath,
    IgnisignJson(body): IgnisignJson<InitRequest>,
) -> IgnisignResult<Json<Value>> {
    let title = body.title.unwrap_or_else(|| DEFAULT_TITLE.into());
    let new = NewEnvelope {
        title,
        ..NewEnvelope::default()
    };
    let record = state.signet.create_envelope(&who, new, &client).await?;
    let stored = Stored {
        app_id: Some(app.app_id),
        app_env: Some(app.app_env),
        signature_profile_id: body.signature_profile_id,
        ..Stored::default()
    };
    let update = DraftUpdate {
        attributes: Some(stored.into_attributes(json!({}))),
        ..DraftUpdate::default()
    };
    let id = record.envelope.id;
    state.signet.update_draft(&who, id, update, &client).await?;
    Ok(Json(json!({ "signatureRequestId": id.to_string() })))
}

/// `PUT /v3/signature-requests/{signatureRequestId}`: partial update of a `DRAFT`; the full
/// context.
pub(crate) async fn update_signature_request(
    State(state): State<AppState>,
    IgnisignAuth(who): IgnisignAuth,
    Client(client): Client,
    IgnisignPath(raw): IgnisignPath,
    IgnisignJson(body): IgnisignJson<UpdateRequest>,
) -> IgnisignResult<Json<Value>> {
    let id = request_id(&raw)?;
    let (state, who) = (&state, &who);
    let (record, stored) = change(state, who, id, &client, |record, stored| {
        let body = body.clone();
        async move { super::update::translate(state, who, &record, stored, body).await }
    })
    .await?;
    Ok(Json(context::build(state, who, &record, &stored).await?))
}

/// `POST /v3/signature-requests/{signatureRequestId}/publish`: places a signature field for
/// every signer without one and sends; `{signatureRequestId}`.
pub(crate) async fn publish_signature_request(
    State(state): State<AppState>,
    IgnisignAuth(who): IgnisignAuth,
    Client(client): Client,
    IgnisignPath(raw): IgnisignPath,
) -> IgnisignResult<Json<Value>> {
    let id = request_id(&raw)?;
    let (record, _, stored) = load(&state, &who, id).await?;
    if record.envelope.status != EnvelopeStatus::Draft {
        return Err(not_draft(record.envelope.status));
    }
    if stored.documents.iter().any(|p| p.document_id.is_none()) {
        return Err(IgnisignError::invalid(
            "every document of the signature request needs its file before publishing",
        ));
    }
    let statements = super::statement::core_statements(&record, &stored);
    if super::statement::needs_sync(&record, &statements) {
        // A document statement reaches the core once its document has its file.
        let update = DraftUpdate {
            statements: Some(statements),
            expected_version: Some(record.envelope.version),
            ..DraftUpdate::default()
        };
        state.signet.update_draft(&who, id, update, &client).await?;
    }
    state
        .signet
        .place_missing_signature_fields(&who, id, &client)
        .await?;
    let options = SendOptions {
        term: None,
        invite_at: diffusion_time(&stored)?,
    };
    state
        .signet
        .send_envelope_with(&who, id, options, &client)
        .await?;
    Ok(Json(json!({ "signatureRequestId": id.to_string() })))
}

/// When a `SCHEDULED` request's invitations go out: its `diffusionDate`. `WHEN_READY`: now.
fn diffusion_time(stored: &Stored) -> IgnisignResult<Option<time::OffsetDateTime>> {
    match (stored.diffusion_mode.as_deref(), &stored.diffusion_date) {
        (Some("SCHEDULED"), Some(date)) => date_time("diffusionDate", date).map(Some),
        _ => Ok(None),
    }
}

/// `POST /v3/signature-requests/{signatureRequestId}/close`: cancels; `{signatureRequestId}`.
pub(crate) async fn close_signature_request(
    State(state): State<AppState>,
    IgnisignAuth(who): IgnisignAuth,
    Client(client): Client,
    IgnisignPath(raw): IgnisignPath,
) -> IgnisignResult<Json<Value>> {
    let id = request_id(&raw)?;
    state
        .signet
        .cancel_envelope(&who, id, Some("closed through the Ignisign API"), &client)
        .await
        .map_err(|err| match err {
            signet_core::CoreError::Conflict { message, .. } => IgnisignError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "SIGNATURE_REQUEST_CANNOT_BE_CLOSED",
                message,
            ),
            other => other.into(),
        })?;
    Ok(Json(json!({ "signatureRequestId": id.to_string() })))
}

/// `GET /v3/signature-requests/{signatureRequestId}/context`.
pub(crate) async fn signature_request_context(
    State(state): State<AppState>,
    IgnisignAuth(who): IgnisignAuth,
    IgnisignPath(raw): IgnisignPath,
) -> IgnisignResult<Json<Value>> {
    let id = request_id(&raw)?;
    let (record, _, stored) = load(&state, &who, id).await?;
    Ok(Json(context::build(&state, &who, &record, &stored).await?))
}

pub(crate) fn not_draft(status: EnvelopeStatus) -> IgnisignError {
    IgnisignError::new(
        axum::http::StatusCode::BAD_REQUEST,
        "SIGNATURE_REQUEST_NOT_DRAFT",
        format!(
            "the signature request is {}; only a DRAFT can be changed",
            context::request_status(status)
        ),
    )
}
