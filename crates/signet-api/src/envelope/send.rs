use axum::extract::State;
use uuid::Uuid;

use crate::AppState;
use crate::envelope::json::EnvelopeResponse;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Client, Path};

/// Send a draft: it becomes `in_progress`; e-mail signers whose turn it is are invited, and
/// each `link` signer carries its `sign_url` in this response (the only time it is shown).
#[utoipa::path(
    post, path = "/api/v1/envelopes/{id}/send", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    responses(
        (status = 200, description = "The sent envelope", body = EnvelopeResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
        (status = 409, description = "`envelope_not_draft`", body = ErrorBody),
        (status = 422, description = "Not ready: `no_documents`, `no_signers`, `signer_without_signature_field`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn send_envelope(
    State(state): State<AppState>,
    Auth(who): Auth,
    Client(client): Client,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<EnvelopeResponse>> {
    let sent = state
        .signet
        .send_envelope(&who, signet_core::id::EnvelopeId::from_uuid(id), &client)
        .await?;
    let mut response = EnvelopeResponse::from_record(&sent.record);
    for link in sent.links {
        if let Some(signer) = response
            .signers
            .iter_mut()
            .find(|s| s.id == link.signer_id.as_uuid())
        {
            signer.sign_url = Some(link.url);
        }
    }
    Ok(axum::Json(response))
}
