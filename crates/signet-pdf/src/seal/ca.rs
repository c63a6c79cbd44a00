//! The instance root as a certificate authority: issuing seal and TSA certificates (with a CRL
//! distribution point) and signing the CRL that the server publishes for them.

use std::time::Duration;

use der::asn1::BitString;
use der::referenced::OwnedToRef;
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::certificate::Version;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::ToExtension;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlNumber};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

use super::identity::SigningKey;
use super::pki::{
    BACKDATE_SECS, CertSpec, KeyAlgorithm, Profile, ROOT_VALIDITY_DAYS, Role, SEAL_VALIDITY_DAYS,
    crypto, issue, key_id, name, validity,
};
use crate::error::{PdfError, Result};

/// Which kind of certificate [`issue_certificate`] makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertificateRole {
    /// A seal certificate: key usage digitalSignature + nonRepudiation, 3 years.
    Seal,
    /// A time-stamping certificate: critical EKU timeStamping, valid as long as the root.
    TimestampAuthority,
}

/// A certificate and its new private key.
#[derive(Clone)]
pub struct IssuedCertificate {
    /// The certificate, DER.
    pub cert_der: Vec<u8>,
    /// Its private key, PKCS#8 DER.
    pub key_pkcs8_der: Vec<u8>,
}

impl std::fmt::Debug for IssuedCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCertificate")
            .field("cert_der", &self.cert_der.len())
            .finish_non_exhaustive()
    }
}

/// What to put in an issued certificate.
pub(crate) struct LeafRequest<'a> {
    pub role: Role,
    pub organization: &'a str,
    pub common_name: &'a str,
    pub algorithm: KeyAlgorithm,
    pub now: time::OffsetDateTime,
    pub crl_url: Option<&'a str>,
}

/// Issues a certificate under `root` with a fresh key; never valid beyond the root.
pub(crate) fn issue_leaf(
    root: &Certificate,
    root_key: &SigningKey,
    req: &LeafRequest<'_>,
) -> Result<IssuedCertificate> {
    let key = SigningKey::generate(req.algorithm)?;
    let start = req
        .now
        .unix_timestamp()
        .saturating_sub(BACKDATE_SECS)
        .max(0) as u64;
    let days = match req.role {
        Role::Tsa => ROOT_VALIDITY_DAYS,
        _ => SEAL_VALIDITY_DAYS,
    };
    let root_end = root
        .tbs_certificate()
        .validity()
        .not_after
        .to_unix_duration()
        .as_secs();
    let end = (start + days * 86_400).min(root_end);
    let mut valid = validity(start, 0)?;
    valid.not_after =
        Time::from(der::DateTime::from_unix_duration(Duration::from_secs(end)).map_err(crypto)?);
    let cert = issue(CertSpec {
        profile: Profile {
            subject: name(req.organization, req.common_name)?,
            issuer: Some(root.tbs_certificate().subject().clone()),
            role: req.role,
            crl_url: req.crl_url.map(str::to_string),
        },
        validity: valid,
        public_key: key.public_key_info()?,
        issuer_key: root_key,
    })?;
    Ok(IssuedCertificate {
        cert_der: cert.to_der().map_err(crypto)?,
        key_pkcs8_der: key.to_pkcs8_der()?,
    })
}

/// The instance root: its certificate and private key.
#[derive(Clone, Copy)]
pub struct RootCa<'a> {
    /// Root certificate, DER.
    pub cert_der: &'a [u8],
    /// Root private key, PKCS#8 DER.
    pub key_pkcs8_der: &'a [u8],
}

impl std::fmt::Debug for RootCa<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RootCa").finish_non_exhaustive()
    }
}

impl RootCa<'_> {
    fn load(&self) -> Result<(Certificate, SigningKey)> {
        let cert = Certificate::from_der(self.cert_der)
            .map_err(|e| PdfError::Crypto(format!("bad root certificate: {e}")))?;
        let key = SigningKey::from_pkcs8_der(self.key_pkcs8_der)?;
        let spki = cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(crypto)?;
        if key.public_key_info()?.to_der().map_err(crypto)? != spki {
            return Err(PdfError::Crypto(
                "the root key does not match the root certificate".into(),
            ));
        }
        Ok((cert, key))
    }
}

