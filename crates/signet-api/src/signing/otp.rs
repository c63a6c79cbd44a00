//! One-time codes for signers with `email_otp` or `sms` authentication: send a code to this
//! browser, verify it (which sets the signer-session cookie that unlocks the signing API).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Client, Json, Path};
use crate::json::ts;
use crate::signing::cookie::{self, SignerCookie};
use crate::signing::json::{OtpSentResponse, OtpVerifiedResponse, VerifyOtpRequest};

fn seconds(from: OffsetDateTime, to: OffsetDateTime) -> i64 {
    (to - from).whole_seconds().max(0)
}

/// Send the signer a one-time code (by e-mail or SMS, as the sender chose), bound to this
/// browser: the response sets the `signet_signer` cookie when the browser had none.
#[utoipa::path(
    post, path = "/api/v1/signing/{token}/otp", tag = "signing",
    params(("token" = String, Path, description = "The signing-link token")),
    responses(
        (status = 200, description = "The code was sent", body = OtpSentResponse),
        (status = 404, description = "Unknown token", body = ErrorBody),
        (status = 409, description = "`otp_not_needed`, `not_your_turn`, `already_signed`, `already_declined`, `envelope_not_in_progress`", body = ErrorBody),
        (status = 410, description = "`link_revoked` or `link_expired`", body = ErrorBody),
        (status = 429, description = "`otp_rate_limited`: one code a minute, five an hour (`Retry-After`)", body = ErrorBody),
        (status = 503, description = "The code could not be sent; it does not count against the limit", body = ErrorBody),
    )
)]
pub async fn send_otp(
    State(state): State<AppState>,
    Client(client): Client,
    SignerCookie(session): SignerCookie,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let sent = state
        .signet
        .send_otp(&token, session.as_deref(), &client)
        .await?;
    let now = state.signet.now();
    let body = OtpSentResponse {
        channel: sent.channel.into(),
        destination: sent.destination,
        expires_at: ts(sent.expires_at),
        resend_in: seconds(now, sent.resend_after),
    };
    let mut response = axum::Json(body).into_response();
    if let Some(value) = &sent.new_session {
        let age = signet_core::otp::SESSION_TTL.whole_seconds();
        cookie::set(response.headers_mut(), &state, &token, value, age);
    }
    Ok(response)
}

/// Check the code. The right code verifies this browser's session (a new `signet_signer`
/// cookie); then the documents, signing and declining are open to it. On an envelope with
/// `extended_auth_session` it also sets the `signet_auth_pass` cookie (30 minutes, every
/// signing link), which lets this browser open other such envelopes of the account for a
/// signer with the same e-mail and method without a new code.
#[utoipa::path(
    post, path = "/api/v1/signing/{token}/otp/verify", tag = "signing",
    params(("token" = String, Path, description = "The signing-link token")),
    request_body = VerifyOtpRequest,
    responses(
        (status = 200, description = "Verified; the cookie is set", body = OtpVerifiedResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 404, description = "Unknown token", body = ErrorBody),
        (status = 409, description = "`otp_required` (no usable code for this browser: request one), `otp_not_needed`, `already_signed`, ...", body = ErrorBody),
        (status = 410, description = "`link_revoked` or `link_expired`", body = ErrorBody),
        (status = 422, description = "`otp_incorrect` (says how many attempts are left), `otp_expired`, `otp_malformed`", body = ErrorBody),
        (status = 429, description = "`otp_attempts_exhausted`: five wrong codes; request a new one", body = ErrorBody),
    )
)]
pub async fn verify_otp(
    State(state): State<AppState>,
    Client(client): Client,
    SignerCookie(session): SignerCookie,
    Path(token): Path<String>,
    Json(body): Json<VerifyOtpRequest>,
) -> ApiResult<Response> {
    let verified = state
        .signet
        .verify_otp(&token, session.as_deref(), &body.code, &client)
        .await?;
    let age = seconds(state.signet.now(), verified.expires_at);
    let mut response = axum::Json(OtpVerifiedResponse {
        verified: true,
        expires_at: ts(verified.expires_at),
    })
    .into_response();
    cookie::set(
        response.headers_mut(),
        &state,
        &token,
        &verified.session,
        age,
    );
    cookie::set_issued_pass(response.headers_mut(), &state, verified.auth_pass.as_ref());
    Ok(response)
}
