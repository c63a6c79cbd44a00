//! Wire types of the embedded-signing API.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use signet_core::usecase::signing::{SigningOutcome, SigningSession};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::envelope::json::FieldResponse;
use crate::json::{
    AuthMethod, EnvelopeStatus, Language, OtpChannel, SignerRole, SignerStatus, SigningOrder,
    ts_opt,
};

/// What the signer sees.
#[derive(Serialize, ToSchema)]
pub struct SigningSessionResponse {
    /// The envelope.
    pub envelope: SigningEnvelope,
    /// The signer this link belongs to.
    pub signer: SigningSigner,
    /// The documents to read.
    pub documents: Vec<SigningDocument>,
    /// This signer's fields.
    pub fields: Vec<FieldResponse>,
    /// What the signer must accept before signing: complete with every id in
    /// `accepted_statements` (empty until authenticated, like `documents`).
    pub statements: Vec<SigningStatement>,
    /// The disclosure the signer must accept (`consent: true`) to sign.
    pub consent: ConsentDto,
    /// What the signer must prove, and whether this browser has (until it has, `documents`
    /// and `fields` are empty and the signing actions answer 403 `authentication_required`).
    pub authentication: AuthenticationDto,
}

/// The signer's authentication in this browser.
#[derive(Serialize, ToSchema)]
pub struct AuthenticationDto {
    /// `none`, `email_otp`, `sms` or `oidc`.
    pub method: AuthMethod,
    /// For `oidc`: the identity provider; the signer verifies by opening
    /// `/s/{token}/oidc/start` in the browser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<String>,
    /// True when the signer may read and act in this browser (always for `none`).
    pub verified: bool,
}

/// Body of `POST /api/v1/signing/{token}/otp/verify`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyOtpRequest {
    /// The six-digit code.
    pub code: String,
}

/// A code was sent.
#[derive(Serialize, ToSchema)]
pub struct OtpSentResponse {
    /// `email` or `sms`.
    pub channel: OtpChannel,
    /// Where it went, masked (`a***@example.com`, `+31*******78`).
    pub destination: String,
    /// When the code stops working.
    pub expires_at: String,
    /// Seconds until another code may be requested.
    pub resend_in: i64,
}

/// The browser's session is verified.
#[derive(Serialize, ToSchema)]
pub struct OtpVerifiedResponse {
    /// Always true.
    pub verified: bool,
    /// When the session ends (the code must then be entered again).
    pub expires_at: String,
}

/// The envelope as the signer sees it.
#[derive(Serialize, ToSchema)]
pub struct SigningEnvelope {
    /// Envelope id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Message from the sender.
    pub message: Option<String>,
    /// The sender's account name.
    pub sender: String,
    /// Status.
    pub status: EnvelopeStatus,
    /// Signing order.
    pub signing_order: SigningOrder,
}

/// The signer.
#[derive(Serialize, ToSchema)]
pub struct SigningSigner {
    /// Signer id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Role.
    pub role: SignerRole,
    /// Status.
    pub status: SignerStatus,
    /// Language.
    pub language: Language,
    /// Signing time.
    pub signed_at: Option<String>,
    /// Declining time.
    pub declined_at: Option<String>,
}

/// A document to read.
#[derive(Serialize, ToSchema)]
pub struct SigningDocument {
    /// Document id.
    pub id: Uuid,
    /// File name.
    pub filename: String,
    /// Number of pages.
    pub pages: u32,
    /// SHA-256 of the PDF served at `url`.
    pub sha256: String,
    /// Where to fetch the PDF (relative to the server).
    pub url: String,
}

/// A statement the signer must accept.
#[derive(Serialize, ToSchema)]
pub struct SigningStatement {
    /// Its id, to list in `accepted_statements`.
    pub id: String,
    /// What the signer declares, in Markdown (show it escaped; the signing page renders
    /// `**bold**`, `*italics*` and line breaks only).
    pub label: String,
    /// The document it is about; null for the whole envelope.
    pub document_id: Option<Uuid>,
    /// That document's file name.
    pub document_name: Option<String>,
}

/// The electronic-signature disclosure.
#[derive(Serialize, ToSchema)]
pub struct ConsentDto {
    /// Version recorded in the audit trail; it names the signer's language (`2026-11-de-1`).
    pub version: String,
    /// The text to show, in the signer's language.
    pub text: String,
    /// SHA-256 of the text (hex).
    pub sha256: String,
}

