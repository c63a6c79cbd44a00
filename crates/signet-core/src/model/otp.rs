//! One-time codes that signers with `email_otp` or `sms` authentication enter, and the
//! browser sessions they unlock.

use time::OffsetDateTime;

use crate::id::{AccountId, EnvelopeId, SignerId};
use crate::model::{AuthMethod, Signer, text_enum};

/// How a one-time code reaches the signer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtpChannel {
    /// By e-mail, to the signer's address.
    Email,
    /// By SMS, to the signer's phone.
    Sms,
}
text_enum!(OtpChannel { Email => "email", Sms => "sms" });

/// A one-time code as stored: never the code, only its keyed hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerOtp {
    /// Its id (an input of the code's hash, so a hash cannot be moved to another row).
    pub id: uuid::Uuid,
    /// The envelope's account.
    pub account_id: AccountId,
    /// The envelope.
    pub envelope_id: EnvelopeId,
    /// The signer it was sent to.
    pub signer_id: SignerId,
    /// How it was sent.
    pub channel: OtpChannel,
    /// `HMAC-SHA256(instance OTP key, id ‖ code)`.
    pub code_hash: [u8; 32],
    /// SHA-256 of the browser-session cookie it was issued to; only that browser may use it.
    pub session_hash: [u8; 32],
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// When the mail or SMS system accepted it (`None` while sending or after a failure).
    pub sent_at: Option<OffsetDateTime>,
    /// When sending it failed (it then does not count against the send limit).
    pub failed_at: Option<OffsetDateTime>,
    /// Verification attempts made with it so far.
    pub attempts: i32,
    /// When it was used (single use).
    pub used_at: Option<OffsetDateTime>,
}

/// A signer's browser session, identified by the SHA-256 of an HttpOnly cookie. It binds the
/// codes sent to that browser, and once a code is verified it unlocks the signing API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerSession {
    /// SHA-256 of the cookie's value.
    pub hash: [u8; 32],
    /// The envelope's account.
    pub account_id: AccountId,
    /// The envelope.
    pub envelope_id: EnvelopeId,
    /// The signer.
    pub signer_id: SignerId,
    /// The signer's link generation when it was made; a new link ends it.
    pub generation: i32,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// When a code was verified in it (`None`: it only binds codes so far).
    pub verified_at: Option<OffsetDateTime>,
}

/// How many codes a signer may be sent: at most `max` since `since`, and none after
/// `gap_since` (codes whose sending failed are not counted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OtpQuota {
    /// Start of the counting window (codes made after it count).
    pub since: OffsetDateTime,
    /// Most codes in the window.
    pub max: i64,
    /// No code may have been made after this time.
    pub gap_since: OffsetDateTime,
}

/// A login at an identity provider under way: only the SHA-256 of its `state` is stored. The
/// PKCE verifier and the nonce are derived from the state with an instance key, so nothing
/// here lets a reader finish the login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerOidcRequest {
    /// SHA-256 of the `state` sent to the provider.
    pub state_hash: [u8; 32],
    /// The envelope's account.
    pub account_id: AccountId,
    /// The envelope.
    pub envelope_id: EnvelopeId,
    /// The signer.
    pub signer_id: SignerId,
    /// The signer's link generation when it was made.
    pub generation: i32,
    /// The provider's configured name.
    pub provider: String,
    /// SHA-256 of the browser-session cookie that started it; only that session is verified.
    pub session_hash: [u8; 32],
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// When its callback arrived (single use).
    pub used_at: Option<OffsetDateTime>,
}

/// An extended authentication session ("auth pass"): proof, held by one browser as an HttpOnly
/// cookie (only its SHA-256 is stored), that this browser verified a signer by a one-time code
/// or at an identity provider on an envelope with extended authentication sessions. For 30
/// minutes from that verification it stands for the verification on another such envelope of
/// the same account, for a signer with the same e-mail address and the same way of verifying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerAuthPass {
    /// SHA-256 of the cookie's value.
    pub hash: [u8; 32],
    /// The account; a pass never counts for another account's envelopes.
    pub account_id: AccountId,
    /// The verified signer's e-mail address, normalised ([`normalized_email`]).
    pub email: String,
    /// How the signer was verified (`email_otp`, `sms` or `oidc`).
    pub method: AuthMethod,
    /// The phone the code went to, for `sms`.
    pub phone: Option<String>,
    /// The identity provider logged in at, for `oidc`.
    pub identity_provider: Option<String>,
    /// The envelope the verification happened on.
    pub envelope_id: EnvelopeId,
    /// The signer verified there.
    pub signer_id: SignerId,
    /// That signer's link generation then; a new link for them ends the pass.
    pub generation: i32,
    /// Sequence number of the verification's audit event (`otp_verified`,
    /// `identity_verified`) in that envelope's trail.
    pub event_seq: i64,
    /// When the signer was verified.
    pub verified_at: OffsetDateTime,
    /// `verified_at` + 30 minutes; using the pass does not extend it.
    pub expires_at: OffsetDateTime,
}

