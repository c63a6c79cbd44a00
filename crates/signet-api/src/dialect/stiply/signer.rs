//! Signers of a sign request: create (fields by `{{tag}}` or by Stiply coordinates), get,
//! update (new e-mail and phone) and delete.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use signet_core::model::KeyedObject;
use signet_core::usecase::signer_change::SignerContact;

use super::DIALECT;
use super::auth::StiplyAuth;
use super::error::{StiplyError, StiplyResult};
use super::json::StiplyJson;
use super::signer_request::{CreateSigner, e164, phone_text, translate};
use super::view::Loaded;
use crate::AppState;
use crate::extract::Client;

/// `POST /sign_requests/{key}/signers`.
pub(crate) async fn create(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Client(client): Client,
    Path(key): Path<String>,
    StiplyJson(body): StiplyJson<CreateSigner>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let record = signet.envelope_by_dialect_key(&who, DIALECT, &key).await?;
    let configured = |name: &str| signet.has_identity_provider(name);
    let (new, attributes) = translate(&record, &body, &configured)?;
    let id = record.envelope.id;
    let (signer, _) = signet.add_signer(&who, id, new, &client).await?;
    signet
        .set_dialect_attributes(&who, DIALECT, KeyedObject::Signer(signer.id), attributes)
        .await?;
    let loaded = Loaded::by_key(&state, &who, &id.to_string()).await?;
    let signer = loaded
        .record
        .signer(signer.id)
        .ok_or(StiplyError::not_found("signer"))?;
    Ok(Json(json!({"data": loaded.signer(signer)})))
}

/// `GET /sign_requests/{key}/signers/{signer}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Path((key, signer_key)): Path<(String, String)>,
) -> StiplyResult<Json<Value>> {
    let loaded = Loaded::by_key(&state, &who, &key).await?;
    let signer = state
        .signet
        .signer_by_dialect_key(&who, DIALECT, &loaded.record, &signer_key)
        .await?;
    Ok(Json(json!({"data": [loaded.signer(&signer)]})))
}

/// The body of `PUT /sign_requests/{key}/signers/{signer}`.
#[derive(Deserialize)]
pub(crate) struct UpdateSigner {
    new_email: Option<String>,
    new_cell_phone_number: Option<Value>,
}

/// `PUT /sign_requests/{key}/signers/{signer}`: both values are required. Both reach the core
/// signer (one-time codes go to the new number). A new address, or a new number of an `sms`
/// signer, issues a new link (the old one stops working); no e-mail is sent: send a reminder.
pub(crate) async fn update(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Client(client): Client,
    Path((key, signer_key)): Path<(String, String)>,
    StiplyJson(body): StiplyJson<UpdateSigner>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let (Some(email), Some(phone)) = (body.new_email, body.new_cell_phone_number) else {
        return Err(StiplyError::wrong_parameter(
            "both new_email and new_cell_phone_number are required",
        ));
    };
    let phone = phone_text(&phone).ok_or_else(|| {
        StiplyError::wrong_parameter("new_cell_phone_number must be digits with a country code")
    })?;
    let record = signet.envelope_by_dialect_key(&who, DIALECT, &key).await?;
    let signer = signet
        .signer_by_dialect_key(&who, DIALECT, &record, &signer_key)
        .await?;
    let id = record.envelope.id;
    let contact = SignerContact {
        email,
        phone: Some(e164(&phone)),
    };
    signet
        .change_signer_contact(&who, id, signer.id, &contact, &client)
        .await
        .map_err(|err| StiplyError::from(err).with_status(StatusCode::BAD_REQUEST))?;
    signet
        .set_dialect_attributes(
            &who,
            DIALECT,
            KeyedObject::Signer(signer.id),
            json!({"phone": phone}),
        )
        .await?;
    let loaded = Loaded::by_key(&state, &who, &id.to_string()).await?;
    let signer = loaded
        .record
        .signer(signer.id)
        .ok_or(StiplyError::not_found("signer"))?;
    Ok(Json(json!({"data": [loaded.signer(signer)]})))
}

/// `DELETE /sign_requests/{key}/signers/{signer}`: only before the request is sent (422).
pub(crate) async fn delete(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Client(client): Client,
    Path((key, signer_key)): Path<(String, String)>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let record = signet.envelope_by_dialect_key(&who, DIALECT, &key).await?;
    let signer = signet
        .signer_by_dialect_key(&who, DIALECT, &record, &signer_key)
        .await?;
    signet
        .remove_signer(&who, record.envelope.id, signer.id, &client)
        .await
        .map_err(|err| StiplyError::from(err).with_status(StatusCode::UNPROCESSABLE_ENTITY))?;
    Ok(Json(json!({
        "message": "Ondertekenaar succesvol verwijderd.",
        "status_code": "200",
    })))
}
