//! Domain values from rows, written once for both backends (see [`Columns`]).

use signet_core::id::{
    AccountId, ApiKeyId, ContactId, DocumentId, EnvelopeId, FieldId, JobId, PasswordResetId,
    SignerId, UserId,
};
use signet_core::model::{
    Account, ApiKey, AuditEvent, ChainHead, Contact, Document, Envelope, EnvelopeStatus, EventKind,
    Field, FieldKind, Invitation, Job, JobStatus, KeyKind, Language, PasswordReset, Rect, Scopes,
    SignedRevision, Signer, SignerRole, SignerStatus, SigningOrder, SourceFile, StoredFile, User,
    UserRole,
};
use signet_core::port::StoreError;

use crate::row::{Columns, Required};

/// An `accounts` row.
pub(crate) fn account(r: &dyn Columns) -> Result<Account, StoreError> {
    Ok(Account {
        id: AccountId::from_uuid(r.req_id("id")?),
        name: r.req_text("name")?,
        webhook_secret_sealed: r.req_bytes("webhook_secret_sealed")?,
        pades_level: match r.text("pades_level")? {
            None => None,
            Some(name) => Some(signet_core::model::PadesLevel::parse(&name).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "accounts.pades_level {name:?} is not a PAdES level"
                ))
            })?),
        },
        password_grant: r.req_bool("password_grant")?,
        reactivation_days: r
            .int("reactivation_days")?
            .map(i32::try_from)
            .transpose()
            .map_err(|_| {
                StoreError::Corrupt("accounts.reactivation_days is out of range".into())
            })?,
        default_language: r.opt_enum("default_language", signet_core::model::Language::parse)?,
        created_at: r.req_time("created_at")?,
    })
}

