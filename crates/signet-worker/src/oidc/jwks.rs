//! A provider's JSON Web Key Set, reduced to the keys an ID token may be signed with: RSA
//! (RS256, at least 2048 bits) and P-256 (ES256). Other keys are skipped, not errors.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The smallest RSA modulus accepted, in bits.
const MIN_RSA_BITS: usize = 2048;

/// A signature algorithm an ID token may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// ECDSA on P-256 with SHA-256.
    Es256,
}

impl Alg {
    /// The JOSE name's algorithm, or `None` for anything else (`none`, `HS256`, …).
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "RS256" => Some(Self::Rs256),
            "ES256" => Some(Self::Es256),
            _ => None,
        }
    }
}

enum PublicKey {
    Rsa(Box<rsa::PublicKey>),
    P256(p256::ecdsa::VerifyingKey),
}

struct Jwk {
    kid: Option<String>,
    key: PublicKey,
}

/// The usable keys of a JWKS document.
#[derive(Default)]
pub(crate) struct JwkSet {
    keys: Vec<Jwk>,
}

fn b64(value: &Value, name: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(value.get(name)?.as_str()?).ok()
}

fn parse_key(jwk: &Value) -> Option<Jwk> {
    if jwk
        .get("use")
        .and_then(Value::as_str)
        .is_some_and(|u| u != "sig")
    {
        return None;
    }
    let key = match jwk.get("kty")?.as_str()? {
        "RSA" => {
            use rsa::BoxedUint;
            let n = BoxedUint::from_be_slice_vartime(&b64(jwk, "n")?);
            let e = BoxedUint::from_be_slice_vartime(&b64(jwk, "e")?);
            let key = rsa::PublicKey::new(n, e).ok()?;
            if rsa::traits::PublicKeyParts::size(&key) * 8 < MIN_RSA_BITS {
                return None;
            }
            PublicKey::Rsa(Box::new(key))
        }
        "EC" if jwk.get("crv")?.as_str()? == "P-256" => {
            let (x, y) = (b64(jwk, "x")?, b64(jwk, "y")?);
            if x.len() != 32 || y.len() != 32 {
                return None;
            }
            let point = [&[4u8][..], &x, &y].concat();
            PublicKey::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).ok()?)
        }
        _ => return None,
    };
    let kid = jwk.get("kid").and_then(Value::as_str).map(str::to_owned);
    Some(Jwk { kid, key })
}

impl JwkSet {
    /// The usable keys of `document` (`{"keys": [...]}`).
    pub(crate) fn parse(document: &Value) -> Self {
        let keys = document
            .get("keys")
            .and_then(Value::as_array)
            .map(|keys| keys.iter().filter_map(parse_key).collect())
            .unwrap_or_default();
        Self { keys }
    }

    /// Whether a key with this id (or any key, for a token without `kid`) is in the set.
    pub(crate) fn has(&self, kid: Option<&str>) -> bool {
        self.keys
            .iter()
            .any(|k| kid.is_none() || k.kid.as_deref() == kid)
    }

    /// True when a key of the set with id `kid` (any key when the token names none) made
    /// `signature` over `message` with `alg`.
    pub(crate) fn verify(
        &self,
        alg: Alg,
        kid: Option<&str>,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        self.keys
            .iter()
            .filter(|k| kid.is_none() || k.kid.as_deref() == kid)
            .any(|k| verify_with(&k.key, alg, message, signature))
    }
}

fn verify_with(key: &PublicKey, alg: Alg, message: &[u8], signature: &[u8]) -> bool {
    match (key, alg) {
        (PublicKey::Rsa(key), Alg::Rs256) => {
            let digest = Sha256::digest(message);
            key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, signature)
                .is_ok()
        }
        (PublicKey::P256(key), Alg::Es256) => {
            use p256::ecdsa::signature::Verifier;
            let Ok(signature) = p256::ecdsa::Signature::from_slice(signature) else {
                return false;
            };
            key.verify(message, &signature).is_ok()
        }
        _ => false,
    }
}
