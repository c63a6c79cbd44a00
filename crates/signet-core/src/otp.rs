//! One-time codes for signer authentication (`email_otp`, `sms`): the rules (six digits from
//! the CSPRNG, ten minutes, five attempts, one send a minute and five an hour), the keyed
//! hash that is all Signet stores of a code, how destinations are masked in evidence, and the
//! messages that carry a code ([`mail`]). The use cases are in `usecase::otp`.

pub mod mail;

use hmac::{KeyInit, Mac};
use rand::Rng;
use sha2::Sha256;
use time::Duration;

use crate::CoreError;
use crate::secret::constant_time_eq;

/// How long a code works.
pub const CODE_TTL: Duration = Duration::minutes(10);
/// Verification attempts per code; the code is dead after them.
pub const MAX_ATTEMPTS: i32 = 5;
/// Shortest time between two codes for one signer.
pub const RESEND_GAP: Duration = Duration::seconds(60);
/// Most codes one signer may be sent per [`HOURLY_WINDOW`].
pub const HOURLY_MAX: i64 = 5;
/// The window [`HOURLY_MAX`] counts in.
pub const HOURLY_WINDOW: Duration = Duration::hours(1);
/// How long a browser session lasts (verified or not).
pub const SESSION_TTL: Duration = Duration::hours(12);

/// Hashes codes with `HMAC-SHA256(instance OTP key, code id ‖ code)`: without the key (kept
/// encrypted outside the rows) a stored hash does not reveal its six digits, and the id ties
/// the hash to its row.
pub struct OtpCodes {
    key: [u8; 32],
}

impl OtpCodes {
    /// Uses `key` (32 random bytes kept as an instance secret).
    pub fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    /// A fresh code: six decimal digits, uniformly from the operating system's CSPRNG.
    pub fn generate() -> String {
        format!("{:06}", rand::rng().random_range(0..1_000_000u32))
    }

    /// The stored hash of `code` for the code row `id`.
    pub fn hash(&self, id: uuid::Uuid, code: &str) -> [u8; 32] {
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(b"signet-otp\0");
        mac.update(id.as_bytes());
        mac.update(code.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// `HMAC-SHA256(instance OTP key, label ‖ 0 ‖ input)`: secrets derived from a stored
    /// credential's public part (an identity login's PKCE verifier and nonce from its state),
    /// so they need not be stored. The label keeps each use apart from the codes' hashes.
    pub fn derive(&self, label: &str, input: &str) -> [u8; 32] {
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(b"signet-derive\0");
        mac.update(label.as_bytes());
        mac.update(b"\0");
        mac.update(input.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// True when `code` is the code hashed as `stored` (compared in constant time).
    pub fn matches(&self, id: uuid::Uuid, code: &str, stored: &[u8; 32]) -> bool {
        constant_time_eq(&self.hash(id, code), stored)
    }
}

/// A mobile number in E.164 form: `+`, a country code and subscriber number, 8 to 15 digits
/// in all, the first not 0. Spaces, dots, dashes and parentheses are dropped.
pub fn e164(field: &str, value: &str) -> Result<String, CoreError> {
    let compact: String = value
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let digits = compact.strip_prefix('+').unwrap_or("");
    let ok = (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if !ok {
        return Err(CoreError::invalid(
            "invalid_phone",
            format!("{field} must be a mobile number in E.164 form, like +31612345678"),
        ));
    }
    Ok(compact)
}

/// An e-mail address as evidence shows it: `a***@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// A phone number as evidence shows it: the country prefix and the last two digits
/// (`+31*******78`).
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 6 {
        return "***".to_owned();
    }
    let (head, tail) = (3, 2);
    let hidden = "*".repeat(chars.len() - head - tail);
    let start: String = chars[..head].iter().collect();
    let end: String = chars[chars.len() - tail..].iter().collect();
    format!("{start}{hidden}{end}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_hashes_depend_on_key_id_and_code() {
        for _ in 0..200 {
            let code = OtpCodes::generate();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
        let (a, b) = (OtpCodes::new([1; 32]), OtpCodes::new([2; 32]));
        let id = uuid::Uuid::now_v7();
        let stored = a.hash(id, "123456");
        assert!(a.matches(id, "123456", &stored));
        assert!(!a.matches(id, "123457", &stored));
        assert!(!b.matches(id, "123456", &stored));
        assert!(!a.matches(uuid::Uuid::now_v7(), "123456", &stored));
    }

    #[test]
    fn phone_numbers_must_be_e164() {
        assert_eq!(e164("phone", "+31 6 1234-5678").unwrap(), "+31612345678");
        for bad in [
            "31612345678",
            "+0612345678",
            "+31",
            "+3161234567890123",
            "+31abc45678",
            "",
        ] {
            assert!(e164("phone", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn destinations_are_masked() {
        assert_eq!(mask_email("ada@example.com"), "a***@example.com");
        assert_eq!(mask_phone("+31612345678"), "+31*******78");
        assert_eq!(mask_phone("+31"), "***");
    }
}
