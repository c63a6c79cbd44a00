//! Wire types of the envelope resource.

use serde::{Deserialize, Serialize};
use signet_core::model::{self, EnvelopeRecord};
use signet_core::usecase::envelope::NewEnvelope;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

mod statement;

pub use statement::{StatementRequest, StatementResponse};

use crate::json::{
    BoxDto, EnvelopeStatus, FieldKind, Invitation, Language, SignerRole, SignerStatus,
    SigningOrder, ts, ts_opt,
};

/// Body of `POST /api/v1/envelopes`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEnvelopeRequest {
    /// Title (also the e-mail subject). 1–500 characters.
    pub title: String,
    /// Message to the signers (plain text, at most 10,000 characters).
    #[serde(default)]
    pub message: Option<String>,
    /// Your own key for this envelope, unique within your account.
    #[serde(default)]
    pub external_key: Option<String>,
    /// Default `sequential`.
    #[serde(default)]
    pub signing_order: Option<SigningOrder>,
    /// When signing stops being possible (RFC 3339, in the future).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<OffsetDateTime>,
    /// Called (POST, Standard Webhooks signature) when the envelope completes or is declined,
    /// with `key` and `external_key` appended to the query string.
    #[serde(default)]
    pub callback_url: Option<String>,
    /// Statements every signer must accept before signing (about the whole envelope: a new
    /// draft has no documents yet; add document statements with `PATCH`).
    #[serde(default)]
    pub statements: Vec<StatementRequest>,
    /// Extended authentication sessions (default false): a signer who verifies by one-time
    /// code or identity provider on this envelope may, in the same browser and for 30 minutes,
    /// open other envelopes of your account that have this on too, as a signer with the same
    /// e-mail address and the same method (phone, provider), without verifying again.
    #[serde(default)]
    pub extended_auth_session: bool,
}

impl From<CreateEnvelopeRequest> for NewEnvelope {
    fn from(r: CreateEnvelopeRequest) -> Self {
        NewEnvelope {
            title: r.title,
            message: r.message,
            external_key: r.external_key,
            signing_order: r.signing_order.map(Into::into),
            expires_at: r.expires_at,
            callback_url: r.callback_url,
            statements: r.statements.into_iter().map(Into::into).collect(),
            extended_auth_session: r.extended_auth_session,
        }
    }
}

/// An envelope with its documents and recipients.
#[derive(Serialize, ToSchema)]
pub struct EnvelopeResponse {
    /// Envelope id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Message to the signers.
    pub message: Option<String>,
    /// Your key.
    pub external_key: Option<String>,
    /// Signing order.
    pub signing_order: SigningOrder,
    /// Status.
    pub status: EnvelopeStatus,
    /// Expiry (RFC 3339).
    pub expires_at: Option<String>,
    /// Callback URL.
    pub callback_url: Option<String>,
    /// Extended authentication sessions (see the create request).
    pub extended_auth_session: bool,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
    /// When it was sent.
    pub sent_at: Option<String>,
    /// When it reached a final status (completed, declined, expired, canceled).
    pub finished_at: Option<String>,
    /// SHA-256 of the sealed proof document, once completed.
    pub proof_sha256: Option<String>,
    /// Documents, in upload order.
    pub documents: Vec<DocumentResponse>,
    /// Recipients.
    pub signers: Vec<SignerResponse>,
    /// What every signer must accept before signing, in the order shown.
    pub statements: Vec<StatementResponse>,
    /// While `sealing` waits for the time-stamping authority: why, and since when (the latest
    /// `sealing_delayed` event). Sealing is retried and never done at a lower level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sealing_delayed: Option<SealingDelay>,
}

/// Why sealing is waiting.
#[derive(Serialize, ToSchema)]
pub struct SealingDelay {
    /// What failed, e.g. "the TSA answered 503 Service Unavailable".
    pub reason: String,
    /// The PAdES level being waited for, e.g. "B-LTA".
    pub level: String,
    /// When the failure happened (RFC 3339).
    pub at: String,
}

impl SealingDelay {
    /// The delay a still-sealing envelope's newest event reports, if it is a delay.
    pub fn from_events(events: &[model::AuditEvent]) -> Option<Self> {
        let last = events.last()?;
        if last.kind != model::EventKind::SealingDelayed {
            return None;
        }
        let text = |key: &str| last.data[key].as_str().unwrap_or_default().to_string();
        Some(Self {
            reason: text("reason"),
            level: text("level"),
            at: ts(last.at),
        })
    }
}

/// A document.
#[derive(Serialize, ToSchema)]
pub struct DocumentResponse {
    /// Document id.
    pub id: Uuid,
    /// File name as uploaded.
    pub filename: String,
    /// SHA-256 of the PDF that is signed (the upload, or the PDF converted from it).
    pub sha256: String,
    /// Size of that PDF in bytes.
    pub size: u64,
    /// The uploaded DOC or DOCX the PDF was converted from, kept as evidence; null for a PDF
    /// upload.
    pub converted_from: Option<SourceDto>,
    /// Number of pages.
    pub pages: u32,
    /// Page sizes in points (unrotated) and rotations.
    pub page_sizes: Vec<PageSizeDto>,
    /// `{{tags}}` found in the text.
    pub tags: Vec<TagDto>,
    /// SHA-256 of the sealed output, once completed.
    pub signed_sha256: Option<String>,
}

