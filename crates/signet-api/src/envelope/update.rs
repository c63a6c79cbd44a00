//! `PATCH /api/v1/envelopes/{id}`: a partial update of a draft.

use axum::extract::State;
use serde::{Deserialize, Deserializer};
use signet_core::id::{DocumentId, EnvelopeId, SignerId};
use signet_core::usecase::draft::{DraftSigner, DraftUpdate};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::envelope::json::{EnvelopeResponse, StatementRequest};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Client, Json, Path};
use crate::json::{Language, SignerRole};

/// Body of `PATCH /api/v1/envelopes/{id}`: only the fields present change; `null` clears
/// `message`, `external_key` and `expires_at`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEnvelopeRequest {
    /// New title (1–500 characters).
    #[serde(default)]
    pub title: Option<String>,
    /// New message, or `null` to clear it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub message: Option<Option<String>>,
    /// New external key, or `null` to clear it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub external_key: Option<Option<String>>,
    /// New expiry (RFC 3339, in the future), or `null` to clear it.
    #[serde(default, deserialize_with = "present_time")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<Option<OffsetDateTime>>,
    /// Language of every recipient.
    #[serde(default)]
    pub language: Option<Language>,
    /// Turns extended authentication sessions on or off (see the create request).
    #[serde(default)]
    pub extended_auth_session: Option<bool>,
    /// The documents kept, in their new order; the others are removed with their fields.
    #[serde(default)]
    pub document_ids: Option<Vec<Uuid>>,
    /// The recipients after the update, in signing order: `{"id", "role"?}` keeps one,
    /// `{"name", "email", "role"?}` adds one; the others are removed.
    #[serde(default)]
    pub signers: Option<Vec<DraftSignerRequest>>,
    /// The statements every signer must accept, replacing the current ones (`[]` removes
    /// them); checked against the documents the draft keeps.
    #[serde(default)]
    pub statements: Option<Vec<StatementRequest>>,
}

/// One recipient of `signers`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum DraftSignerRequest {
    /// Keeps an existing recipient, optionally with a new role.
    Keep {
        /// Its id.
        id: Uuid,
        /// Its new role.
        #[serde(default)]
        role: Option<SignerRole>,
    },
    /// Adds a recipient (without fields; add signature fields with the signer routes).
    Add {
        /// Full name.
        name: String,
        /// E-mail address.
        email: String,
        /// Role (default `signer`).
        #[serde(default)]
        role: Option<SignerRole>,
    },
}

fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

fn present_time<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<OffsetDateTime>>, D::Error> {
    time::serde::rfc3339::option::deserialize(d).map(Some)
}

impl From<UpdateEnvelopeRequest> for DraftUpdate {
    fn from(r: UpdateEnvelopeRequest) -> Self {
        DraftUpdate {
            title: r.title,
            message: r.message,
            expires_at: r.expires_at,
            language: r.language.map(Into::into),
            external_key: r.external_key,
            extended_auth_session: r.extended_auth_session,
            documents: r
                .document_ids
                .map(|ids| ids.into_iter().map(DocumentId::from_uuid).collect()),
            signers: r.signers.map(|list| {
                list.into_iter()
                    .map(|s| match s {
                        DraftSignerRequest::Keep { id, role } => DraftSigner::Keep {
                            id: SignerId::from_uuid(id),
                            role: role.map(Into::into),
                        },
                        DraftSignerRequest::Add { name, email, role } => DraftSigner::Add {
                            id: SignerId::generate(),
                            name,
                            email,
                            role: role.map_or(signet_core::model::SignerRole::Signer, Into::into),
                        },
                    })
                    .collect()
            }),
            statements: r
                .statements
                .map(|list| list.into_iter().map(Into::into).collect()),
            attributes: None,
            expected_version: None,
        }
    }
}

/// Change a draft in place: title, message, expiry, language, external key, extended
/// authentication sessions, which documents it keeps and in what order, which recipients it
/// keeps (and their roles), new recipients and the statements signers must accept. Only a
/// draft changes.
#[utoipa::path(
    patch, path = "/api/v1/envelopes/{id}", tag = "envelopes",
    params(("id" = Uuid, Path, description = "Envelope id")),
    request_body = UpdateEnvelopeRequest,
    responses(
        (status = 200, description = "The updated draft", body = EnvelopeResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such envelope (or signer) in your account", body = ErrorBody),
        (status = 409, description = "`envelope_not_draft`, `external_key_taken`", body = ErrorBody),
        (status = 422, description = "Invalid field, `unknown_document`, `duplicate_document`, `duplicate_signer`, `role_with_fields`, `too_many_statements`, `duplicate_statement`, `invalid_statement_id`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn update_envelope(
    State(state): State<AppState>,
    Auth(who): Auth,
    Client(client): Client,
    Path(id): Path<Uuid>,
    Json(body): Json<UpdateEnvelopeRequest>,
) -> ApiResult<axum::Json<EnvelopeResponse>> {
    let record = state
        .signet
        .update_draft(&who, EnvelopeId::from_uuid(id), body.into(), &client)
        .await?;
    Ok(axum::Json(EnvelopeResponse::from_record(&record)))
}
