use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;
use crate::envelope::json::{CreateEnvelopeRequest, EnvelopeResponse};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Client, Json};

/// Create a draft envelope.
#[utoipa::path(
    post, path = "/api/v1/envelopes", tag = "envelopes",
    request_body = CreateEnvelopeRequest,
    responses(
        (status = 201, description = "The draft envelope", body = EnvelopeResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 409, description = "`external_key_taken`", body = ErrorBody),
        (status = 422, description = "Invalid field, `too_many_statements`, `duplicate_statement`, `invalid_statement_id`, `unknown_document`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn create_envelope(
    State(state): State<AppState>,
    Auth(who): Auth,
    Client(client): Client,
    Json(body): Json<CreateEnvelopeRequest>,
) -> ApiResult<(StatusCode, axum::Json<EnvelopeResponse>)> {
    let record = state
        .signet
        .create_envelope(&who, body.into(), &client)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(EnvelopeResponse::from_record(&record)),
    ))
}
