//! `POST /api/v1/verify`: upload a PDF (multipart field `file`), get the verifier's report and,
//! for a file your account sealed, its envelope.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use futures::StreamExt;
use serde::Serialize;
use signet_core::usecase::retention::PurgedSeal;
use signet_core::usecase::verify::{
    SealedEnvelope, SignatureReport, SignatureRole, TimestampReport, Verification,
};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::document::{UploadForm, missing_file, multipart_body, multipart_error};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ReadAuth;
use crate::json::{SignerRole, ts, ts_opt};

/// The verification route.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(verify_pdf))
}

/// The verifier's report on one PDF.
#[derive(Serialize, ToSchema)]
pub struct VerifyResponse {
    /// The bottom line: `valid` only when every signature is valid, trusted and unchanged
    /// beyond what it permits; `invalid` when anything was changed or forged; `indeterminate`
    /// when trust or a check could not be established.
    pub verdict: String,
    /// SHA-256 of the file (hex).
    pub sha256: String,
    /// Revisions (the original and each incremental update).
    pub revisions: usize,
    /// Bytes after the final `%%EOF`.
    pub trailing_bytes: u64,
    /// Problems of the file as a whole.
    pub problems: Vec<String>,
    /// Signatures in the order they were made.
    pub signatures: Vec<SignatureJson>,
    /// The envelope of your account whose sealed document or proof this file is, else null.
    pub envelope: Option<EnvelopeJson>,
    /// When the file is a sealed document or proof of an envelope this instance sealed and
    /// has since deleted under its account's retention setting: when it was sealed and
    /// deleted (nothing else is kept), else null.
    pub purged: Option<PurgedJson>,
}

/// What is left of an envelope deleted under retention: its tombstone's dates.
#[derive(Serialize, ToSchema)]
pub struct PurgedJson {
    /// Always true: this instance sealed the file.
    pub sealed_by_this_instance: bool,
    /// When it was sealed.
    pub sealed_at: Option<String>,
    /// When its envelope was deleted.
    pub purged_at: String,
    /// `document` (a sealed document) or `proof` (the proof document).
    pub file: String,
}

impl From<&PurgedSeal> for PurgedJson {
    fn from(p: &PurgedSeal) -> Self {
        Self {
            sealed_by_this_instance: true,
            sealed_at: ts_opt(p.sealed_at),
            purged_at: ts(p.purged_at),
            file: if p.is_proof { "proof" } else { "document" }.into(),
        }
    }
}

/// One signature.
#[derive(Serialize, ToSchema)]
pub struct SignatureJson {
    /// Signature field name.
    pub field: String,
    /// `approval`, `certification` or `document_timestamp`.
    pub role: String,
    /// DocMDP permission of a certification signature or of a locking signature's /Lock
    /// (1 = no changes, 2 = forms and signing, 3 = also annotations).
    pub docmdp_permission: Option<u8>,
    /// /SubFilter.
    pub sub_filter: String,
    /// The signing certificate's subject (the TSA's for a document time-stamp).
    pub signer: Option<String>,
    /// /Name, who the signature says signed (for a Signet envelope: the signer on whose
    /// behalf the instance seal signed).
    pub name: Option<String>,
    /// /M, the time the signer claims (not proof; see `timestamp`).
    pub claimed_time: Option<String>,
    /// The signed bytes are unchanged.
    pub intact: bool,
    /// The cryptographic signature verifies.
    pub valid: bool,
    /// The certificate chains to a trusted root (the instance root or a configured one).
    pub trusted: bool,
    /// `entire_file`, `entire_revision` or `partial`.
    pub coverage: String,
    /// The furthest-reaching change made after signing: `none`, `ltv`, `form_filling`,
    /// `annotations` or `other`.
    pub modification: String,
    /// Whether those changes are permitted.
    pub docmdp_ok: bool,
    /// `B-B`, `B-T`, `B-LT` or `B-LTA` for a PAdES signature.
    pub pades_level: Option<String>,
    /// The signature's time-stamp (or a document time-stamp's own token).
    pub timestamp: Option<TimestampJson>,
    /// What went wrong.
    pub problems: Vec<String>,
    /// `valid`, `invalid` or `indeterminate`.
    pub verdict: String,
}

/// An RFC 3161 time-stamp.
#[derive(Serialize, ToSchema)]
pub struct TimestampJson {
    /// The time the TSA vouches for.
    pub time: String,
    /// The TSA certificate's subject.
    pub authority: String,
    /// Signed correctly over the right bytes.
    pub valid: bool,
    /// The TSA chains to a trusted root.
    pub trusted: bool,
}

