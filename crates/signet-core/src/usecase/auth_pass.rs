//! Extended authentication sessions ("auth passes"; Ignisign's `extendedAuthSessionEnabled`):
//! a signer who verifies by one-time code or at an identity provider on an envelope with
//! [`crate::model::Envelope::extended_auth_session`] also gets an auth pass in that browser
//! (a 256-bit HttpOnly cookie, only its SHA-256 stored). For 30 minutes from the verification,
//! opening another such envelope of the same account as a signer with the same e-mail address
//! and the same way of verifying (same phone for `sms`, same provider for `oidc`) counts as
//! verified: a verified browser session is made for that envelope, exactly as a right code
//! would, and `authentication_reused` names the verification it stands on.

use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::CoreError;
use crate::id::SignerId;
use crate::model::{
    AuthMethod, EnvelopeRecord, EventKind, Signer, SignerAuthPass, SignerSession, normalized_email,
};
use crate::mutation::ClientInfo;
use crate::otp;
use crate::secret::sha256;
use crate::service::Signet;
use crate::usecase::otp::{new_cookie, unverified_session};
use crate::usecase::signing::require_actionable;

/// How long an auth pass counts after the verification it was issued for (use does not
/// extend it).
pub const PASS_TTL: Duration = Duration::minutes(30);

/// An auth pass for the browser: the cookie value (shown once) and when it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthPassIssued {
    /// The cookie value; only its SHA-256 is stored.
    pub value: String,
    /// When it stops counting.
    pub expires_at: OffsetDateTime,
}

/// A verified browser session made from an auth pass on opening a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReusedSession {
    /// The signer-session cookie value for this link (only its SHA-256 is stored).
    pub session: String,
    /// When that session ends.
    pub expires_at: OffsetDateTime,
}

impl Signet {
    /// After `signer_id` was verified at `verified_at` (the verification's event being the
    /// newest of `record`): a new auth pass when the envelope has extended authentication
    /// sessions on. The verification stands without it when the pass cannot be stored (the
    /// failure is logged).
    pub(crate) async fn issue_auth_pass(
        &self,
        record: &EnvelopeRecord,
        signer_id: SignerId,
        verified_at: OffsetDateTime,
    ) -> Option<AuthPassIssued> {
        if !record.envelope.extended_auth_session {
            return None;
        }
        let signer = record.signer(signer_id)?;
        let event_seq = record.chain_head.as_ref()?.seq;
        let (value, hash) = new_cookie();
        let pass = SignerAuthPass {
            hash,
            account_id: record.envelope.account_id,
            email: normalized_email(&signer.email),
            method: signer.auth_method,
            phone: signer
                .phone
                .clone()
                .filter(|_| signer.auth_method == AuthMethod::Sms),
            identity_provider: signer
                .identity_provider
                .clone()
                .filter(|_| signer.auth_method == AuthMethod::Oidc),
            envelope_id: signer.envelope_id,
            signer_id: signer.id,
            generation: signer.token_generation,
            event_seq,
            verified_at,
            expires_at: verified_at + PASS_TTL,
        };
        if pass.method == AuthMethod::None {
            return None;
        }
        match self.store_ref().create_signer_auth_pass(&pass).await {
            Ok(()) => Some(AuthPassIssued {
                value,
                expires_at: pass.expires_at,
            }),
            Err(err) => {
                tracing::warn!(error = %err, "an auth pass could not be stored");
                None
            }
        }
    }

    /// On opening the link `token` of `signer`, not verified in this browser: when the browser's
    /// auth pass (`pass`, the cookie) covers them, records `authentication_reused` and makes a
    /// verified session for this envelope. `None` (the signer verifies as usual) unless both
    /// envelopes have extended sessions on, the pass is this account's, unexpired, for the same
    /// e-mail address and means of verifying, and its source signer's link is still current.
    /// Returns the envelope as recorded and the session.
    pub(crate) async fn reuse_auth_pass(
        &self,
        token: &str,
        record: &EnvelopeRecord,
        signer: &Signer,
        pass: Option<&str>,
        client: &ClientInfo,
    ) -> Result<Option<(EnvelopeRecord, ReusedSession)>, CoreError> {
        let Some(cookie) = pass.filter(|c| !c.is_empty() && c.len() <= 128) else {
            return Ok(None);
        };
        let eligible = record.envelope.extended_auth_session
            && signer.auth_method != AuthMethod::None
            && require_actionable(record, signer).is_ok();
        if !eligible {
            return Ok(None);
        }
        let now = self.now();
        let account = record.envelope.account_id;
        let found = self
            .store_ref()
            .signer_auth_pass(account, &sha256(cookie.as_bytes()))
            .await?;
        let Some(pass) = found.filter(|p| p.covers(signer, now)) else {
            return Ok(None);
        };
        if !self.pass_source_current(&pass).await? {
            return Ok(None);
        }
        let data = json!({"signer_id": signer.id, "method": pass.method.as_str(),
            "source_envelope_id": pass.envelope_id, "source_signer_id": pass.signer_id,
            "source_event_seq": pass.event_seq,
            "verified_at": crate::time::rfc3339(pass.verified_at),
            "pass_expires_at": crate::time::rfc3339(pass.expires_at)});
        // The event first: a verified session never exists without its evidence.
        let recorded = self
            .signer_event(token, EventKind::AuthenticationReused, data, client)
            .await?;
        let (value, hash) = new_cookie();
        let session = SignerSession {
            verified_at: Some(now),
            expires_at: now + otp::SESSION_TTL,
            ..unverified_session(signer, record, hash, now)
        };
        self.store_ref().create_signer_session(&session).await?;
        let reused = ReusedSession {
            session: value,
            expires_at: session.expires_at,
        };
        Ok(Some((recorded, reused)))
    }

    /// Whether the signer a pass was issued to still holds the link generation it verified
    /// with (a new link for them, e.g. after a leak, ends the pass as it ends sessions).
    async fn pass_source_current(&self, pass: &SignerAuthPass) -> Result<bool, CoreError> {
        let source = self
            .store_ref()
            .load_envelope(pass.account_id, pass.envelope_id)
            .await?;
        Ok(source
            .as_ref()
            .and_then(|r| r.signer(pass.signer_id))
            .is_some_and(|s| s.token_generation == pass.generation))
    }
}
