//! One-time codes that signers with `email_otp` or `sms` authentication enter, and the
//! browser sessions they unlock.

use time::OffsetDateTime;

use crate::id::{AccountId, EnvelopeId, SignerId};
use crate::model::text_enum;

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