/// The envelope a verified file belongs to.
#[derive(Serialize, ToSchema)]
pub struct EnvelopeJson {
    /// Envelope id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// `document` (a sealed document) or `proof` (the proof document).
    pub file: String,
    /// Recipients in signing order.
    pub signers: Vec<EnvelopeSignerJson>,
    /// The audit trail's hash chain.
    pub audit_chain: AuditChainJson,
}

/// A recipient and when they signed.
#[derive(Serialize, ToSchema)]
pub struct EnvelopeSignerJson {
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Role.
    pub role: SignerRole,
    /// When they signed or approved.
    pub signed_at: Option<String>,
}

/// Whether the audit trail is intact.
#[derive(Serialize, ToSchema)]
pub struct AuditChainJson {
    /// Every event links to the previous one and hashes correctly.
    pub intact: bool,
    /// Events checked.
    pub events: usize,
}

impl From<&Verification> for VerifyResponse {
    fn from(v: &Verification) -> Self {
        let r = &v.report;
        Self {
            verdict: r.verdict.as_str().into(),
            sha256: hex::encode(r.sha256),
            revisions: r.revisions,
            trailing_bytes: r.trailing_bytes,
            problems: r.problems.clone(),
            signatures: r.signatures.iter().map(SignatureJson::from).collect(),
            envelope: v.envelope.as_ref().map(EnvelopeJson::from),
            purged: v.purged.as_ref().map(PurgedJson::from),
        }
    }
}

impl From<&SignatureReport> for SignatureJson {
    fn from(s: &SignatureReport) -> Self {
        Self {
            field: s.field.clone(),
            role: s.role.as_str().into(),
            docmdp_permission: match s.role {
                SignatureRole::Certification { permission }
                | SignatureRole::Lock { permission } => Some(permission),
                _ => None,
            },
            sub_filter: s.sub_filter.clone(),
            signer: s.signer.clone(),
            name: s.name.clone(),
            claimed_time: ts_opt(s.claimed_time),
            intact: s.intact,
            valid: s.valid,
            trusted: s.trusted,
            coverage: s.coverage.as_str().into(),
            modification: s.modification.as_str().into(),
            docmdp_ok: s.docmdp_ok,
            pades_level: s.pades_level.map(str::to_string),
            timestamp: s.timestamp.as_ref().map(TimestampJson::from),
            problems: s.problems.clone(),
            verdict: s.verdict.as_str().into(),
        }
    }
}

impl From<&TimestampReport> for TimestampJson {
    fn from(t: &TimestampReport) -> Self {
        Self {
            time: ts(t.time),
            authority: t.authority.clone(),
            valid: t.valid,
            trusted: t.trusted,
        }
    }
}

impl From<&SealedEnvelope> for EnvelopeJson {
    fn from(e: &SealedEnvelope) -> Self {
        Self {
            id: e.id.as_uuid(),
            title: e.title.clone(),
            file: if e.is_proof { "proof" } else { "document" }.into(),
            signers: e
                .signers
                .iter()
                .map(|s| EnvelopeSignerJson {
                    name: s.name.clone(),
                    email: s.email.clone(),
                    role: s.role.into(),
                    signed_at: ts_opt(s.signed_at),
                })
                .collect(),
            audit_chain: AuditChainJson {
                intact: e.audit_chain_intact,
                events: e.audit_events,
            },
        }
    }
}

/// Verify a PDF's signatures: integrity, validity, trust (the instance root and configured
/// roots only), coverage, changes after signing, DocMDP, PAdES level and time-stamps. A file
/// your account sealed also gets its envelope, signers and audit-chain status. The verdict is
/// in the body; the status is 200 whatever it is.
#[utoipa::path(
    post, path = "/api/v1/verify", tag = "trust",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The report", body = VerifyResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 413, description = "Larger than the upload limit", body = ErrorBody),
        (status = 415, description = "Not a PDF, or not multipart/form-data", body = ErrorBody),
        (status = 422, description = "`pdf_damaged`, `pdf_encrypted`, `pdf_limit_exceeded`, `missing_file`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn verify_pdf(
    State(state): State<AppState>,
    ReadAuth(who): ReadAuth,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<axum::Json<VerifyResponse>> {
    let limit = state.signet.config().max_upload_bytes;
    let mut multipart = multipart_body(multipart)?;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|err| ApiError::from(multipart_error(err, limit)))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let body = field.map(|chunk| chunk.map_err(|err| multipart_error(err, limit)));
        let verification = state.signet.verify_upload(&who, body).await?;
        return Ok(axum::Json(VerifyResponse::from(&verification)));
    }
    Err(missing_file())
}
