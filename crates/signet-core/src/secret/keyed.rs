//! Tokens derived with HMAC-SHA256 from an instance key, so that nothing secret has to be
//! stored: password-reset links ([`ResetTokens`]) and the anti-forgery tokens of the
//! unauthenticated HTML forms ([`FormTokens`]).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{KeyInit, Mac};
use sha2::Sha256;

use super::{constant_time_eq, sha256};
use crate::id::PasswordResetId;

/// HMAC-SHA256 under `key` of a purpose label and length-prefixed parts (so that no two
/// different inputs concatenate to the same message), base64url.
fn derive(key: &[u8; 32], label: &str, parts: &[&[u8]]) -> String {
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(label.as_bytes());
    mac.update(&[0]);
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Password-reset link tokens: `HMAC-SHA256(reset key, reset id ‖ nonce)`, base64url (256
/// bits; the nonce adds 256 fresh random bits per reset).
///
/// Why derived rather than random: the e-mail is sent by a job, and jobs are rows. A random
/// token would have to sit in the job (in clear, or encrypted) until the mail is out; a
/// derived one lets the job carry only the reset's id and re-derive the token when it runs.
/// At rest there is only `SHA-256(token)` (to find the reset) and the nonce, which is useless
/// without the instance key (kept encrypted under the master key, outside the rows).
pub struct ResetTokens {
    key: [u8; 32],
}

impl ResetTokens {
    /// Uses `key` (32 random bytes kept as an instance secret).
    pub fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    /// The token of a reset.
    pub fn token(&self, id: PasswordResetId, nonce: &[u8; 32]) -> String {
        derive(
            &self.key,
            "signet-password-reset",
            &[id.as_uuid().as_bytes(), nonce],
        )
    }

    /// The hash stored for (and looked up by) a token.
    pub fn hash(token: &str) -> [u8; 32] {
        sha256(token.as_bytes())
    }
}

/// Anti-forgery tokens for HTML forms used before anyone is logged in (signed double-submit
/// cookie): the browser holds a random nonce in a cookie, the form carries
/// `HMAC-SHA256(form key, nonce ‖ form name)`. A forged cross-site post has neither the
/// cookie's value nor the key, so it cannot produce a matching pair; the form name stops a
/// token for one form being replayed on another.
pub struct FormTokens {
    key: [u8; 32],
}

impl FormTokens {
    /// Uses `key` (32 random bytes kept as an instance secret).
    pub fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    /// The token a form named `form` carries for the cookie value `nonce`.
    pub fn token(&self, nonce: &str, form: &str) -> String {
        derive(
            &self.key,
            "signet-form",
            &[nonce.as_bytes(), form.as_bytes()],
        )
    }

    /// True when `token` is the token for `nonce` and `form` (compared in constant time).
    pub fn verify(&self, nonce: &str, form: &str, token: &str) -> bool {
        constant_time_eq(self.token(nonce, form).as_bytes(), token.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_tokens_depend_on_key_id_and_nonce() {
        let id = PasswordResetId::generate();
        let (a, b) = (ResetTokens::new([1; 32]), ResetTokens::new([2; 32]));
        assert_eq!(a.token(id, &[3; 32]), a.token(id, &[3; 32]));
        assert_ne!(a.token(id, &[3; 32]), a.token(id, &[4; 32]));
        assert_ne!(a.token(id, &[3; 32]), b.token(id, &[3; 32]));
        assert_ne!(
            a.token(id, &[3; 32]),
            a.token(PasswordResetId::generate(), &[3; 32])
        );
        assert_eq!(a.token(id, &[3; 32]).len(), 43, "256 bits, base64url");
    }

    #[test]
    fn form_tokens_verify_only_for_their_nonce_form_and_key() {
        let forms = FormTokens::new([5; 32]);
        let token = forms.token("nonce-1", "password-forgot");
        assert!(forms.verify("nonce-1", "password-forgot", &token));
        assert!(!forms.verify("nonce-2", "password-forgot", &token));
        assert!(!forms.verify("nonce-1", "password-reset", &token));
        assert!(!FormTokens::new([6; 32]).verify("nonce-1", "password-forgot", &token));
        assert!(!forms.verify("nonce-1", "password-forgot", ""));
    }

    #[test]
    fn parts_are_length_prefixed_so_boundaries_matter() {
        let forms = FormTokens::new([5; 32]);
        assert_ne!(forms.token("ab", "c"), forms.token("a", "bc"));
    }
}
