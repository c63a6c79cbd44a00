//! `PATCH /signatureRequest`: a request's `sendInfoURL` and `resulturl`.

use axum::Json;
use axum::extract::State;
use signet_core::id::EnvelopeId;
use signet_core::usecase::urls::UrlChanges;

use super::auth::OkAuth;
use super::error::OkError;
use super::json::{Done, OkJson, UpdateRequest};
use super::request_url;
use crate::AppState;
use crate::extract::Client;

/// Updates the callback (`sendInfoURL`, which from then on hears every status change) and the
/// result URL of a signature request.
pub(super) async fn update_request(
    State(state): State<AppState>,
    OkAuth(who): OkAuth,
    Client(client): Client,
    OkJson(body): OkJson<UpdateRequest>,
) -> Result<Json<Done>, OkError> {
    let text = body
        .signature_request_id
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            OkError::bad_request("msg.missing: signatureRequestId", "signatureRequestId")
        })?;
    let id: EnvelopeId = text
        .trim()
        .parse()
        .map_err(|_| OkError::unknown_id(&text))?;
    let cleared = |v: Option<Option<String>>| v.map(|url| url.filter(|u| !u.trim().is_empty()));
    let send_info = cleared(body.send_info_url);
    let changes = UrlChanges {
        status_callbacks: send_info.as_ref().map(Option::is_some),
        callback_url: send_info,
        result_url: cleared(body.result_url),
    };
    let record = state
        .signet
        .set_envelope_urls(&who, id, changes, &client)
        .await
        .map_err(OkError::about(&text))?;
    let result = record.envelope.id.to_string();
    Ok(Json(Done {
        message: "msg.updated",
        url: request_url(&state, &result),
        result,
    }))
}
