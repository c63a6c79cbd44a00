//! Trust: a path from a certificate up to one of the configured roots, each link signed by
//! the next, each certificate valid at the time that matters and not revoked by a CRL found
//! in the file.

use der::{Decode, Encode, Header, Reader, SliceReader};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::time::Time;

use super::crypto::{self, Check};

/// Longest path followed from a leaf to a root.
const MAX_PATH: usize = 8;

/// What the verifier trusts and the evidence it may use.
pub(super) struct TrustStore {
    /// The configured roots (DER).
    pub roots: Vec<Vec<u8>>,
    /// Certificates from the file (CMS sets, time-stamp tokens, DSS) that may be intermediates.
    pub pool: Vec<Vec<u8>>,
    /// CRLs from the file (CMS, DSS).
    pub crls: Vec<Vec<u8>>,
}

/// Why a certificate is not trusted.
#[derive(Debug)]
pub(super) enum PathError {
    /// A CRL in the file revokes a certificate of the path: the signature is invalid.
    Revoked(String),
    /// No path to a configured root, or a certificate outside its validity.
    Untrusted(String),
}

/// Whether `leaf` chains to a configured root, checked at `at`; `Err` says why not.
pub(super) fn check_path(
    trust: &TrustStore,
    leaf: &Certificate,
    at: OffsetDateTime,
) -> Result<(), PathError> {
    use PathError::Untrusted;
    let mut current = leaf.clone();
    for _ in 0..MAX_PATH {
        let subject = current.tbs_certificate().subject().to_string();
        check_validity(&current, at).map_err(|e| Untrusted(format!("{subject}: {e}")))?;
        let der = current.to_der().map_err(|e| Untrusted(e.to_string()))?;
        if trust.roots.contains(&der) {
            return Ok(());
        }
        let Some(issuer) = find_issuer(trust, &current) else {
            return Err(Untrusted(format!(
                "no path from {subject} to a configured root (issuer {} not found or its signature does not verify)",
                current.tbs_certificate().issuer()
            )));
        };
        check_revocation(trust, &current, &issuer, at).map_err(PathError::Revoked)?;
        current = issuer;
    }
    Err(Untrusted("the certificate path is too long".into()))
}

fn check_validity(cert: &Certificate, at: OffsetDateTime) -> Result<(), String> {
    let validity = cert.tbs_certificate().validity();
    let (from, to) = (unix(&validity.not_before), unix(&validity.not_after));
    let at = at.unix_timestamp();
    if at < from {
        return Err("the certificate is not valid yet at the validation time".into());
    }
    if at > to {
        return Err("the certificate had expired at the validation time".into());
    }
    Ok(())
}

fn unix(t: &Time) -> i64 {
    i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

/// A certificate from the roots or the pool whose subject is `cert`'s issuer and whose key
/// verifies `cert`'s signature.
fn find_issuer(trust: &TrustStore, cert: &Certificate) -> Option<Certificate> {
    let issuer_name = cert.tbs_certificate().issuer().to_der().ok()?;
    let tbs = tbs_bytes(&cert.to_der().ok()?)?;
    trust
        .roots
        .iter()
        .chain(trust.pool.iter())
        .filter_map(|der| Certificate::from_der(der).ok())
        .find(|candidate| {
            candidate.tbs_certificate().subject().to_der().ok().as_ref() == Some(&issuer_name)
                && signed_by(
                    candidate,
                    cert.signature_algorithm(),
                    &tbs,
                    cert.signature().raw_bytes(),
                )
        })
}

/// Whether `issuer`'s key verifies `signature` over `message`.
pub(crate) fn signed_by(
    issuer: &Certificate,
    algorithm: &spki::AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let key = issuer.tbs_certificate().subject_public_key_info();
    crypto::verify(key, algorithm, None, message, signature) == Check::Good
}

/// Fails if a CRL signed by `issuer` lists `cert` as revoked at or before `at`.
fn check_revocation(
    trust: &TrustStore,
    cert: &Certificate,
    issuer: &Certificate,
    at: OffsetDateTime,
) -> Result<(), String> {
    let serial = cert.tbs_certificate().serial_number();
    for der in &trust.crls {
        let Ok(crl) = CertificateList::from_der(der) else {
            continue;
        };
        let Some(tbs) = tbs_bytes(der) else {
            continue;
        };
        if crl.tbs_cert_list.issuer.to_der().ok()
            != issuer.tbs_certificate().subject().to_der().ok()
            || !signed_by(
                issuer,
                &crl.signature_algorithm,
                &tbs,
                crl.signature.raw_bytes(),
            )
        {
            continue;
        }
        let revoked = crl
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .find(|r| {
                &r.serial_number == serial && unix(&r.revocation_date) <= at.unix_timestamp()
            });
        if revoked.is_some() {
            return Err(format!(
                "{} was revoked (CRL of {})",
                cert.tbs_certificate().subject(),
                issuer.tbs_certificate().subject()
            ));
        }
    }
    Ok(())
}

/// The raw bytes of the first element of a DER SEQUENCE (a certificate's or CRL's "to be
/// signed" part), exactly as signed.
pub(crate) fn tbs_bytes(der: &[u8]) -> Option<Vec<u8>> {
    let mut reader = SliceReader::new(der).ok()?;
    Header::decode(&mut reader).ok()?;
    reader.tlv_bytes().ok().map(<[u8]>::to_vec)
}
