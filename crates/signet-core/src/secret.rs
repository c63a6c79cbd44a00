//! Secrets: generation, the API-key format, hashing, constant-time comparison, signing-link
//! tokens, password-reset and form tokens ([`keyed`]), password hashing and the sealing of
//! secrets at rest.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::Mac;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::id::SignerId;

mod keyed;

pub use keyed::{FormTokens, ResetTokens};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `N` bytes from the operating system's CSPRNG (via a thread-local, OS-seeded ChaCha).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    rand::rng().fill_bytes(&mut out);
    out
}

/// A uniformly random base62 string of `len` characters.
pub fn random_base62(len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut rng = rand::rng();
    while out.len() < len {
        let byte = (rng.next_u32() & 0xff) as u8;
        // 248 = 4 * 62: rejecting the rest keeps every character equally likely.
        if byte < 248 {
            out.push(BASE62[usize::from(byte % 62)] as char);
        }
    }
    out
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Compares two secrets (or their hashes) in constant time.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

fn base62_fixed(mut value: u32, width: usize) -> String {
    let mut chars = vec![b'0'; width];
    for slot in chars.iter_mut().rev() {
        *slot = BASE62[(value % 62) as usize];
        value /= 62;
    }
    String::from_utf8(chars).unwrap_or_default()
}

/// The format of API keys and personal access tokens: a prefix (`sk_` for API keys, `pat_`
/// for personal access tokens) + 12-character lookup id + 32-character secret (190 bits) +
/// 6-character CRC-32 checksum (base62) of everything before it. The prefix and checksum let
/// secret scanners spot leaked keys and let Signet reject a mistyped key without a database
/// query.
pub mod api_key {
    use super::*;

    /// The prefix of account API keys.
    pub const API_KEY_PREFIX: &str = "sk_";
    /// The prefix of personal access tokens.
    pub const PERSONAL_TOKEN_PREFIX: &str = "pat_";
    const PREFIXES: [&str; 2] = [API_KEY_PREFIX, PERSONAL_TOKEN_PREFIX];
    const LOOKUP_LEN: usize = 12;
    const SECRET_LEN: usize = 32;
    const CHECK_LEN: usize = 6;

    /// A freshly generated key: show `text` once, store `lookup_id` and `hash`.
    pub struct GeneratedKey {
        /// The full key, shown to its owner once.
        pub text: String,
        /// The public part, stored in clear to find the key.
        pub lookup_id: String,
        /// SHA-256 of `text`, the only form of the secret that is stored.
        pub hash: [u8; 32],
    }

    /// A well-formed key whose checksum is right (not yet known to exist).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct ParsedKey<'a> {
        /// Its prefix: [`API_KEY_PREFIX`] or [`PERSONAL_TOKEN_PREFIX`].
        pub prefix: &'static str,
        /// Its lookup id.
        pub lookup_id: &'a str,
    }

    /// Generates a new API key (`sk_…`).
    pub fn generate() -> GeneratedKey {
        generate_with_prefix(API_KEY_PREFIX)
    }

    /// Generates a new key with `prefix` (one of the prefixes above, so that it parses).
    pub fn generate_with_prefix(prefix: &'static str) -> GeneratedKey {
        let lookup_id = random_base62(LOOKUP_LEN);
        let body = format!("{prefix}{lookup_id}{}", random_base62(SECRET_LEN));
        let text = format!("{body}{}", checksum(&body));
        let hash = sha256(text.as_bytes());
        GeneratedKey {
            text,
            lookup_id,
            hash,
        }
    }

    /// Parses a key of any known prefix; `None` when it is malformed or its checksum is wrong.
    pub fn parse(text: &str) -> Option<ParsedKey<'_>> {
        let prefix = PREFIXES.into_iter().find(|p| text.starts_with(p))?;
        let rest = &text[prefix.len()..];
        if rest.len() != LOOKUP_LEN + SECRET_LEN + CHECK_LEN
            || !rest.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return None;
        }
        let (body, check) = text.split_at(text.len() - CHECK_LEN);
        (checksum(body) == check).then(|| ParsedKey {
            prefix,
            lookup_id: &rest[..LOOKUP_LEN],
        })
    }

    /// The lookup id of a well-formed key whose checksum is right; `None` otherwise.
    pub fn lookup_id(text: &str) -> Option<&str> {
        parse(text).map(|parsed| parsed.lookup_id)
    }

    fn checksum(body: &str) -> String {
        base62_fixed(crc32fast::hash(body.as_bytes()), CHECK_LEN)
    }
}

/// Signing-link tokens: `HMAC-SHA256(instance key, signer id ‖ generation)`, base64url.
///
/// Only the SHA-256 of a token is stored; the instance key (kept encrypted, outside the rows)
/// lets Signet re-derive the token for an invitation e-mail or a retry without storing it.
/// A new generation invalidates the previous link.
pub struct SigningTokens {
    key: [u8; 32],
}

impl SigningTokens {
    /// Uses `key` (32 random bytes kept as an instance secret).
    pub fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    /// The token for a signer's link of a given generation.
    pub fn token(&self, signer: SignerId, generation: i32) -> String {
        let mut mac =
            hmac::Hmac::<Sha256>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable_hmac());
        mac.update(b"signet-signing-link\0");
        mac.update(signer.as_uuid().as_bytes());
        mac.update(&generation.to_be_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// The hash stored for (and looked up by) a token.
    pub fn hash(token: &str) -> [u8; 32] {
        sha256(token.as_bytes())
    }
}

fn unreachable_hmac() -> hmac::Hmac<Sha256> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail; this keeps the code
    // free of `expect` without hiding a real error path.
    hmac::Hmac::<Sha256>::new_from_slice(&[0u8; 32]).unwrap_or_else(|_| unreachable!())
}

