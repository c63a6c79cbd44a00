//! `PUT /document/reactivate`: a rejected or expired process back in progress.

use axum::Json;
use axum::extract::State;
use signet_core::id::EnvelopeId;

use super::auth::AucoAuth;
use super::error::AucoError;
use super::json::{AucoJson, ReactivateRequest, ReactivateResponse};
use super::process::{Wanted, find_process};
use crate::AppState;
use crate::extract::Client;

/// Reactivates the process named by `code` or `package` (exactly one), as `email`.
pub(super) async fn reactivate(
    State(state): State<AppState>,
    AucoAuth(who): AucoAuth,
    Client(client): Client,
    AucoJson(body): AucoJson<ReactivateRequest>,
) -> Result<Json<ReactivateResponse>, AucoError> {
    let wanted = Wanted::exactly_one(body.code, body.package)?;
    let email = body
        .email
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| AucoError::bad_request("MISSING_PARAMETERS", "email is required"))?;
    let record = find_process(&state, &who, &wanted).await?;
    let id: EnvelopeId = record.envelope.id;
    let done = state.signet.reactivate(&who, id, &email, &client).await?;
    Ok(Json(ReactivateResponse {
        notifications: done.notified.len(),
        users: done.notified.into_iter().map(|s| s.name).collect(),
    }))
}
