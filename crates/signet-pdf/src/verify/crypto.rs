//! Signature primitives for the verifier: which hash an algorithm uses, and whether a
//! signature verifies with a public key (ECDSA P-256, RSA PKCS#1 v1.5).

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::Encode;
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::hazmat::PrehashVerifier;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// A SHA-2 hash the verifier computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// The hash a digest-algorithm OID names.
    pub(super) fn from_digest_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        match *oid {
            rfc5912::ID_SHA_256 => Some(Hash::Sha256),
            rfc5912::ID_SHA_384 => Some(Hash::Sha384),
            rfc5912::ID_SHA_512 => Some(Hash::Sha512),
            _ => None,
        }
    }

    /// The hash a signature-algorithm OID implies, if it names one.
    fn from_signature_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        match *oid {
            rfc5912::ECDSA_WITH_SHA_256 | rfc5912::SHA_256_WITH_RSA_ENCRYPTION => {
                Some(Hash::Sha256)
            }
            rfc5912::ECDSA_WITH_SHA_384 | rfc5912::SHA_384_WITH_RSA_ENCRYPTION => {
                Some(Hash::Sha384)
            }
            rfc5912::ECDSA_WITH_SHA_512 | rfc5912::SHA_512_WITH_RSA_ENCRYPTION => {
                Some(Hash::Sha512)
            }
            _ => None,
        }
    }

    pub(super) fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

/// The outcome of checking one signature.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Check {
    /// The signature verifies.
    Good,
    /// It does not.
    Bad,
    /// The verifier cannot tell (an algorithm it does not implement).
    Unsupported(String),
}

/// Verifies `signature` over `message` with `key`. `algorithm` is the signature algorithm;
/// `fallback` is the hash to use when it names none (CMS `rsaEncryption` with a digest
/// algorithm alongside).
pub(super) fn verify(
    key: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    fallback: Option<Hash>,
    message: &[u8],
    signature: &[u8],
) -> Check {
    let Some(hash) = Hash::from_signature_oid(&algorithm.oid).or(fallback) else {
        return Check::Unsupported(format!("signature algorithm {}", algorithm.oid));
    };
    let digest = hash.digest(message);
    let Ok(key_der) = key.to_der() else {
        return Check::Bad;
    };
    match key.algorithm.oid {
        rfc5912::ID_EC_PUBLIC_KEY => verify_p256(&key_der, &digest, signature),
        rfc5912::RSA_ENCRYPTION => verify_rsa(&key_der, hash, &digest, signature),
        other => Check::Unsupported(format!("public key algorithm {other}")),
    }
}

fn verify_p256(key_der: &[u8], digest: &[u8], signature: &[u8]) -> Check {
    use p256::pkcs8::DecodePublicKey;
    let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(key_der) else {
        return Check::Unsupported("an elliptic curve other than P-256".into());
    };
    let Ok(sig) = p256::ecdsa::Signature::from_der(signature) else {
        return Check::Bad;
    };
    match key.verify_prehash(digest, &sig) {
        Ok(()) => Check::Good,
        Err(_) => Check::Bad,
    }
}

fn verify_rsa(key_der: &[u8], hash: Hash, digest: &[u8], signature: &[u8]) -> Check {
    use rsa::pkcs8::DecodePublicKey;
    let Ok(key) = rsa::PublicKey::from_public_key_der(key_der) else {
        return Check::Bad;
    };
    let scheme = match hash {
        Hash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
        Hash::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
        Hash::Sha512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
    };
    match key.verify(scheme, digest, signature) {
        Ok(()) => Check::Good,
        Err(_) => Check::Bad,
    }
}
