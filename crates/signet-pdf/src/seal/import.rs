//! An external seal: a private key and the certificate chain a CA issued for it (read from a
//! PKCS#12 file by the server), checked before Signet seals with it.
//!
//! The rule for a seal certificate: the key is ECDSA P-256 or RSA of at least 2048 bits and
//! belongs to the certificate; the file holds the chain up to a self-signed root, each link
//! signed by the next; every certificate of the chain is valid now; the seal certificate is
//! not a CA, its keyUsage is present and includes digitalSignature or nonRepudiation
//! (contentCommitment), and an extendedKeyUsage, when present, allows document signing
//! (documentSigning (RFC 9336), emailProtection, Adobe Authentic Documents, Microsoft
//! document signing, or anyExtendedKeyUsage) rather than only, say, TLS or code signing.

use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use p256::pkcs8::PrivateKeyInfoRef;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};

use super::identity::SigningKey;
use super::pki::crypto;
use crate::error::{PdfError, Result};
use crate::verify::chain::{signed_by, tbs_bytes};

/// Longest chain accepted from leaf to root.
const MAX_CHAIN: usize = 8;

/// Extended key usages that allow signing documents.
const DOCUMENT_SIGNING_EKUS: [ObjectIdentifier; 5] = [
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.36"), // id-kp-documentSigning (RFC 9336)
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4"),  // id-kp-emailProtection
    ObjectIdentifier::new_unwrap("1.2.840.113583.1.1.5"), // Adobe Authentic Documents Trust
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.311.10.3.12"), // Microsoft document signing
    ObjectIdentifier::new_unwrap("2.5.29.37.0"),        // anyExtendedKeyUsage
];

/// A seal key and chain that passed the checks of [`check_seal_import`].
pub struct ImportedSeal {
    /// The private key, PKCS#8 DER. Never print it.
    pub key_pkcs8_der: Vec<u8>,
    /// The chain, seal certificate first, self-signed root last (DER).
    pub chain_der: Vec<Vec<u8>>,
    /// What an operator should see about it.
    pub summary: SealSummary,
}

impl std::fmt::Debug for ImportedSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportedSeal")
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

/// The public facts of a seal certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealSummary {
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// End of validity.
    pub not_after: OffsetDateTime,
    /// "ECDSA P-256" or "RSA-<bits>".
    pub key_type: String,
    /// Subject of the chain's root.
    pub root: String,
    /// The CRL distribution points (http and https) of the seal certificate.
    pub crl_urls: Vec<String>,
}

