//! Actions: ping, send, send reminder, extend term.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use signet_core::model::KeyedObject;
use signet_core::usecase::remind::RemindTarget;
use signet_core::usecase::send::SendOptions;

use super::DIALECT;
use super::auth::StiplyAuth;
use super::error::{StiplyError, StiplyResult};
use super::json::StiplyJson;
use super::term::parse_term;
use super::view::Loaded;
use crate::AppState;
use crate::extract::Client;

/// The body of `POST /actions/ping`.
#[derive(Deserialize)]
pub(crate) struct Ping {
    ping_value: Option<Value>,
}

/// `POST /actions/ping`: the same value back.
pub(crate) async fn ping(
    StiplyAuth(_who): StiplyAuth,
    StiplyJson(body): StiplyJson<Ping>,
) -> StiplyResult<Json<Value>> {
    match body.ping_value {
        Some(Value::String(value)) => Ok(Json(json!({"ping_value": value, "status_code": "200"}))),
        _ => Err(StiplyError::wrong_parameter("ping_value must be a string")),
    }
}

/// `POST /sign_requests/{key}/actions/send`: the term starts; custom-invitation signers' links are their
/// `sign_url` in the response (shown only here).
pub(crate) async fn send(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Client(client): Client,
    Path(key): Path<String>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let record = signet.envelope_by_dialect_key(&who, DIALECT, &key).await?;
    let id = record.envelope.id;
    // The term given at creation starts now; an envelope made through another door keeps the
    // expiry it has.
    let stiply = signet
        .dialect_key(&who, DIALECT, KeyedObject::Envelope(id))
        .await?;
    let term = stiply.data.get("term_code").and_then(Value::as_str);
    let options = SendOptions {
        term: term.map(parse_term).transpose()?,
        invite_at: None,
    };
    let sent = signet.send_envelope_with(&who, id, options, &client).await;
    let sent = sent.map_err(|err| StiplyError::from(err).with_status(StatusCode::FORBIDDEN))?;
    let links: HashMap<_, _> = sent
        .links
        .into_iter()
        .map(|l| (l.signer_id, l.url))
        .collect();
    let loaded = Loaded::of(&state, &who, sent.record).await?;
    Ok(Json(json!({"data": loaded.full(&links)})))
}

/// `POST /sign_requests/{key}/actions/send_reminder`: the invitation again to whoever's turn
/// it is.
pub(crate) async fn send_reminder(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Client(client): Client,
    Path(key): Path<String>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let record = signet.envelope_by_dialect_key(&who, DIALECT, &key).await?;
    let id = record.envelope.id;
    signet
        .remind(&who, id, RemindTarget::Due, &client)
        .await
        .map_err(|err| StiplyError::from(err).with_status(StatusCode::FORBIDDEN))?;
    let loaded = Loaded::by_key(&state, &who, &id.to_string()).await?;
    Ok(Json(json!({"data": loaded.full(&HashMap::new())})))
}

/// The body of `POST .../actions/extend_term`.
#[derive(Deserialize)]
pub(crate) struct Extend {
    term: Option<String>,
}

/// `POST /sign_requests/{key}/actions/extend_term`.
pub(crate) async fn extend_term(
    State(state): State<AppState>,
    StiplyAuth(who): StiplyAuth,
    Client(client): Client,
    Path(key): Path<String>,
    StiplyJson(body): StiplyJson<Extend>,
) -> StiplyResult<Json<Value>> {
    let signet = &state.signet;
    let code = body
        .term
        .ok_or_else(|| StiplyError::wrong_parameter("term is required"))?;
    let length = parse_term(&code)?;
    let record = signet.envelope_by_dialect_key(&who, DIALECT, &key).await?;
    let record = signet
        .extend_term(&who, record.envelope.id, length, code.trim(), &client)
        .await
        .map_err(|err| StiplyError::from(err).with_status(StatusCode::BAD_REQUEST))?;
    let loaded = Loaded::of(&state, &who, record).await?;
    Ok(Json(json!({"data": loaded.full(&HashMap::new())})))
}
