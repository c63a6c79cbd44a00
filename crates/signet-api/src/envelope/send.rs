use axum::extract::State;
use serde::Deserialize;
use signet_core::usecase::send::SendOptions;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::envelope::json::EnvelopeResponse;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Client, OptionalJson, Path};

/// How to send; the body is optional.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    /// When the first invitation e-mails go out (RFC 3339; deferred diffusion). Omitted or not
    /// in the future: now. Must be before `expires_at`.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub invite_at: Option<OffsetDateTime>,
}

/// Send a draft: it becomes `in_progress`; e-mail signers whose turn it is are invited (now, or
/// at `invite_at`), and each `link` signer carries its `sign_url` in this response (the only
/// time it is shown).
#[utoipa::path(
    post, path = "/api/v1/envelopes/{id}/send", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    request_body(content = Option<SendRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "The sent envelope", body = EnvelopeResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
        (status = 409, description = "`envelope_not_draft`", body = ErrorBody),
        (status = 422, description = "Not ready: `no_documents`, `no_signers`, `signer_without_signature_field`; `invitations_after_expiry`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn send_envelope(
    State(state): State<AppState>,
    Auth(who): Auth,
    Client(client): Client,
    Path(id): Path<Uuid>,
    OptionalJson(body): OptionalJson<SendRequest>,
) -> ApiResult<axum::Json<EnvelopeResponse>> {
    let options = SendOptions {
        term: None,
        invite_at: body.invite_at,
    };
    let id = signet_core::id::EnvelopeId::from_uuid(id);
    let sent = state
        .signet
        .send_envelope_with(&who, id, options, &client)
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
