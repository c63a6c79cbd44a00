use axum::extract::State;
use signet_core::id::EnvelopeId;
use uuid::Uuid;

use crate::AppState;
use crate::envelope::json::{ChainResponse, EventList, EventResponse};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Path};

/// The envelope's append-only, hash-chained audit trail.
#[utoipa::path(
    get, path = "/api/v1/envelopes/{id}/events", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    responses(
        (status = 200, description = "Events in order", body = EventList),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn list_events(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<EventList>> {
    let events = state.signet.events(&who, EnvelopeId::from_uuid(id)).await?;
    Ok(axum::Json(EventList {
        data: events.iter().map(EventResponse::from).collect(),
    }))
}

/// Re-compute the audit trail's hash chain and report the first broken link, if any.
#[utoipa::path(
    get, path = "/api/v1/envelopes/{id}/events/verify", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    responses(
        (status = 200, description = "The verdict", body = ChainResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn verify_chain(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<ChainResponse>> {
    let report = state
        .signet
        .verify_chain(&who, EnvelopeId::from_uuid(id))
        .await?;
    Ok(axum::Json(ChainResponse {
        ok: report.ok,
        events: report.events,
        first_bad_seq: report.first_bad_seq,
    }))
}
