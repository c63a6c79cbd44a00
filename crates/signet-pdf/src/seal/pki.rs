//! Instance PKI: a self-signed root CA and the seal certificate it issues.

use std::time::Duration;

use const_oid::db::rfc4519;
use der::asn1::{OctetString, Utf8StringRef};
use der::{Any, Decode, Encode};
use sha2::{Digest, Sha256};
use spki::{EncodePublicKey, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::Certificate;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage,
    KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use super::identity::SigningKey;
use crate::error::{PdfError, Result};

/// Key type of the instance PKI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum KeyAlgorithm {
    /// ECDSA on NIST P-256 with SHA-256 (default: small, fast signatures).
    #[default]
    EcdsaP256,
    /// RSA 3072-bit, PKCS#1 v1.5 with SHA-256.
    Rsa3072,
}

/// Who the instance certificates name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PkiSubject {
    /// Organisation (O=) of both certificates.
    pub organization: String,
    /// Common name (CN=) of the root; the seal certificate gets `"<common_name> Seal"`, the TSA
    /// `"<common_name> TSA"`.
    pub common_name: String,
}

/// A freshly generated instance PKI (all DER).
#[derive(Clone)]
pub struct InstancePki {
    /// Self-signed root CA certificate.
    pub root_cert_der: Vec<u8>,
    /// Root private key, PKCS#8.
    pub root_key_pkcs8_der: Vec<u8>,
    /// Seal (leaf) certificate issued by the root.
    pub seal_cert_der: Vec<u8>,
    /// Seal private key, PKCS#8.
    pub seal_key_pkcs8_der: Vec<u8>,
    /// Certificate of the built-in TSA (critical EKU timeStamping), issued by the root.
    pub tsa_cert_der: Vec<u8>,
    /// The built-in TSA's private key, PKCS#8.
    pub tsa_key_pkcs8_der: Vec<u8>,
}

impl InstancePki {
    /// The root as a certificate authority, to issue certificates and CRLs with.
    pub fn root_ca(&self) -> super::ca::RootCa<'_> {
        super::ca::RootCa {
            cert_der: &self.root_cert_der,
            key_pkcs8_der: &self.root_key_pkcs8_der,
        }
    }
}

impl std::fmt::Debug for InstancePki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("InstancePki")
            .field("root_cert_der", &self.root_cert_der.len())
            .finish_non_exhaustive()
    }
}

/// Options of [`generate_instance_pki_with`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PkiOptions {
    /// CRL distribution point written into the seal and TSA certificates, e.g.
    /// `{public_url}/api/v1/trust/root.crl` (where the server serves [`crate::issue_crl`]'s
    /// output). Without one, validators find no revocation source for them.
    pub crl_url: Option<String>,
}

pub(crate) const ROOT_VALIDITY_DAYS: u64 = 3652;
pub(crate) const SEAL_VALIDITY_DAYS: u64 = 1096;
/// Certificates start slightly in the past to tolerate clock skew between hosts.
pub(crate) const BACKDATE_SECS: i64 = 3600;

/// Generates a root CA (10 years), a seal certificate (3 years) and a built-in TSA certificate
/// (10 years) for `subject`, without CRL distribution points.
pub fn generate_instance_pki(
    subject: &PkiSubject,
    algorithm: KeyAlgorithm,
    now: time::OffsetDateTime,
) -> Result<InstancePki> {
    generate_instance_pki_with(subject, algorithm, now, &PkiOptions::default())
}

/// Like [`generate_instance_pki`], with options (the CRL distribution point URL).
pub fn generate_instance_pki_with(
    subject: &PkiSubject,
    algorithm: KeyAlgorithm,
    now: time::OffsetDateTime,
    options: &PkiOptions,
) -> Result<InstancePki> {
    crate::guard::shielded("generate_instance_pki", || {
        generate(subject, algorithm, now, options)
    })
}

