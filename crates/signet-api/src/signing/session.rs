use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Client, Path};
use crate::signing::cookie::{self, AuthPassCookie, SignerCookie};
use crate::signing::json::SigningSessionResponse;

/// Open the envelope as the signer: title, documents, and this signer's fields (for a signer
/// with `email_otp` or `sms` authentication, only once this browser verified a code: see
/// `authentication`; an auth pass of this browser from another envelope with extended
/// authentication sessions may count as that verification, and then the `signet_signer` cookie
/// is set).
#[utoipa::path(
    get, path = "/api/v1/signing/{token}", tag = "signing",
    params(("token" = String, Path, description = "The signing-link token")),
    responses(
        (status = 200, description = "What the signer sees", body = SigningSessionResponse),
        (status = 404, description = "Unknown token", body = ErrorBody),
        (status = 409, description = "`not_your_turn` (sequential order)", body = ErrorBody),
        (status = 410, description = "`link_revoked` or `link_expired`", body = ErrorBody),
    )
)]
pub async fn signing_session(
    State(state): State<AppState>,
    Client(client): Client,
    SignerCookie(cookie): SignerCookie,
    AuthPassCookie(pass): AuthPassCookie,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let session = state
        .signet
        .signing_session(&token, cookie.as_deref(), pass.as_deref(), &client)
        .await?;
    let body = SigningSessionResponse::new(&session, &token)
        .ok_or_else(|| ApiError::not_found("signing link"))?;
    let mut response = axum::Json(body).into_response();
    cookie::set_reused(
        response.headers_mut(),
        &state,
        &token,
        session.reused.as_ref(),
    );
    Ok(response)
}
