//! The signature-request handlers: init, update (`PUT`), publish, close and context.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use signet_core::id::EnvelopeId;
use signet_core::model::{EnvelopeRecord, EnvelopeStatus};
use signet_core::usecase::account::Principal;
use signet_core::usecase::draft::DraftUpdate;
use signet_core::usecase::envelope::NewEnvelope;

use super::auth::{AppPath, IgnisignAuth, IgnisignJson, IgnisignPath};
use super::context;
use super::error::{IgnisignError, IgnisignResult};
use super::json::{InitRequest, UpdateRequest};
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
    let (record, all, stored) = load(&state, &who, id).await?;
    if record.envelope.status != EnvelopeStatus::Draft {
        return Err(not_draft(record.envelope.status));
    }
    let (mut update, stored) =
        super::update::translate(&state, &who, &record, stored, body).await?;
    update.attributes = Some(stored.clone().into_attributes(all));
    let record = state.signet.update_draft(&who, id, update, &client).await?;
    Ok(Json(context::build(&state, &who, &record, &stored).await?))
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
    state
        .signet
        .place_missing_signature_fields(&who, id, &client)
        .await?;
    state.signet.send_envelope(&who, id, &client).await?;
    Ok(Json(json!({ "signatureRequestId": id.to_string() })))
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

fn not_draft(status: EnvelopeStatus) -> IgnisignError {
    IgnisignError::new(
        axum::http::StatusCode::BAD_REQUEST,
        "SIGNATURE_REQUEST_NOT_DRAFT",
        format!(
            "the signature request is {}; only a DRAFT can be changed",
            context::request_status(status)
        ),
    )
}