fn generate(
    subject: &PkiSubject,
    algorithm: KeyAlgorithm,
    now: time::OffsetDateTime,
    options: &PkiOptions,
) -> Result<InstancePki> {
    let root_key = SigningKey::generate(algorithm)?;
    let root_name = name(&subject.organization, &subject.common_name)?;
    let start = now.unix_timestamp().saturating_sub(BACKDATE_SECS).max(0) as u64;
    let root = issue(CertSpec {
        profile: Profile {
            subject: root_name.clone(),
            issuer: None,
            role: Role::Root,
            crl_url: None,
        },
        validity: validity(start, ROOT_VALIDITY_DAYS)?,
        public_key: root_key.public_key_info()?,
        issuer_key: &root_key,
    })?;
    let crl_url = options.crl_url.as_deref();
    let leaf = |role, suffix: &str| {
        let request = super::ca::LeafRequest {
            role,
            organization: &subject.organization,
            common_name: &format!("{} {suffix}", subject.common_name),
            algorithm,
            now,
            crl_url,
        };
        super::ca::issue_leaf(&root, &root_key, &request)
    };
    let seal = leaf(Role::Seal, "Seal")?;
    let tsa = leaf(Role::Tsa, "TSA")?;
    Ok(InstancePki {
        root_cert_der: root.to_der().map_err(crypto)?,
        root_key_pkcs8_der: root_key.to_pkcs8_der()?,
        seal_cert_der: seal.cert_der,
        seal_key_pkcs8_der: seal.key_pkcs8_der,
        tsa_cert_der: tsa.cert_der,
        tsa_key_pkcs8_der: tsa.key_pkcs8_der,
    })
}

/// Wraps DER in PEM armour, e.g. `der_to_pem("CERTIFICATE", &cert)`.
pub fn der_to_pem(label: &str, der: &[u8]) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::with_capacity(der.len() * 4 / 3 + 4);
    for chunk in der.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

pub(crate) fn crypto(e: impl std::fmt::Display) -> PdfError {
    PdfError::Crypto(e.to_string())
}

pub(crate) fn name(organization: &str, common_name: &str) -> Result<Name> {
    if organization.trim().is_empty() || common_name.trim().is_empty() {
        return Err(PdfError::InvalidInput(
            "organization and common name must not be empty".into(),
        ));
    }
    let mut rdns = RdnSequence::default();
    for (oid, value) in [(rfc4519::O, organization), (rfc4519::CN, common_name)] {
        let utf8 = Utf8StringRef::new(value).map_err(crypto)?;
        let atv = AttributeTypeAndValue {
            oid,
            value: Any::encode_from(&utf8).map_err(crypto)?,
        };
        rdns.push(RelativeDistinguishedName::try_from(vec![atv]).map_err(crypto)?);
    }
    Name::from_der(&rdns.to_der().map_err(crypto)?).map_err(crypto)
}

pub(crate) fn validity(start_unix: u64, days: u64) -> Result<Validity> {
    let t = |secs: u64| -> Result<Time> {
        Ok(Time::from(
            der::DateTime::from_unix_duration(Duration::from_secs(secs)).map_err(crypto)?,
        ))
    };
    Ok(Validity::new(
        t(start_unix)?,
        t(start_unix + days * 86_400)?,
    ))
}

/// Subject key identifier: first 160 bits of SHA-256 of the public key bits (RFC 7093 §2).
pub(crate) fn key_id(spki: SubjectPublicKeyInfoRef<'_>) -> Vec<u8> {
    let digest = Sha256::digest(spki.subject_public_key.raw_bytes());
    digest.get(..20).unwrap_or_default().to_vec()
}

/// What a certificate is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Root,
    Seal,
    Tsa,
}

/// Extensions for the root (CA), the seal or the TSA certificate.
pub(crate) struct Profile {
    pub subject: Name,
    pub issuer: Option<Name>,
    pub role: Role,
    /// CRL distribution point URL for issued (non-root) certificates.
    pub crl_url: Option<String>,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, subject: &Name) -> Name {
        self.issuer.clone().unwrap_or_else(|| subject.clone())
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let subject = tbs.subject();
        let ca = self.role == Role::Root;
        let usages = match self.role {
            Role::Root => KeyUsages::KeyCertSign | KeyUsages::CRLSign,
            Role::Seal => KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
            Role::Tsa => KeyUsages::DigitalSignature.into(),
        };
        let mut exts = vec![
            (
                true,
                &BasicConstraints {
                    ca,
                    path_len_constraint: None,
                },
            )
                .to_extension(subject, &[])?,
            (true, &KeyUsage(usages)).to_extension(subject, &[])?,
            (false, &SubjectKeyIdentifier(OctetString::new(key_id(spk))?))
                .to_extension(subject, &[])?,
        ];
        if !ca {
            let aki = AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(key_id(issuer_spk))?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            };
            exts.push((false, &aki).to_extension(subject, &[])?);
        }
        if self.role == Role::Tsa {
            let eku = ExtendedKeyUsage(vec![const_oid::db::rfc5280::ID_KP_TIME_STAMPING]);
            exts.push((true, &eku).to_extension(subject, &[])?);
        }
        if let (false, Some(url)) = (ca, &self.crl_url) {
            exts.push((false, &crl_distribution_point(url)?).to_extension(subject, &[])?);
        }
        Ok(exts)
    }
}

