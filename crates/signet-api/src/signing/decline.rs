use axum::extract::State;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Client, Json, Path};
use crate::signing::cookie::SignerCookie;
use crate::signing::json::{DeclineRequest, SigningOutcomeResponse};

/// Decline to sign. The envelope becomes `declined` and the sender's callback is called.
#[utoipa::path(
    post, path = "/api/v1/signing/{token}/decline", tag = "signing",
    params(("token" = String, Path, description = "The signing-link token")),
    request_body = DeclineRequest,
    responses(
        (status = 200, description = "Declined", body = SigningOutcomeResponse),
        (status = 403, description = "`authentication_required`: enter the one-time code first", body = ErrorBody),
        (status = 404, description = "Unknown token", body = ErrorBody),
        (status = 409, description = "`not_your_turn`, `already_signed`, `already_declined`", body = ErrorBody),
        (status = 410, description = "`link_revoked` or `link_expired`", body = ErrorBody),
        (status = 422, description = "Invalid reason", body = ErrorBody),
    )
)]
pub async fn decline_signing(
    State(state): State<AppState>,
    Client(client): Client,
    SignerCookie(cookie): SignerCookie,
    Path(token): Path<String>,
    Json(body): Json<DeclineRequest>,
) -> ApiResult<axum::Json<SigningOutcomeResponse>> {
    let outcome = state
        .signet
        .decline(&token, cookie.as_deref(), body.reason.as_deref(), &client)
        .await?;
    Ok(axum::Json(outcome.into()))
}
