//! `POST /v3/applications/{appId}/envs/{appEnv}/signers`: a signer of the application, kept as
//! a contact of the account until a request names it in `signerIds`.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use signet_core::usecase::contact::NewContact;

use super::auth::{AppPath, IgnisignAuth, IgnisignJson};
use super::error::{IgnisignError, IgnisignResult};
use super::json::CreateSignerRequest;
use crate::AppState;

/// Creates a signer; `{signerId, entityType}`.
pub(crate) async fn create_signer(
    State(state): State<AppState>,
    IgnisignAuth(who): IgnisignAuth,
    _app: AppPath,
    IgnisignJson(body): IgnisignJson<CreateSignerRequest>,
) -> IgnisignResult<Json<Value>> {
    let email = body
        .email
        .ok_or_else(|| IgnisignError::invalid("email is required"))?;
    let contact = state
        .signet
        .create_contact(
            &who,
            NewContact {
                first_name: body.first_name,
                last_name: body.last_name,
                email,
                external_id: body.external_id,
            },
        )
        .await?;
    Ok(Json(json!({
        "signerId": contact.id.to_string(),
        "entityType": "NATURAL",
    })))
}
