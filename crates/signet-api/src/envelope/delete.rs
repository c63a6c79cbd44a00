use axum::extract::State;
use axum::http::StatusCode;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Client, Path};

/// Delete an envelope. A draft is removed with its documents; a sent envelope is canceled
/// first (its signing links stop working). Either way it disappears from the API; the audit
/// trail of a sent envelope is kept as evidence.
#[utoipa::path(
    delete, path = "/api/v1/envelopes/{id}", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
        (status = 409, description = "Modified concurrently; retry", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn delete_envelope(
    State(state): State<AppState>,
    Auth(who): Auth,
    Client(client): Client,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .signet
        .delete_envelope(&who, signet_core::id::EnvelopeId::from_uuid(id), &client)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
