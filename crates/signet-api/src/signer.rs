//! `POST /api/v1/envelopes/{id}/signers`: add a recipient and its fields.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use signet_core::CoreError;
use signet_core::id::{DocumentId, EnvelopeId};
use signet_core::model::Rect;
use signet_core::usecase::signer::{NewField, NewSigner, Placement};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::envelope::json::SignerResponse;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Client, Json, Path};
use crate::json::{AuthMethod, ExpectedIdentityDto, FieldKind, Invitation, Language, SignerRole};

/// The signer routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_signer))
}

/// Body of `POST /api/v1/envelopes/{id}/signers`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSignerRequest {
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Default `signer`.
    #[serde(default)]
    pub role: Option<SignerRole>,
    /// Position in a sequential order (default: after the existing signers).
    #[serde(default)]
    pub order: Option<i32>,
    /// Language of this recipient's e-mails and signing page (default: the account's
    /// `default_language`, else `en`).
    #[serde(default)]
    pub language: Option<Language>,
    /// Default `email`.
    #[serde(default)]
    pub invitation: Option<Invitation>,
    /// Where the browser goes after signing or declining; `key`, `signer_key`, `external_key`
    /// and `status` (`success` or `failure`) are appended.
    #[serde(default)]
    pub redirect_url: Option<String>,
    /// A message for this recipient only, shown in their invitation instead of the envelope's
    /// message (HTML limited to `br b strong i em u a ul ol li p h1`–`h5`; anything else is
    /// escaped or removed when the mail is made).
    #[serde(default)]
    pub message: Option<String>,
    /// Fields to fill.
    #[serde(default)]
    pub fields: Vec<FieldRequest>,
    /// Default `none`: the link alone. `email_otp` and `sms` make the signer enter a one-time
    /// code before reading or signing (`sms` needs `phone` and a configured SMS gateway);
    /// `oidc` makes them log in at the identity provider named in `identity_provider`.
    #[serde(default)]
    pub auth_method: Option<AuthMethod>,
    /// Mobile number in E.164 form (`+31612345678`); required for `sms`.
    #[serde(default)]
    pub phone: Option<String>,
    /// The configured OpenID Connect identity provider (e.g. `idin`); required for `oidc`,
    /// refused otherwise. 422 `identity_provider_unknown` when the server has no such provider.
    #[serde(default)]
    pub identity_provider: Option<String>,
    /// For `oidc`: who the provider must confirm the signer is (its `family_name` and
    /// `birthdate` claims). A login that confirms someone else fails with `identity_mismatch`.
    #[serde(default)]
    pub expected_identity: Option<ExpectedIdentityDto>,
}

/// A field: either `{type, tag}` (placed on every occurrence of `{{tag}}`, the box's top-left
/// at the tag's top-left) or `{type, document_id, page, x, y, width, height}` in PDF points
/// (origin at the page's bottom-left, y up, (x, y) the box's lower-left corner).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldRequest {
    /// Field type.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Tag name, with or without the braces.
    #[serde(default)]
    pub tag: Option<String>,
    /// Document (placement by coordinates).
    #[serde(default)]
    pub document_id: Option<Uuid>,
    /// 1-based page (placement by coordinates).
    #[serde(default)]
    pub page: Option<u32>,
    /// Left edge.
    #[serde(default)]
    pub x: Option<f32>,
    /// Bottom edge.
    #[serde(default)]
    pub y: Option<f32>,
    /// Width (optional with a tag: a default per type).
    #[serde(default)]
    pub width: Option<f32>,
    /// Height (optional with a tag: a default per type).
    #[serde(default)]
    pub height: Option<f32>,
    /// Default: true for signature and initials, false otherwise.
    #[serde(default)]
    pub required: Option<bool>,
}

impl FieldRequest {
    fn into_new_field(self, index: usize) -> Result<NewField, CoreError> {
        let bad =
            |why: &str| CoreError::invalid("invalid_field", format!("fields[{index}]: {why}"));
        for v in [self.x, self.y, self.width, self.height]
            .into_iter()
            .flatten()
        {
            if !v.is_finite() || v.abs() > 100_000.0 {
                return Err(bad("coordinates must be finite numbers of points"));
            }
        }
        if self.width.is_some_and(|w| w <= 0.0) || self.height.is_some_and(|h| h <= 0.0) {
            return Err(bad("width and height must be positive"));
        }
        let placement = match (
            self.tag,
            self.document_id,
            self.page,
            self.x,
            self.y,
            self.width,
            self.height,
        ) {
            (Some(tag), None, None, None, None, width, height) => {
                Placement::Tag { tag, width, height }
            }
            (None, Some(doc), Some(page), Some(x), Some(y), Some(width), Some(height)) => {
                Placement::At {
                    document_id: DocumentId::from_uuid(doc),
                    page,
                    rect: Rect {
                        x,
                        y,
                        width,
                        height,
                    },
                }
            }
            _ => {
                return Err(bad(
                    "give either `tag` or all of `document_id`, `page`, `x`, `y`, `width`, `height`",
                ));
            }
        };
        Ok(NewField {
            kind: self.kind.into(),
            placement,
            required: self.required,
        })
    }
}

/// Add a recipient (signer, approver, cc or dc) with its fields to a draft envelope.
#[utoipa::path(
    post, path = "/api/v1/envelopes/{id}/signers", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    request_body = CreateSignerRequest,
    responses(
        (status = 201, description = "The recipient and its fields", body = SignerResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope in your account", body = ErrorBody),
        (status = 409, description = "`envelope_not_draft`", body = ErrorBody),
        (status = 422, description = "`unknown_tag` (names the tag), `unknown_document`, `field_outside_page`, `invalid_email`, `invalid_phone`, `phone_required`, `sms_unavailable`, ...", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn create_signer(
    State(state): State<AppState>,
    Auth(who): Auth,
    Client(client): Client,
    Path(id): Path<Uuid>,
    Json(body): Json<CreateSignerRequest>,
) -> ApiResult<(StatusCode, axum::Json<SignerResponse>)> {
    let fields = body
        .fields
        .into_iter()
        .enumerate()
        .map(|(i, f)| f.into_new_field(i))
        .collect::<Result<Vec<_>, _>>()?;
    let new = NewSigner {
        name: body.name,
        email: body.email,
        role: body.role.map(Into::into),
        order: body.order,
        language: body.language.map(Into::into),
        invitation: body.invitation.map(Into::into),
        redirect_url: body.redirect_url,
        message: body.message,
        fields,
        auth_method: body.auth_method.map(Into::into),
        phone: body.phone,
        identity_provider: body.identity_provider,
        expected_identity: body
            .expected_identity
            .map(ExpectedIdentityDto::into_core)
            .transpose()?,
    };
    let (signer, fields) = state
        .signet
        .add_signer(&who, EnvelopeId::from_uuid(id), new, &client)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(SignerResponse::new(&signer, &fields)),
    ))
}
