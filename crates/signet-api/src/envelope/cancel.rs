use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::envelope::json::EnvelopeResponse;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Client, OptionalJson, Path};

/// Why the sender cancels.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Recorded in the audit trail (at most 1,000 characters).
    pub reason: Option<String>,
}

/// Cancel a draft or an envelope out for signing: its signing links stop working at once and
/// the callback URL hears `envelope.canceled`. Unlike `DELETE`, the envelope stays listed with
/// its audit trail. The body is optional.
#[utoipa::path(
    post, path = "/api/v1/envelopes/{id}/cancel", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    request_body(content = Option<CancelRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "The canceled envelope", body = EnvelopeResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
        (status = 409, description = "`already_final`: it is sealing or finished", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn cancel_envelope(
    State(state): State<AppState>,
    Auth(who): Auth,
    Client(client): Client,
    Path(id): Path<Uuid>,
    OptionalJson(body): OptionalJson<CancelRequest>,
) -> ApiResult<axum::Json<EnvelopeResponse>> {
    let id = signet_core::id::EnvelopeId::from_uuid(id);
    let record = state
        .signet
        .cancel_envelope(&who, id, body.reason.as_deref(), &client)
        .await?;
    Ok(axum::Json(EnvelopeResponse::from_record(&record)))
}
