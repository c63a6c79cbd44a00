use axum::extract::State;
use serde::{Deserialize, Serialize};
use signet_core::id::{EnvelopeId, SignerId};
use signet_core::usecase::remind::RemindTarget;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Client, OptionalJson, Path};

/// Whom to remind.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemindRequest {
    /// One signer who has not acted yet (their turn or not); left out, every e-mail signer
    /// whose turn it is.
    pub signer_id: Option<Uuid>,
}

/// Who was reminded.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemindResponse {
    /// The signers a reminder e-mail was queued for.
    pub reminded: Vec<Uuid>,
}

/// E-mail a reminder: the invitation again, marked as a reminder, with the signer's current
/// link. Link signers are not e-mailed. The body is optional.
#[utoipa::path(
    post, path = "/api/v1/envelopes/{id}/remind", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    request_body(content = Option<RemindRequest>, content_type = "application/json"),
    responses(
        (status = 202, description = "Reminders queued", body = RemindResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope (or signer) in your account", body = ErrorBody),
        (status = 409, description = "`not_in_progress`, `nobody_to_remind`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn remind(
    State(state): State<AppState>,
    Auth(who): Auth,
    Client(client): Client,
    Path(id): Path<Uuid>,
    OptionalJson(body): OptionalJson<RemindRequest>,
) -> ApiResult<(axum::http::StatusCode, axum::Json<RemindResponse>)> {
    let target = match body.signer_id {
        Some(signer) => RemindTarget::Signer(SignerId::from_uuid(signer)),
        None => RemindTarget::Due,
    };
    let reminded = state
        .signet
        .remind(&who, EnvelopeId::from_uuid(id), target, &client)
        .await?;
    let reminded = reminded.into_iter().map(|s| s.as_uuid()).collect();
    Ok((
        axum::http::StatusCode::ACCEPTED,
        axum::Json(RemindResponse { reminded }),
    ))
}