/// A `users` row.
pub(crate) fn user(r: &dyn Columns) -> Result<User, StoreError> {
    Ok(User {
        id: UserId::from_uuid(r.req_id("id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        email: r.req_text("email")?,
        name: r.req_text("name")?,
        password_hash: r.req_text("password_hash")?,
        role: r.req_enum("role", UserRole::parse)?,
        created_at: r.req_time("created_at")?,
        disabled_at: r.time("disabled_at")?,
    })
}

/// A `contacts` row.
pub(crate) fn contact(r: &dyn Columns) -> Result<Contact, StoreError> {
    Ok(Contact {
        id: ContactId::from_uuid(r.req_id("id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        first_name: r.text("first_name")?,
        last_name: r.text("last_name")?,
        email: r.req_text("email")?,
        external_id: r.text("external_id")?,
        created_at: r.req_time("created_at")?,
    })
}

/// A `password_resets` row.
pub(crate) fn password_reset(r: &dyn Columns) -> Result<PasswordReset, StoreError> {
    Ok(PasswordReset {
        id: PasswordResetId::from_uuid(r.req_id("id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        user_id: UserId::from_uuid(r.req_id("user_id")?),
        nonce: r.req_hash("nonce")?,
        token_hash: r.req_hash("token_hash")?,
        created_at: r.req_time("created_at")?,
        expires_at: r.req_time("expires_at")?,
        used_at: r.time("used_at")?,
        revoked_at: r.time("revoked_at")?,
    })
}

/// An `api_keys` row.
pub(crate) fn api_key(r: &dyn Columns) -> Result<ApiKey, StoreError> {
    Ok(ApiKey {
        id: ApiKeyId::from_uuid(r.req_id("id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        user_id: UserId::from_uuid(r.req_id("user_id")?),
        kind: r.req_enum("kind", KeyKind::parse)?,
        scopes: r.req_enum("scopes", Scopes::parse)?,
        name: r.req_text("name")?,
        lookup_id: r.req_text("lookup_id")?,
        secret_hash: r.req_hash("secret_hash")?,
        created_at: r.req_time("created_at")?,
        expires_at: r.time("expires_at")?,
        last_used_at: r.time("last_used_at")?,
        revoked_at: r.time("revoked_at")?,
    })
}

/// A stored file spread over `<prefix>_blob_key`, `<prefix>_sha256` and `<prefix>_size`; `None`
/// when the key is NULL.
fn stored_file(r: &dyn Columns, prefix: &str) -> Result<Option<StoredFile>, StoreError> {
    let Some(blob_key) = r.text(&format!("{prefix}_blob_key"))? else {
        return Ok(None);
    };
    let size_column = format!("{prefix}_size");
    let size = u64::try_from(r.req_int(&size_column)?)
        .map_err(|_| StoreError::Corrupt(format!("column {size_column} is negative")))?;
    Ok(Some(StoredFile {
        blob_key,
        sha256: r.req_hash(&format!("{prefix}_sha256"))?,
        size,
    }))
}

/// An `envelopes` row.
pub(crate) fn envelope(r: &dyn Columns) -> Result<Envelope, StoreError> {
    Ok(Envelope {
        id: EnvelopeId::from_uuid(r.req_id("id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        created_by: UserId::from_uuid(r.req_id("created_by")?),
        title: r.req_text("title")?,
        message: r.text("message")?,
        external_key: r.text("external_key")?,
        signing_order: r.req_enum("signing_order", SigningOrder::parse)?,
        status: r.req_enum("status", EnvelopeStatus::parse)?,
        expires_at: r.time("expires_at")?,
        callback_url: r.text("callback_url")?,
        result_url: r.text("result_url")?,
        status_callbacks: r.req_bool("status_callbacks")?,
        statements: r.req_json("statements")?,
        extended_auth_session: r.req_bool("extended_auth_session")?,
        proof: stored_file(r, "proof")?,
        created_at: r.req_time("created_at")?,
        updated_at: r.req_time("updated_at")?,
        sent_at: r.time("sent_at")?,
        finished_at: r.time("finished_at")?,
        deleted_at: r.time("deleted_at")?,
        version: r.req_int("version")?,
    })
}

/// A `documents` row.
pub(crate) fn document(r: &dyn Columns) -> Result<Document, StoreError> {
    Ok(Document {
        id: DocumentId::from_uuid(r.req_id("id")?),
        envelope_id: EnvelopeId::from_uuid(r.req_id("envelope_id")?),
        filename: r.req_text("filename")?,
        original: stored_file(r, "original")?.ok_or_else(|| {
            StoreError::Corrupt("column original_blob_key is unexpectedly NULL".into())
        })?,
        pages: r.req_json("pages")?,
        tags: r.req_json("tags")?,
        position: r.req_i32("position")?,
        signed: stored_file(r, "signed")?,
        source: match stored_file(r, "source")? {
            Some(file) => Some(SourceFile {
                file,
                media_type: r.req_text("source_media_type")?,
            }),
            None => None,
        },
        revision: match stored_file(r, "revision")? {
            Some(file) => Some(SignedRevision {
                file,
                signers: r.req_json("revision_signers")?,
            }),
            None => None,
        },
        created_at: r.req_time("created_at")?,
    })
}

/// A `signers` row.
pub(crate) fn signer(r: &dyn Columns) -> Result<Signer, StoreError> {
    Ok(Signer {
        id: SignerId::from_uuid(r.req_id("id")?),
        envelope_id: EnvelopeId::from_uuid(r.req_id("envelope_id")?),
        name: r.req_text("name")?,
        email: r.req_text("email")?,
        role: r.req_enum("role", SignerRole::parse)?,
        order: r.req_i32("sign_order")?,
        language: r.req_enum("language", Language::parse)?,
        invitation: r.req_enum("invitation", Invitation::parse)?,
        redirect_url: r.text("redirect_url")?,
        message: r.text("message")?,
        status: r.req_enum("status", SignerStatus::parse)?,
        token_hash: r.opt_hash("token_hash")?,
        token_generation: r.req_i32("token_generation")?,
        signature: r.opt_json("signature")?,
        evidence: r.opt_json("evidence")?,
        decline_reason: r.text("decline_reason")?,
        viewed_at: r.time("viewed_at")?,
        signed_at: r.time("signed_at")?,
        declined_at: r.time("declined_at")?,
        created_at: r.req_time("created_at")?,
        auth_method: r.req_enum("auth_method", signet_core::model::AuthMethod::parse)?,
        phone: r.text("phone")?,
        identity_provider: r.text("identity_provider")?,
        expected_identity: r.opt_json("expected_identity")?,
    })
}

/// A `signer_sessions` row.
pub(crate) fn signer_session(
    r: &dyn Columns,
) -> Result<signet_core::model::SignerSession, StoreError> {
    Ok(signet_core::model::SignerSession {
        hash: r.req_hash("hash")?,
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        envelope_id: EnvelopeId::from_uuid(r.req_id("envelope_id")?),
        signer_id: SignerId::from_uuid(r.req_id("signer_id")?),
        generation: r.req_i32("generation")?,
        created_at: r.req_time("created_at")?,
        expires_at: r.req_time("expires_at")?,
        verified_at: r.time("verified_at")?,
    })
}

/// A `signer_auth_passes` row.
pub(crate) fn signer_auth_pass(
    r: &dyn Columns,
) -> Result<signet_core::model::SignerAuthPass, StoreError> {
    Ok(signet_core::model::SignerAuthPass {
        hash: r.req_hash("hash")?,
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        email: r.req_text("email")?,
        method: r.req_enum("method", signet_core::model::AuthMethod::parse)?,
        phone: r.text("phone")?,
        identity_provider: r.text("identity_provider")?,
        envelope_id: EnvelopeId::from_uuid(r.req_id("envelope_id")?),
        signer_id: SignerId::from_uuid(r.req_id("signer_id")?),
        generation: r.req_i32("generation")?,
        event_seq: r.req_int("event_seq")?,
        verified_at: r.req_time("verified_at")?,
        expires_at: r.req_time("expires_at")?,
    })
}

/// A `signer_oidc_requests` row.
pub(crate) fn signer_oidc_request(
    r: &dyn Columns,
) -> Result<signet_core::model::SignerOidcRequest, StoreError> {
    Ok(signet_core::model::SignerOidcRequest {
        state_hash: r.req_hash("state_hash")?,
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        envelope_id: EnvelopeId::from_uuid(r.req_id("envelope_id")?),
        signer_id: SignerId::from_uuid(r.req_id("signer_id")?),
        generation: r.req_i32("generation")?,
        provider: r.req_text("provider")?,
        session_hash: r.req_hash("session_hash")?,
        created_at: r.req_time("created_at")?,
        expires_at: r.req_time("expires_at")?,
        used_at: r.time("used_at")?,
    })
}

/// A `signer_otps` row.
pub(crate) fn signer_otp(r: &dyn Columns) -> Result<signet_core::model::SignerOtp, StoreError> {
    Ok(signet_core::model::SignerOtp {
        id: r.req_id("id")?,
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        envelope_id: EnvelopeId::from_uuid(r.req_id("envelope_id")?),
        signer_id: SignerId::from_uuid(r.req_id("signer_id")?),
        channel: r.req_enum("channel", signet_core::model::OtpChannel::parse)?,
        code_hash: r.req_hash("code_hash")?,
        session_hash: r.req_hash("session_hash")?,
        created_at: r.req_time("created_at")?,
        expires_at: r.req_time("expires_at")?,
        sent_at: r.time("sent_at")?,
        failed_at: r.time("failed_at")?,
        attempts: r.req_i32("attempts")?,
        used_at: r.time("used_at")?,
    })
}

/// A rectangle spread over `<prefix>x`, `<prefix>y`, `<prefix>width`, `<prefix>height`; `None`
/// when `x` is NULL.
fn rect(r: &dyn Columns, prefix: &str) -> Result<Option<Rect>, StoreError> {
    let Some(x) = r.real(&format!("{prefix}x"))? else {
        return Ok(None);
    };
    Ok(Some(Rect {
        x,
        y: r.req_real(&format!("{prefix}y"))?,
        width: r.req_real(&format!("{prefix}width"))?,
        height: r.req_real(&format!("{prefix}height"))?,
    }))
}

/// A `fields` row.
pub(crate) fn field(r: &dyn Columns) -> Result<Field, StoreError> {
    let page = r.req_int("page")?;
    Ok(Field {
        id: FieldId::from_uuid(r.req_id("id")?),
        signer_id: SignerId::from_uuid(r.req_id("signer_id")?),
        document_id: DocumentId::from_uuid(r.req_id("document_id")?),
        kind: r.req_enum("kind", FieldKind::parse)?,
        required: r.req_bool("required")?,
        page: u32::try_from(page)
            .map_err(|_| StoreError::Corrupt(format!("page {page} is out of range")))?,
        rect: rect(r, "")?
            .ok_or_else(|| StoreError::Corrupt("column x is unexpectedly NULL".into()))?,
        tag: r.text("tag")?,
        tag_rect: rect(r, "tag_")?,
        value: r.opt_json("value")?,
    })
}

/// An `audit_events` row.
pub(crate) fn event(r: &dyn Columns) -> Result<AuditEvent, StoreError> {
    Ok(AuditEvent {
        envelope_id: EnvelopeId::from_uuid(r.req_id("envelope_id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        seq: r.req_int("seq")?,
        at: r.req_time("at")?,
        kind: r.req_enum("kind", EventKind::parse)?,
        actor: r.req_json("actor")?,
        ip: r.text("ip")?,
        user_agent: r.text("user_agent")?,
        data: r.req_json("data")?,
        prev_hash: r.req_hash("prev_hash")?,
        hash: r.req_hash("hash")?,
    })
}

/// The `seq` and `hash` columns of an `audit_events` row.
pub(crate) fn chain_head(r: &dyn Columns) -> Result<ChainHead, StoreError> {
    Ok(ChainHead {
        seq: r.req_int("seq")?,
        hash: r.req_hash("hash")?,
    })
}

/// A `jobs` row.
pub(crate) fn job(r: &dyn Columns) -> Result<Job, StoreError> {
    Ok(Job {
        id: JobId::from_uuid(r.req_id("id")?),
        payload: r.req_json("payload")?,
        status: r.req_enum("status", JobStatus::parse)?,
        attempts: r.req_i32("attempts")?,
        max_attempts: r.req_i32("max_attempts")?,
        run_at: r.req_time("run_at")?,
        locked_by: r.text("locked_by")?,
        locked_until: r.time("locked_until")?,
        last_error: r.text("last_error")?,
        created_at: r.req_time("created_at")?,
        updated_at: r.req_time("updated_at")?,
    })
}
