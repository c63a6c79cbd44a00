use axum::extract::State;
use base64::Engine;
use signet_core::CoreError;
use signet_core::usecase::complete::{CompleteSigning, SignatureInput};

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Client, Json, Path};
use crate::signing::cookie::SignerCookie;
use crate::signing::json::{CompleteSigningRequest, SignatureDto, SigningOutcomeResponse};

/// Sign (or approve): consent, the accepted statements, the adopted signature, and the field
/// values. When the last
/// signer is done the envelope becomes `sealing` and is sealed in the background.
#[utoipa::path(
    post, path = "/api/v1/signing/{token}/complete", tag = "signing",
    params(("token" = String, Path, description = "The signing-link token")),
    request_body = CompleteSigningRequest,
    responses(
        (status = 200, description = "Signed", body = SigningOutcomeResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "`authentication_required`: enter the one-time code first", body = ErrorBody),
        (status = 404, description = "Unknown token", body = ErrorBody),
        (status = 409, description = "`not_your_turn`, `already_signed`, `already_declined`, `envelope_not_in_progress`", body = ErrorBody),
        (status = 410, description = "`link_revoked` or `link_expired`", body = ErrorBody),
        (status = 422, description = "`consent_required`, `signature_required`, `required_field_missing` (names the field), `invalid_signature_image`, `unknown_field`, `statements_not_accepted` (names the statements), `unknown_statement`", body = ErrorBody),
    )
)]
pub async fn complete_signing(
    State(state): State<AppState>,
    Client(client): Client,
    SignerCookie(cookie): SignerCookie,
    Path(token): Path<String>,
    Json(body): Json<CompleteSigningRequest>,
) -> ApiResult<axum::Json<SigningOutcomeResponse>> {
    let signature = body.signature.map(signature_input).transpose()?;
    let input = CompleteSigning {
        consent: body.consent,
        signature,
        fields: body.fields,
        accepted_statements: body.accepted_statements,
    };
    let outcome = state
        .signet
        .complete_signing(&token, cookie.as_deref(), input, &client)
        .await?;
    Ok(axum::Json(outcome.into()))
}

fn signature_input(dto: SignatureDto) -> Result<SignatureInput, CoreError> {
    Ok(match dto {
        SignatureDto::Typed { text, font } => SignatureInput::Typed {
            text,
            font: font.into(),
        },
        SignatureDto::Drawn { png_base64 } => {
            let data = png_base64
                .strip_prefix("data:image/png;base64,")
                .unwrap_or(&png_base64);
            let png = base64::engine::general_purpose::STANDARD
                .decode(data.trim())
                .map_err(|_| {
                    CoreError::invalid(
                        "invalid_signature_image",
                        "signature.png_base64 is not valid base64",
                    )
                })?;
            SignatureInput::Drawn { png }
        }
    })
}
