use axum::extract::State;
use serde::{Deserialize, Serialize};
use signet_core::id::EnvelopeId;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Client, Json, Path};

/// Who reactivates.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReactivateRequest {
    /// E-mail of the person reactivating, recorded in the audit trail.
    pub email: String,
}

/// What reactivating did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReactivateResponse {
    /// `in_progress`.
    pub status: String,
    /// The expiry, recomputed when it had passed (RFC 3339), or null.
    pub expires_at: Option<String>,
    /// The e-mail signers notified again.
    pub notified: Vec<Uuid>,
    /// New signing links of declined `link` signers (shown only here).
    pub links: Vec<ReactivatedLink>,
}

/// A new signing link.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReactivatedLink {
    /// The signer.
    pub signer_id: Uuid,
    /// `{public_url}/s/{token}`.
    pub sign_url: String,
}

/// Put a declined or expired envelope back in progress: declined signers get a new link (the
/// old one stays dead), e-mail signers whose turn it is are notified again, a passed expiry is
/// recomputed from the account's `reactivation_days`.
#[utoipa::path(
    post, path = "/api/v1/envelopes/{id}/reactivate", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    request_body = ReactivateRequest,
    responses(
        (status = 200, description = "Reactivated", body = ReactivateResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
        (status = 409, description = "`not_reactivatable`: neither declined nor expired", body = ErrorBody),
        (status = 422, description = "`invalid_email`, or `invalid_body`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn reactivate(
    State(state): State<AppState>,
    Auth(who): Auth,
    Client(client): Client,
    Path(id): Path<Uuid>,
    Json(body): Json<ReactivateRequest>,
) -> ApiResult<axum::Json<ReactivateResponse>> {
    let done = state
        .signet
        .reactivate(&who, EnvelopeId::from_uuid(id), &body.email, &client)
        .await?;
    let envelope = &done.record.envelope;
    Ok(axum::Json(ReactivateResponse {
        status: envelope.status.as_str().to_string(),
        expires_at: envelope.expires_at.map(signet_core::time::rfc3339),
        notified: done.notified.iter().map(|s| s.id.as_uuid()).collect(),
        links: done
            .links
            .into_iter()
            .map(|l| ReactivatedLink {
                signer_id: l.signer_id.as_uuid(),
                sign_url: l.url,
            })
            .collect(),
    }))
}