/// A Standard Webhooks signing secret: `whsec_` + base64 of 24 random bytes.
pub fn generate_webhook_secret() -> String {
    format!("whsec_{}", STANDARD.encode(random_bytes::<24>()))
}

/// Hashes a password with Argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, crate::CoreError> {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| crate::CoreError::Internal(format!("password hashing failed: {err}")))
}

/// Checks a password against an Argon2id PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    use argon2::password_hash::{PasswordVerifier, phc::PasswordHash};
    PasswordHash::new(phc)
        .map(|parsed| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Encrypts secrets at rest with AES-256-GCM under the instance master key.
/// Sealed form: 12-byte random nonce ‖ ciphertext ‖ tag. `context` is bound as associated data,
/// so a sealed value cannot be moved to another purpose.
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl SecretBox {
    /// Uses a 32-byte master key.
    pub fn new(master_key: &[u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(master_key.into()),
        }
    }

    /// Encrypts `plaintext` for `context`.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Result<Vec<u8>, crate::CoreError> {
        let nonce_bytes = random_bytes::<12>();
        let nonce = Nonce::from(nonce_bytes);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| crate::CoreError::Internal("encryption failed".into()))?;
        Ok([nonce_bytes.as_slice(), &sealed].concat())
    }

    /// Decrypts a value sealed for `context`; fails if the key, context or bytes are wrong.
    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, crate::CoreError> {
        let wrong = || {
            crate::CoreError::Integrity(format!(
                "sealed secret {context:?} cannot be opened with this master key"
            ))
        };
        if sealed.len() < 12 {
            return Err(wrong());
        }
        let (nonce_bytes, body) = sealed.split_at(12);
        let nonce_array: [u8; 12] = nonce_bytes.try_into().map_err(|_| wrong())?;
        self.cipher
            .decrypt(
                &Nonce::from(nonce_array),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| wrong())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_api_keys_parse_and_a_changed_character_is_rejected() {
        let key = api_key::generate();
        assert!(key.text.starts_with("sk_"));
        assert_eq!(api_key::lookup_id(&key.text), Some(key.lookup_id.as_str()));
        let mut tampered = key.text.clone().into_bytes();
        let i = 20;
        tampered[i] = if tampered[i] == b'a' { b'b' } else { b'a' };
        assert_eq!(
            api_key::lookup_id(std::str::from_utf8(&tampered).unwrap()),
            None
        );
        assert_eq!(api_key::lookup_id("sk_short"), None);
        assert_eq!(api_key::lookup_id(""), None);
    }

    #[test]
    fn personal_tokens_parse_with_their_prefix_and_the_prefix_is_checksummed() {
        let token = api_key::generate_with_prefix(api_key::PERSONAL_TOKEN_PREFIX);
        assert!(token.text.starts_with("pat_"));
        let parsed = api_key::parse(&token.text).unwrap();
        assert_eq!(parsed.prefix, api_key::PERSONAL_TOKEN_PREFIX);
        assert_eq!(parsed.lookup_id, token.lookup_id);
        // Swapping the prefix keeps the shape but breaks the checksum.
        let swapped = token.text.replacen("pat_", "sk_", 1);
        assert_eq!(api_key::parse(&swapped), None);
        let key = api_key::generate();
        assert_eq!(api_key::parse(&key.text).unwrap().prefix, "sk_");
        assert_eq!(api_key::parse(&format!("x{}", key.text)), None);
    }

    #[test]
    fn every_single_character_typo_in_a_key_is_caught_by_the_checksum() {
        let key = api_key::generate_with_prefix(api_key::PERSONAL_TOKEN_PREFIX);
        for i in 4..key.text.len() {
            let mut typo = key.text.clone().into_bytes();
            typo[i] = if typo[i] == b'Q' { b'R' } else { b'Q' };
            let typo = String::from_utf8(typo).unwrap();
            assert_eq!(api_key::parse(&typo), None, "typo at {i}");
        }
    }

    #[test]
    fn signing_tokens_depend_on_key_signer_and_generation() {
        let signer = SignerId::generate();
        let a = SigningTokens::new([1; 32]);
        let b = SigningTokens::new([2; 32]);
        assert_eq!(a.token(signer, 1), a.token(signer, 1));
        assert_ne!(a.token(signer, 1), a.token(signer, 2));
        assert_ne!(a.token(signer, 1), b.token(signer, 1));
        assert_ne!(a.token(signer, 1), a.token(SignerId::generate(), 1));
        assert!(a.token(signer, 1).len() >= 43);
    }

    #[test]
    fn passwords_verify_only_with_the_right_password() {
        let phc = hash_password("correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &phc));
        assert!(!verify_password("wrong", &phc));
        assert!(!verify_password("correct horse", "not a phc string"));
    }

    #[test]
    fn sealed_secrets_open_only_with_the_same_key_and_context() {
        let box_a = SecretBox::new(&[7; 32]);
        let sealed = box_a.seal("seal-key", b"secret").unwrap();
        assert_eq!(box_a.open("seal-key", &sealed).unwrap(), b"secret");
        assert!(box_a.open("other", &sealed).is_err());
        assert!(SecretBox::new(&[8; 32]).open("seal-key", &sealed).is_err());
        assert!(box_a.open("seal-key", &sealed[..5]).is_err());
    }

    #[test]
    fn random_base62_has_the_requested_length_and_alphabet() {
        let s = random_base62(40);
        assert_eq!(s.len(), 40);
        assert!(s.bytes().all(|b| b.is_ascii_alphanumeric()));
    }
}
