//! The sealing identity: a private key and its certificate chain.

use der::{Decode, Encode};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::Certificate;

use super::pki::{KeyAlgorithm, crypto, spki_of};
use crate::error::{PdfError, Result};

/// A signing key of one of the supported algorithms.
pub(crate) enum SigningKey {
    P256(p256::ecdsa::SigningKey),
    Rsa(Box<rsa::pkcs1v15::SigningKey<sha2::Sha256>>),
}

impl SigningKey {
    pub(crate) fn generate(algorithm: KeyAlgorithm) -> Result<SigningKey> {
        let mut rng = getrandom::SysRng;
        Ok(match algorithm {
            KeyAlgorithm::EcdsaP256 => {
                use p256::elliptic_curve::Generate;
                SigningKey::P256(
                    p256::ecdsa::SigningKey::try_generate_from_rng(&mut rng).map_err(crypto)?,
                )
            }
            KeyAlgorithm::Rsa3072 => {
                let key = rsa::PrivateKey::new(&mut rng, 3072).map_err(crypto)?;
                SigningKey::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(key)))
            }
        })
    }

    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Result<SigningKey> {
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(SigningKey::P256(k));
        }
        let key = rsa::PrivateKey::from_pkcs8_der(der).map_err(|_| {
            PdfError::Crypto(
                "the key is neither a PKCS#8 ECDSA P-256 nor an RSA private key".into(),
            )
        })?;
        let bits = rsa::traits::PublicKeyParts::size(&key) * 8;
        if bits < 2048 {
            return Err(PdfError::Crypto(format!(
                "an RSA key of {bits} bits is too small: use at least 2048 bits"
            )));
        }
        Ok(SigningKey::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(
            key,
        ))))
    }

    pub(crate) fn to_pkcs8_der(&self) -> Result<Vec<u8>> {
        let doc = match self {
            SigningKey::P256(k) => k.to_pkcs8_der().map_err(crypto)?,
            SigningKey::Rsa(k) => k.as_ref().as_ref().to_pkcs8_der().map_err(crypto)?,
        };
        Ok(doc.as_bytes().to_vec())
    }

    pub(crate) fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned> {
        match self {
            SigningKey::P256(k) => spki_of(k.verifying_key()),
            SigningKey::Rsa(k) => spki_of(&k.as_ref().as_ref().to_public_key()),
        }
    }

    /// Signs `msg` (hashing it with SHA-256): DER ECDSA or PKCS#1 v1.5 signature bytes.
    pub(crate) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>> {
        use signature::{SignatureEncoding, Signer};
        Ok(match self {
            SigningKey::P256(k) => {
                let sig: p256::ecdsa::DerSignature = k.try_sign(msg).map_err(crypto)?;
                sig.to_vec()
            }
            SigningKey::Rsa(k) => {
                let sig: rsa::pkcs1v15::Signature = k.as_ref().try_sign(msg).map_err(crypto)?;
                sig.to_vec()
            }
        })
    }

    /// The signature algorithm of [`SigningKey::sign`] (ecdsa-with-SHA256 or sha256WithRSAEncryption).
    pub(crate) fn signature_algorithm(&self) -> spki::AlgorithmIdentifierOwned {
        match self {
            SigningKey::P256(_) => spki::AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::ECDSA_WITH_SHA_256,
                parameters: None,
            },
            SigningKey::Rsa(_) => spki::AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
                parameters: Some(der::Any::null()),
            },
        }
    }

    /// "ECDSA P-256" or "RSA-<bits>".
    pub(crate) fn describe(&self) -> String {
        match self {
            SigningKey::P256(_) => "ECDSA P-256".into(),
            SigningKey::Rsa(k) => format!(
                "RSA-{}",
                rsa::traits::PublicKeyParts::size(k.as_ref().as_ref()) * 8
            ),
        }
    }

    /// Upper bound of the signature size in bytes.
    pub(crate) fn max_signature_len(&self) -> usize {
        match self {
            SigningKey::P256(_) => 72,
            SigningKey::Rsa(k) => rsa::traits::PublicKeyParts::size(k.as_ref().as_ref()),
        }
    }
}

/// The key and certificate chain that seal documents. Build it once and reuse it.
pub struct SealIdentity {
    pub(crate) key: SigningKey,
    /// Leaf first, then issuers.
    pub(crate) chain: Vec<Certificate>,
    pub(crate) chain_der: Vec<Vec<u8>>,
}

impl std::fmt::Debug for SealIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let subject = self
            .chain
            .first()
            .map(|c| c.tbs_certificate().subject().to_string());
        f.debug_struct("SealIdentity")
            .field("subject", &subject)
            .finish_non_exhaustive()
    }
}

impl SealIdentity {
    /// Loads a PKCS#8 private key (ECDSA P-256 or RSA) and its chain (leaf first, then issuers);
    /// fails if the key does not belong to the leaf certificate.
    pub fn from_der(key_pkcs8_der: &[u8], chain_der: &[Vec<u8>]) -> Result<Self> {
        crate::guard::shielded("SealIdentity::from_der", || {
            let key = SigningKey::from_pkcs8_der(key_pkcs8_der)?;
            if chain_der.is_empty() {
                return Err(PdfError::InvalidInput(
                    "the certificate chain is empty; pass the seal certificate first".into(),
                ));
            }
            let chain = chain_der
                .iter()
                .map(|der| {
                    Certificate::from_der(der)
                        .map_err(|e| PdfError::Crypto(format!("bad certificate: {e}")))
                })
                .collect::<Result<Vec<_>>>()?;
            let leaf_key = chain
                .first()
                .map(|c| c.tbs_certificate().subject_public_key_info().to_der())
                .transpose()
                .map_err(crypto)?;
            if leaf_key != Some(key.public_key_info()?.to_der().map_err(crypto)?) {
                return Err(PdfError::Crypto(
                    "the private key does not match the first certificate of the chain".into(),
                ));
            }
            Ok(SealIdentity {
                key,
                chain,
                chain_der: chain_der.to_vec(),
            })
        })
    }

    pub(crate) fn leaf(&self) -> Result<&Certificate> {
        self.chain
            .first()
            .ok_or_else(|| PdfError::Internal("empty chain".into()))
    }
}
