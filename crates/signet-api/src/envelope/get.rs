use axum::extract::State;
use uuid::Uuid;

use crate::AppState;
use crate::envelope::json::{EnvelopeResponse, SealingDelay};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Path};

/// Get an envelope with its documents, recipients and fields.
#[utoipa::path(
    get, path = "/api/v1/envelopes/{id}", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    responses(
        (status = 200, description = "The envelope", body = EnvelopeResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
        (status = 410, description = "`envelope_purged`: deleted under the account's retention setting (the message names the date)", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn get_envelope(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<EnvelopeResponse>> {
    let id = signet_core::id::EnvelopeId::from_uuid(id);
    let record = state.signet.envelope_or_purged(&who, id).await?;
    let mut response = EnvelopeResponse::from_record(&record);
    if record.envelope.status == signet_core::model::EnvelopeStatus::Sealing {
        let events = state.signet.events(&who, id).await?;
        response.sealing_delayed = SealingDelay::from_events(&events);
    }
    Ok(axum::Json(response))
}