impl SignerAuthPass {
    /// Whether the pass vouches for `signer` at `now`: not expired, the same e-mail address,
    /// the same method, and for `sms` the same phone, for `oidc` the same provider and no
    /// [`Signer::expected_identity`] (the pass keeps no claims to hold against one, so such a
    /// signer always logs in). The account, the envelopes' settings and link generations are
    /// the caller's to check.
    pub fn covers(&self, signer: &Signer, now: OffsetDateTime) -> bool {
        let same_means = match self.method {
            AuthMethod::EmailOtp => true,
            AuthMethod::Sms => signer.phone.is_some() && self.phone == signer.phone,
            AuthMethod::Oidc => {
                signer.identity_provider.is_some()
                    && self.identity_provider == signer.identity_provider
                    && signer.expected_identity.is_none()
            }
            AuthMethod::None => false,
        };
        now < self.expires_at
            && signer.auth_method == self.method
            && normalized_email(&signer.email) == self.email
            && same_means
    }
}

/// An e-mail address as auth passes compare them: trimmed and lower-cased.
pub fn normalized_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::model::{Invitation, Language, SignerRole, SignerStatus};

    const AT: OffsetDateTime = datetime!(2027-03-01 09:00 UTC);

    fn signer(method: AuthMethod) -> Signer {
        Signer {
            id: SignerId::generate(),
            envelope_id: EnvelopeId::generate(),
            name: "Pat".into(),
            email: " Pat@Example.test".into(),
            role: SignerRole::Signer,
            order: 1,
            language: Language::En,
            invitation: Invitation::Link,
            redirect_url: None,
            message: None,
            status: SignerStatus::Pending,
            token_hash: None,
            token_generation: 1,
            signature: None,
            evidence: None,
            decline_reason: None,
            viewed_at: None,
            signed_at: None,
            declined_at: None,
            created_at: AT,
            auth_method: method,
            phone: (method == AuthMethod::Sms).then(|| "+31612345678".into()),
            identity_provider: (method == AuthMethod::Oidc).then(|| "idin".into()),
            expected_identity: None,
        }
    }

    fn pass_for(s: &Signer) -> SignerAuthPass {
        SignerAuthPass {
            hash: [0; 32],
            account_id: AccountId::generate(),
            email: normalized_email(&s.email),
            method: s.auth_method,
            phone: s.phone.clone(),
            identity_provider: s.identity_provider.clone(),
            envelope_id: s.envelope_id,
            signer_id: s.id,
            generation: 1,
            event_seq: 4,
            verified_at: AT,
            expires_at: AT + time::Duration::minutes(30),
        }
    }

    #[test]
    fn a_pass_covers_the_same_email_and_means_until_it_expires() {
        for method in [AuthMethod::EmailOtp, AuthMethod::Sms, AuthMethod::Oidc] {
            let pass = pass_for(&signer(method));
            let mut other = signer(method);
            other.email = "pat@example.test".into();
            assert!(pass.covers(&other, AT + time::Duration::minutes(29)));
            assert!(!pass.covers(&other, pass.expires_at), "{method:?} expired");
            other.email = "sam@example.test".into();
            assert!(!pass.covers(&other, AT), "{method:?} other e-mail");
        }
    }

    #[test]
    fn a_pass_never_covers_another_method_phone_or_provider() {
        let by_mail = pass_for(&signer(AuthMethod::EmailOtp));
        assert!(!by_mail.covers(&signer(AuthMethod::Sms), AT));
        assert!(!by_mail.covers(&signer(AuthMethod::None), AT));
        let by_sms = pass_for(&signer(AuthMethod::Sms));
        let mut other_phone = signer(AuthMethod::Sms);
        other_phone.phone = Some("+31687654321".into());
        assert!(!by_sms.covers(&other_phone, AT));
        assert!(!by_sms.covers(&signer(AuthMethod::EmailOtp), AT));
        let by_login = pass_for(&signer(AuthMethod::Oidc));
        let mut other_provider = signer(AuthMethod::Oidc);
        other_provider.identity_provider = Some("itsme".into());
        assert!(!by_login.covers(&other_provider, AT));
        let mut named = signer(AuthMethod::Oidc);
        named.expected_identity = Some(crate::model::ExpectedIdentity {
            family_name: Some("Pat".into()),
            birthdate: None,
        });
        assert!(
            !by_login.covers(&named, AT),
            "a named identity is checked anew"
        );
    }
}