/// Issues a seal or TSA certificate (CN = `common_name`, O = `organization`) under `root` with a
/// fresh key, pointing validators to `crl_url` for revocation (e.g.
/// `{public_url}/api/v1/trust/root.crl`). Use it to add a TSA to an instance created before the
/// built-in TSA existed, or to re-issue the seal with a CRL distribution point.
pub fn issue_certificate(
    root: RootCa<'_>,
    role: CertificateRole,
    organization: &str,
    common_name: &str,
    algorithm: KeyAlgorithm,
    now: time::OffsetDateTime,
    crl_url: Option<&str>,
) -> Result<IssuedCertificate> {
    crate::guard::shielded("issue_certificate", || {
        let (cert, key) = root.load()?;
        let request = LeafRequest {
            role: match role {
                CertificateRole::Seal => Role::Seal,
                CertificateRole::TimestampAuthority => Role::Tsa,
            },
            organization,
            common_name,
            algorithm,
            now,
            crl_url,
        };
        issue_leaf(&cert, &key, &request)
    })
}

/// A revoked certificate to list in a CRL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokedCertificate {
    /// The certificate's serial number (big-endian bytes as in the certificate).
    pub serial: Vec<u8>,
    /// When it was revoked.
    pub revoked_at: time::OffsetDateTime,
}

fn time_of(t: time::OffsetDateTime) -> Result<Time> {
    let secs = u64::try_from(t.unix_timestamp())
        .map_err(|_| PdfError::InvalidInput("time before 1970".into()))?;
    Ok(Time::from(
        der::DateTime::from_unix_duration(Duration::from_secs(secs)).map_err(crypto)?,
    ))
}

/// Signs a v2 CRL with the root key: `this_update`, `next_update`, the CRL number and the
/// authority key identifier; list `revoked` (usually empty). Serve it at the CRL distribution
/// point URL of the issued certificates and pass it in [`crate::ValidationData`] for B-LT.
pub fn issue_crl(
    root: RootCa<'_>,
    revoked: &[RevokedCertificate],
    crl_number: u64,
    this_update: time::OffsetDateTime,
    next_update: time::OffsetDateTime,
) -> Result<Vec<u8>> {
    crate::guard::shielded("issue_crl", || {
        let (cert, key) = root.load()?;
        let subject = cert.tbs_certificate().subject().clone();
        let entries = revoked
            .iter()
            .map(|r| {
                Ok(RevokedCert {
                    serial_number: SerialNumber::<x509_cert::certificate::Rfc5280>::new(&r.serial)
                        .map_err(crypto)?,
                    revocation_date: time_of(r.revoked_at)?,
                    crl_entry_extensions: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let spki = cert.tbs_certificate().subject_public_key_info();
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(
                der::asn1::OctetString::new(key_id(spki.owned_to_ref())).map_err(crypto)?,
            ),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        let number = CrlNumber(der::asn1::Uint::new(&crl_number.to_be_bytes()).map_err(crypto)?);
        let tbs = TbsCertList {
            version: Version::V2,
            signature: key.signature_algorithm(),
            issuer: subject.clone(),
            this_update: time_of(this_update)?,
            next_update: Some(time_of(next_update)?),
            revoked_certificates: (!entries.is_empty()).then_some(entries),
            crl_extensions: Some(vec![
                (false, &aki).to_extension(&subject, &[]).map_err(crypto)?,
                (false, &number)
                    .to_extension(&subject, &[])
                    .map_err(crypto)?,
            ]),
        };
        let signature = key.sign(&tbs.to_der().map_err(crypto)?)?;
        CertificateList {
            signature_algorithm: key.signature_algorithm(),
            tbs_cert_list: tbs,
            signature: BitString::from_bytes(&signature).map_err(crypto)?,
        }
        .to_der()
        .map_err(crypto)
    })
}