/// An uploaded file that was converted to PDF.
#[derive(Serialize, ToSchema)]
pub struct SourceDto {
    /// Its media type (`application/msword` or the Office Open XML word-processing type).
    pub media_type: String,
    /// SHA-256 of the upload.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// A page size.
#[derive(Serialize, ToSchema)]
pub struct PageSizeDto {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// Clockwise rotation in degrees.
    pub rotation: u16,
}

/// A `{{tag}}` occurrence.
#[derive(Serialize, ToSchema)]
pub struct TagDto {
    /// The name between the braces.
    pub name: String,
    /// 1-based page.
    pub page: u32,
    /// Where the tag's text is.
    #[serde(flatten)]
    pub rect: BoxDto,
}

/// A recipient.
#[derive(Serialize, ToSchema)]
pub struct SignerResponse {
    /// Signer id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Role.
    pub role: SignerRole,
    /// Position in a sequential order.
    pub order: i32,
    /// Language.
    pub language: Language,
    /// How the signing link is delivered.
    pub invitation: Invitation,
    /// Where the browser goes after signing or declining.
    pub redirect_url: Option<String>,
    /// The message for this recipient only (shown in their invitation instead of the envelope's).
    pub message: Option<String>,
    /// Status.
    pub status: SignerStatus,
    /// First opening.
    pub viewed_at: Option<String>,
    /// Signing time.
    pub signed_at: Option<String>,
    /// Declining time.
    pub declined_at: Option<String>,
    /// Reason given when declining.
    pub decline_reason: Option<String>,
    /// Fields to fill.
    pub fields: Vec<FieldResponse>,
    /// The signing link: only in the response to `send`, only for `link` signers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_url: Option<String>,
    /// What the signer proves besides holding the link.
    pub auth_method: crate::json::AuthMethod,
    /// Mobile number (E.164), for `sms`.
    pub phone: Option<String>,
    /// The identity provider, for `oidc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<String>,
    /// Who the identity provider must confirm the signer is, for `oidc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_identity: Option<crate::json::ExpectedIdentityDto>,
}

/// A field.
#[derive(Serialize, ToSchema)]
pub struct FieldResponse {
    /// Field id.
    pub id: Uuid,
    /// Field type.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Document.
    pub document_id: Uuid,
    /// 1-based page.
    pub page: u32,
    /// Box.
    #[serde(flatten)]
    pub rect: BoxDto,
    /// Whether it must be filled.
    pub required: bool,
    /// The tag it was placed on.
    pub tag: Option<String>,
    /// The value, once signed.
    #[schema(value_type = Option<Object>)]
    pub value: Option<serde_json::Value>,
}

impl EnvelopeResponse {
    /// Builds the response for a record.
    pub fn from_record(record: &EnvelopeRecord) -> Self {
        let e = &record.envelope;
        Self {
            id: e.id.as_uuid(),
            title: e.title.clone(),
            message: e.message.clone(),
            external_key: e.external_key.clone(),
            signing_order: e.signing_order.into(),
            status: e.status.into(),
            expires_at: ts_opt(e.expires_at),
            callback_url: e.callback_url.clone(),
            extended_auth_session: e.extended_auth_session,
            created_at: ts(e.created_at),
            updated_at: ts(e.updated_at),
            sent_at: ts_opt(e.sent_at),
            finished_at: ts_opt(e.finished_at),
            proof_sha256: e.proof.as_ref().map(|p| hex::encode(p.sha256)),
            documents: record
                .documents
                .iter()
                .map(DocumentResponse::from)
                .collect(),
            signers: record
                .signers
                .iter()
                .map(|s| SignerResponse::new(s, &record.fields))
                .collect(),
            statements: e.statements.iter().map(Into::into).collect(),
            sealing_delayed: None,
        }
    }
}

impl From<&model::Document> for DocumentResponse {
    fn from(d: &model::Document) -> Self {
        Self {
            id: d.id.as_uuid(),
            filename: d.filename.clone(),
            sha256: hex::encode(d.original.sha256),
            size: d.original.size,
            converted_from: d.source.as_ref().map(|s| SourceDto {
                media_type: s.media_type.clone(),
                sha256: hex::encode(s.file.sha256),
                size: s.file.size,
            }),
            pages: d.pages.len() as u32,
            page_sizes: d
                .pages
                .iter()
                .map(|p| PageSizeDto {
                    width: p.width,
                    height: p.height,
                    rotation: p.rotation,
                })
                .collect(),
            tags: d
                .tags
                .iter()
                .map(|t| TagDto {
                    name: t.name.clone(),
                    page: t.page,
                    rect: t.rect.into(),
                })
                .collect(),
            signed_sha256: d.signed.as_ref().map(|s| hex::encode(s.sha256)),
        }
    }
}

impl SignerResponse {
    /// Builds the response for a signer and its fields (taken from `fields`).
    pub fn new(s: &model::Signer, fields: &[model::Field]) -> Self {
        Self {
            id: s.id.as_uuid(),
            name: s.name.clone(),
            email: s.email.clone(),
            role: s.role.into(),
            order: s.order,
            language: s.language.into(),
            invitation: s.invitation.into(),
            redirect_url: s.redirect_url.clone(),
            message: s.message.clone(),
            auth_method: s.auth_method.into(),
            phone: s.phone.clone(),
            identity_provider: s.identity_provider.clone(),
            expected_identity: s.expected_identity.as_ref().map(Into::into),
            status: s.status.into(),
            viewed_at: ts_opt(s.viewed_at),
            signed_at: ts_opt(s.signed_at),
            declined_at: ts_opt(s.declined_at),
            decline_reason: s.decline_reason.clone(),
            fields: fields
                .iter()
                .filter(|f| f.signer_id == s.id)
                .map(FieldResponse::from)
                .collect(),
            sign_url: None,
        }
    }
}

impl From<&model::Field> for FieldResponse {
    fn from(f: &model::Field) -> Self {
        Self {
            id: f.id.as_uuid(),
            kind: f.kind.into(),
            document_id: f.document_id.as_uuid(),
            page: f.page,
            rect: f.rect.into(),
            required: f.required,
            tag: f.tag.clone(),
            value: f.value.as_ref().and_then(|v| serde_json::to_value(v).ok()),
        }
    }
}

/// An envelope in a listing (without documents and recipients).
#[derive(Serialize, ToSchema)]
pub struct EnvelopeSummary {
    /// Envelope id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Your key.
    pub external_key: Option<String>,
    /// Status.
    pub status: EnvelopeStatus,
    /// Signing order.
    pub signing_order: SigningOrder,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
    /// When it was sent.
    pub sent_at: Option<String>,
    /// When it reached a final status.
    pub finished_at: Option<String>,
    /// Expiry.
    pub expires_at: Option<String>,
}

impl From<&model::Envelope> for EnvelopeSummary {
    fn from(e: &model::Envelope) -> Self {
        Self {
            id: e.id.as_uuid(),
            title: e.title.clone(),
            external_key: e.external_key.clone(),
            status: e.status.into(),
            signing_order: e.signing_order.into(),
            created_at: ts(e.created_at),
            updated_at: ts(e.updated_at),
            sent_at: ts_opt(e.sent_at),
            finished_at: ts_opt(e.finished_at),
            expires_at: ts_opt(e.expires_at),
        }
    }
}

/// A page of envelopes.
#[derive(Serialize, ToSchema)]
pub struct EnvelopeList {
    /// Envelopes, newest first.
    pub data: Vec<EnvelopeSummary>,
    /// Pass as `cursor` to fetch the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Query of `GET /api/v1/envelopes`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only envelopes in this status.
    pub status: Option<EnvelopeStatus>,
    /// Only the envelope with this external key.
    pub external_key: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// An audit event.
#[derive(Serialize, ToSchema)]
pub struct EventResponse {
    /// 1-based position in the envelope's chain.
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// What happened, e.g. `envelope_sent`, `signed`, `sealed`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Who did it: `{"type": "api_key" | "signer" | "system", ...}`.
    #[schema(value_type = Object)]
    pub actor: serde_json::Value,
    /// Client IP.
    pub ip: Option<String>,
    /// Client User-Agent.
    pub user_agent: Option<String>,
    /// Details.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// Hash of the previous event (hex).
    pub prev_hash: String,
    /// SHA-256 over `prev_hash` and the canonical JSON of the event (hex).
    pub hash: String,
}

impl From<&model::AuditEvent> for EventResponse {
    fn from(e: &model::AuditEvent) -> Self {
        Self {
            seq: e.seq,
            at: ts(e.at),
            kind: e.kind.to_string(),
            actor: serde_json::to_value(&e.actor).unwrap_or_default(),
            ip: e.ip.clone(),
            user_agent: e.user_agent.clone(),
            data: e.data.clone(),
            prev_hash: hex::encode(e.prev_hash),
            hash: hex::encode(e.hash),
        }
    }
}

/// The audit trail.
#[derive(Serialize, ToSchema)]
pub struct EventList {
    /// Events in order.
    pub data: Vec<EventResponse>,
}

/// Result of re-computing the hash chain.
#[derive(Serialize, ToSchema)]
pub struct ChainResponse {
    /// True when every event links to the previous one and its hash is right.
    pub ok: bool,
    /// Events checked.
    pub events: usize,
    /// The first event that does not check out.
    pub first_bad_seq: Option<i64>,
}