/// A CRL distribution point with one URI (RFC 5280 §4.2.1.13).
fn crl_distribution_point(url: &str) -> der::Result<CrlDistributionPoints> {
    let uri = der::asn1::Ia5String::new(url)?;
    Ok(CrlDistributionPoints(vec![DistributionPoint {
        distribution_point: Some(DistributionPointName::FullName(vec![
            GeneralName::UniformResourceIdentifier(uri),
        ])),
        reasons: None,
        crl_issuer: None,
    }]))
}

pub(crate) struct CertSpec<'k> {
    pub profile: Profile,
    pub validity: Validity,
    pub public_key: SubjectPublicKeyInfoOwned,
    pub issuer_key: &'k SigningKey,
}

pub(crate) fn serial() -> Result<SerialNumber> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(crypto)?;
    bytes[0] = (bytes[0] & 0x7f) | 0x40; // positive, no leading zero byte
    SerialNumber::new(&bytes).map_err(crypto)
}

pub(crate) fn issue(spec: CertSpec<'_>) -> Result<Certificate> {
    let builder = CertificateBuilder::new(spec.profile, serial()?, spec.validity, spec.public_key)
        .map_err(crypto)?;
    match spec.issuer_key {
        SigningKey::P256(k) => builder
            .build::<_, p256::ecdsa::DerSignature>(k)
            .map_err(crypto),
        SigningKey::Rsa(k) => builder
            .build::<_, rsa::pkcs1v15::Signature>(k.as_ref())
            .map_err(crypto),
    }
}

/// The public key of `key` as SubjectPublicKeyInfo.
pub(crate) fn spki_of(key: &impl EncodePublicKey) -> Result<SubjectPublicKeyInfoOwned> {
    SubjectPublicKeyInfoOwned::from_key(key).map_err(crypto)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_wraps_base64_lines() {
        let pem = der_to_pem("CERTIFICATE", &[0u8; 50]);
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\nAAAA"));
        assert!(pem.ends_with("-----END CERTIFICATE-----\n"));
        assert_eq!(
            der_to_pem("X", b"ab"),
            "-----BEGIN X-----\nYWI=\n-----END X-----\n"
        );
    }

    #[test]
    fn generated_pki_has_ca_and_leaf_extensions() {
        let subject = PkiSubject {
            organization: "Acme, Inc.".into(),
            common_name: "Acme Signet".into(),
        };
        let pki = generate_instance_pki(
            &subject,
            KeyAlgorithm::EcdsaP256,
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
        let root = Certificate::from_der(&pki.root_cert_der).unwrap();
        let seal = Certificate::from_der(&pki.seal_cert_der).unwrap();
        assert_eq!(
            root.tbs_certificate().issuer(),
            root.tbs_certificate().subject()
        );
        assert_eq!(
            seal.tbs_certificate().issuer(),
            root.tbs_certificate().subject()
        );
        assert!(
            seal.tbs_certificate()
                .subject()
                .to_string()
                .contains("Acme Signet Seal")
        );
        let exts = seal.tbs_certificate().extensions().unwrap();
        assert_eq!(exts.len(), 4);
        let tsa = Certificate::from_der(&pki.tsa_cert_der).unwrap();
        let (critical, eku) = tsa
            .tbs_certificate()
            .get_extension::<ExtendedKeyUsage>()
            .unwrap()
            .unwrap();
        assert!(critical);
        assert_eq!(eku.0, vec![const_oid::db::rfc5280::ID_KP_TIME_STAMPING]);
        assert!(exts.iter().filter(|e| e.critical).count() == 2);
    }
}