/// Checks a seal key (PKCS#8 DER) and the certificates that came with it (any order, extra
/// certificates ignored) against the rule in this module's documentation at `now`, and orders
/// the chain. Every refusal says what to fix.
pub fn check_seal_import(
    key_pkcs8_der: &[u8],
    certificates_der: &[Vec<u8>],
    now: OffsetDateTime,
) -> Result<ImportedSeal> {
    crate::guard::shielded("check_seal_import", || {
        let key = load_key(key_pkcs8_der)?;
        let certs = certificates_der
            .iter()
            .map(|der| {
                Certificate::from_der(der).map_err(|e| {
                    PdfError::InvalidInput(format!("a certificate is unreadable: {e}"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let spki = key.public_key_info()?.to_der().map_err(crypto)?;
        let leaf = certs
            .iter()
            .find(|c| {
                c.tbs_certificate().subject_public_key_info().to_der().ok() == Some(spki.clone())
            })
            .ok_or_else(|| {
                let subjects: Vec<String> = certs
                    .iter()
                    .map(|c| c.tbs_certificate().subject().to_string())
                    .collect();
                PdfError::InvalidInput(format!(
                    "the private key does not match the certificate (certificates in the file: {})",
                    if subjects.is_empty() {
                        "none".to_string()
                    } else {
                        subjects.join("; ")
                    }
                ))
            })?;
        let chain = order_chain(leaf, &certs)?;
        for cert in &chain {
            check_validity(cert, now)?;
        }
        check_seal_usage(leaf)?;
        let summary = summarize(leaf, &key, &chain)?;
        Ok(ImportedSeal {
            key_pkcs8_der: key_pkcs8_der.to_vec(),
            chain_der: chain
                .iter()
                .map(|c| c.to_der().map_err(crypto))
                .collect::<Result<_>>()?,
            summary,
        })
    })
}

/// The key, refusing algorithms a seal does not use with a message that names them.
fn load_key(der: &[u8]) -> Result<SigningKey> {
    let info = PrivateKeyInfoRef::try_from(der).map_err(|_| {
        PdfError::InvalidInput("the private key is not a readable PKCS#8 key".into())
    })?;
    let oid = info.algorithm.oid;
    let name = |oid: &ObjectIdentifier| {
        const_oid::db::DB
            .by_oid(oid)
            .map_or_else(|| oid.to_string(), str::to_string)
    };
    let unsupported = |what: String| {
        PdfError::InvalidInput(format!(
            "{what} keys cannot seal here: use ECDSA P-256 or RSA of at least 2048 bits"
        ))
    };
    if oid == const_oid::db::rfc5912::ID_EC_PUBLIC_KEY {
        let curve = info
            .algorithm
            .parameters_oid()
            .map_err(|_| unsupported("elliptic-curve (unnamed curve)".into()))?;
        if curve != const_oid::db::rfc5912::SECP_256_R_1 {
            return Err(unsupported(format!("ECDSA {}", name(&curve))));
        }
    } else if oid != const_oid::db::rfc5912::RSA_ENCRYPTION {
        return Err(unsupported(name(&oid)));
    }
    SigningKey::from_pkcs8_der(der).map_err(|err| PdfError::InvalidInput(err.to_string()))
}

/// `leaf`, then its issuer, and so on up to a self-signed root, each found among `certs` by
/// name and by a signature that verifies.
fn order_chain(leaf: &Certificate, certs: &[Certificate]) -> Result<Vec<Certificate>> {
    let mut chain = vec![leaf.clone()];
    let mut current = leaf.clone();
    for _ in 0..MAX_CHAIN {
        if issued_by(&current, &current) {
            return Ok(chain);
        }
        let issuer = certs.iter().find(|c| issued_by(&current, c)).ok_or_else(|| {
            PdfError::InvalidInput(format!(
                "the file lacks the certificate of {}, which issued {}: export the PKCS#12 with \
                 the whole chain up to the root (openssl pkcs12 -export -certfile chain.pem)",
                current.tbs_certificate().issuer(),
                current.tbs_certificate().subject()
            ))
        })?;
        chain.push(issuer.clone());
        current = issuer.clone();
    }
    Err(PdfError::InvalidInput(
        "the certificate chain is too long".into(),
    ))
}

/// Whether `issuer` is named as `cert`'s issuer and its key verifies `cert`'s signature.
fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    let same_name = cert.tbs_certificate().issuer().to_der().ok()
        == issuer.tbs_certificate().subject().to_der().ok();
    same_name
        && cert
            .to_der()
            .ok()
            .and_then(|der| tbs_bytes(&der))
            .is_some_and(|tbs| {
                signed_by(
                    issuer,
                    cert.signature_algorithm(),
                    &tbs,
                    cert.signature().raw_bytes(),
                )
            })
}

fn check_validity(cert: &Certificate, now: OffsetDateTime) -> Result<()> {
    let validity = cert.tbs_certificate().validity();
    let subject = cert.tbs_certificate().subject();
    let secs = |t: &x509_cert::time::Time| t.to_unix_duration().as_secs();
    let now_secs = u64::try_from(now.unix_timestamp()).unwrap_or_default();
    if now_secs < secs(&validity.not_before) {
        return Err(PdfError::InvalidInput(format!(
            "the certificate {subject} is not valid before {}",
            validity.not_before
        )));
    }
    if now_secs > secs(&validity.not_after) {
        return Err(PdfError::InvalidInput(format!(
            "the certificate {subject} expired on {}",
            validity.not_after
        )));
    }
    Ok(())
}

/// The seal certificate's own rule: an end entity, keyUsage for signatures, an EKU (if any)
/// that allows documents.
fn check_seal_usage(leaf: &Certificate) -> Result<()> {
    let tbs = leaf.tbs_certificate();
    let refuse =
        |why: String| PdfError::InvalidInput(format!("the certificate {} {why}", tbs.subject()));
    if let Some((_, bc)) = tbs.get_extension::<BasicConstraints>().map_err(crypto)?
        && bc.ca
    {
        return Err(refuse(
            "is a CA certificate; a seal needs an end-entity certificate".into(),
        ));
    }
    match tbs.get_extension::<KeyUsage>().map_err(crypto)? {
        Some((_, usage)) if usage.digital_signature() || usage.non_repudiation() => {}
        Some(_) => {
            return Err(refuse(
                "has a keyUsage without digitalSignature and nonRepudiation: it cannot sign documents".into(),
            ));
        }
        None => {
            return Err(refuse(
                "has no keyUsage extension; a seal certificate needs digitalSignature or nonRepudiation".into(),
            ));
        }
    }
    if let Some((_, ExtendedKeyUsage(usages))) =
        tbs.get_extension::<ExtendedKeyUsage>().map_err(crypto)?
        && !usages.iter().any(|u| DOCUMENT_SIGNING_EKUS.contains(u))
    {
        let names: Vec<String> = usages
            .iter()
            .map(|oid| {
                const_oid::db::DB
                    .by_oid(oid)
                    .map_or_else(|| oid.to_string(), str::to_string)
            })
            .collect();
        return Err(refuse(format!(
            "is restricted to other uses ({}): its extendedKeyUsage must allow document signing",
            names.join(", ")
        )));
    }
    Ok(())
}

fn summarize(leaf: &Certificate, key: &SigningKey, chain: &[Certificate]) -> Result<SealSummary> {
    let tbs = leaf.tbs_certificate();
    let not_after = i64::try_from(tbs.validity().not_after.to_unix_duration().as_secs())
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .ok_or_else(|| {
            PdfError::InvalidInput("the certificate's notAfter is out of range".into())
        })?;
    let root = chain.last().unwrap_or(leaf);
    Ok(SealSummary {
        subject: tbs.subject().to_string(),
        issuer: tbs.issuer().to_string(),
        serial: hex_upper(tbs.serial_number().as_bytes()),
        not_after,
        key_type: key.describe(),
        root: root.tbs_certificate().subject().to_string(),
        crl_urls: super::tsa::distribution_points(leaf)?,
    })
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InstancePki, KeyAlgorithm, PkiSubject, generate_instance_pki};
    use time::Duration;

    fn pki(now: OffsetDateTime) -> InstancePki {
        let subject = PkiSubject {
            organization: "Acme".into(),
            common_name: "Acme CA".into(),
        };
        generate_instance_pki(&subject, KeyAlgorithm::EcdsaP256, now).unwrap()
    }

    fn refusal(result: Result<ImportedSeal>) -> String {
        result.expect_err("must be refused").to_string()
    }

    #[test]
    fn a_seal_certificate_with_its_root_is_accepted_and_ordered() {
        let now = OffsetDateTime::now_utc();
        let p = pki(now);
        // Root first and an unrelated certificate: the chain is still leaf, root.
        let certs = [
            p.tsa_cert_der.clone(),
            p.root_cert_der.clone(),
            p.seal_cert_der.clone(),
        ];
        let seal = check_seal_import(&p.seal_key_pkcs8_der, &certs, now).unwrap();
        assert_eq!(
            seal.chain_der,
            [p.seal_cert_der.clone(), p.root_cert_der.clone()]
        );
        assert_eq!(seal.summary.key_type, "ECDSA P-256");
        assert!(
            seal.summary.subject.contains("Acme CA Seal"),
            "{:?}",
            seal.summary
        );
        assert!(
            seal.summary.root.contains("CN=Acme CA"),
            "{:?}",
            seal.summary
        );
        assert!(seal.summary.not_after > now + Duration::days(365));
        assert!(
            !format!("{seal:?}").contains("key_pkcs8"),
            "Debug must not show the key"
        );
    }

    #[test]
    fn a_key_that_is_not_the_certificates_is_refused() {
        let now = OffsetDateTime::now_utc();
        let p = pki(now);
        let certs = [p.seal_cert_der.clone(), p.root_cert_der.clone()];
        let message = refusal(check_seal_import(&pki(now).seal_key_pkcs8_der, &certs, now));
        assert!(
            message.contains("does not match the certificate"),
            "{message}"
        );
    }

    #[test]
    fn a_chain_without_its_root_is_refused() {
        let now = OffsetDateTime::now_utc();
        let p = pki(now);
        let message = refusal(check_seal_import(
            &p.seal_key_pkcs8_der,
            &[p.seal_cert_der],
            now,
        ));
        assert!(message.contains("lacks the certificate of"), "{message}");
    }

    #[test]
    fn an_expired_or_not_yet_valid_certificate_is_refused() {
        let now = OffsetDateTime::now_utc();
        let p = pki(now - Duration::days(4 * 365));
        let certs = [p.seal_cert_der.clone(), p.root_cert_der.clone()];
        let message = refusal(check_seal_import(&p.seal_key_pkcs8_der, &certs, now));
        assert!(message.contains("expired on"), "{message}");
        let p = pki(now + Duration::days(2));
        let certs = [p.seal_cert_der.clone(), p.root_cert_der.clone()];
        let message = refusal(check_seal_import(&p.seal_key_pkcs8_der, &certs, now));
        assert!(message.contains("is not valid before"), "{message}");
    }

    #[test]
    fn a_time_stamping_or_ca_certificate_is_not_a_seal() {
        let now = OffsetDateTime::now_utc();
        let p = pki(now);
        let certs = [p.tsa_cert_der.clone(), p.root_cert_der.clone()];
        let message = refusal(check_seal_import(&p.tsa_key_pkcs8_der, &certs, now));
        assert!(message.contains("restricted to other uses"), "{message}");
        let message = refusal(check_seal_import(&p.root_key_pkcs8_der, &certs, now));
        assert!(message.contains("is a CA certificate"), "{message}");
    }
}