impl SigningSessionResponse {
    /// Builds the response for a session and the token it was opened with.
    pub fn new(session: &SigningSession, token: &str) -> Option<Self> {
        let signer = session.signer()?;
        let e = &session.record.envelope;
        let open = session.authenticated;
        Some(Self {
            envelope: SigningEnvelope {
                id: e.id.as_uuid(),
                title: e.title.clone(),
                message: e.message.clone(),
                sender: session.account_name.clone(),
                status: e.status.into(),
                signing_order: e.signing_order.into(),
            },
            signer: SigningSigner {
                id: signer.id.as_uuid(),
                name: signer.name.clone(),
                email: signer.email.clone(),
                role: signer.role.into(),
                status: signer.status.into(),
                language: signer.language.into(),
                signed_at: ts_opt(signer.signed_at),
                declined_at: ts_opt(signer.declined_at),
            },
            documents: session
                .record
                .documents
                .iter()
                .filter(|_| open)
                .map(|d| SigningDocument {
                    id: d.id.as_uuid(),
                    filename: d.filename.clone(),
                    pages: d.pages.len() as u32,
                    sha256: hex::encode(d.original.sha256),
                    url: format!("/api/v1/signing/{token}/documents/{}", d.id),
                })
                .collect(),
            fields: session
                .record
                .fields
                .iter()
                .filter(|f| open && f.signer_id == signer.id)
                .map(FieldResponse::from)
                .collect(),
            statements: e
                .statements
                .iter()
                .filter(|_| open)
                .map(|st| SigningStatement {
                    id: st.id.to_string(),
                    label: st.label.clone(),
                    document_id: st.document_id.map(|d| d.as_uuid()),
                    document_name: st
                        .document_id
                        .and_then(|d| session.record.document(d))
                        .map(|d| d.filename.clone()),
                })
                .collect(),
            consent: ConsentDto {
                version: signet_core::consent::version(signer.language),
                text: signet_core::consent::text(signer.language).into(),
                sha256: signet_core::consent::sha256_hex(signer.language),
            },
            authentication: AuthenticationDto {
                method: signer.auth_method.into(),
                identity_provider: signer.identity_provider.clone(),
                verified: open,
            },
        })
    }
}

/// The adopted signature.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum SignatureDto {
    /// A typed name, rendered in a script font.
    Typed {
        /// The name (1–100 characters).
        text: String,
        /// The script face (default `dancing_script`); typed initials use it too.
        #[serde(default)]
        font: TypedFont,
    },
    /// A drawn signature.
    Drawn {
        /// A PNG (at most 1 MiB and 4096 x 4096 pixels), base64.
        png_base64: String,
    },
}

/// The script faces a typed signature can be drawn in; the signing page shows them from the
/// same files (`/assets/fonts/{font}.ttf`).
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypedFont {
    /// Dancing Script.
    #[default]
    DancingScript,
    /// Great Vibes.
    GreatVibes,
    /// Caveat.
    Caveat,
}

impl From<TypedFont> for signet_core::model::ScriptFont {
    fn from(font: TypedFont) -> Self {
        match font {
            TypedFont::DancingScript => Self::DancingScript,
            TypedFont::GreatVibes => Self::GreatVibes,
            TypedFont::Caveat => Self::Caveat,
        }
    }
}

/// Body of `POST /api/v1/signing/{token}/complete`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteSigningRequest {
    /// Must be true: the signer agrees to sign electronically (see `consent` in the session).
    #[serde(default)]
    pub consent: bool,
    /// Required for signers; signature and initials fields take it.
    #[serde(default)]
    pub signature: Option<SignatureDto>,
    /// Values for text (string) and checkbox (boolean) fields, by field id. Date fields fill
    /// themselves with the signing date.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub fields: BTreeMap<String, serde_json::Value>,
    /// The ids of the statements the signer ticked: every statement of the session, or 422
    /// `statements_not_accepted` and nothing is signed.
    #[serde(default)]
    pub accepted_statements: Vec<String>,
}

/// Body of `POST /api/v1/signing/{token}/decline`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineRequest {
    /// Why (at most 1,000 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// The result of signing or declining.
#[derive(Serialize, ToSchema)]
pub struct SigningOutcomeResponse {
    /// The signer's status.
    pub signer_status: SignerStatus,
    /// The envelope's status (`sealing` once the last signer signed).
    pub envelope_status: EnvelopeStatus,
    /// Where to send the browser, if the sender set a redirect URL.
    pub redirect_url: Option<String>,
}

impl From<SigningOutcome> for SigningOutcomeResponse {
    fn from(o: SigningOutcome) -> Self {
        Self {
            signer_status: o.signer_status.into(),
            envelope_status: o.envelope_status.into(),
            redirect_url: o.redirect_url,
        }
    }
}
