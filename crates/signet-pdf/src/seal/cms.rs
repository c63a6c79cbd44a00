//! The CMS SignedData for PAdES B-B: detached, one SignerInfo, signed attributes exactly
//! content-type, message-digest and signing-certificate-v2 (no signing-time: the time is /M).

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Encode, Sequence};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

use super::identity::{SealIdentity, SigningKey};
use super::pki::crypto;
use crate::error::Result;

/// `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }`
#[derive(Clone, Debug, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// `ESSCertIDv2` with the hash algorithm left at its DEFAULT (SHA-256), so omitted.
#[derive(Clone, Debug, Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }`
#[derive(Clone, Debug, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn sha256_alg() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: rfc5912::ID_SHA_256,
        parameters: None,
    }
}

fn signing_certificate_v2(identity: &SealIdentity) -> Result<Attribute> {
    let leaf = identity.leaf()?;
    let der = identity.chain_der.first().cloned().unwrap_or_default();
    let value = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(Sha256::digest(&der).to_vec()).map_err(crypto)?,
            issuer_serial: IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    leaf.tbs_certificate().issuer().clone(),
                )],
                serial_number: leaf.tbs_certificate().serial_number().clone(),
            },
        }],
    };
    let mut values = SetOfVec::new();
    values
        .insert(Any::encode_from(&value).map_err(crypto)?)
        .map_err(crypto)?;
    Ok(Attribute {
        oid: rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2,
        values,
    })
}

/// Builds the DER-encoded ContentInfo(SignedData) over an external SHA-256 `digest`.
pub(crate) fn build(identity: &SealIdentity, digest: &[u8; 32]) -> Result<Vec<u8>> {
    let leaf = identity.leaf()?;
    let eci = EncapsulatedContentInfo {
        econtent_type: rfc5911::ID_DATA,
        econtent: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: leaf.tbs_certificate().issuer().clone(),
        serial_number: leaf.tbs_certificate().serial_number().clone(),
    });
    let mut signer =
        SignerInfoBuilder::new(sid, sha256_alg(), &eci, Some(digest)).map_err(crypto)?;
    signer
        .add_signed_attribute(signing_certificate_v2(identity)?)
        .map_err(crypto)?;
    let mut data = SignedDataBuilder::new(&eci);
    data.add_digest_algorithm(sha256_alg()).map_err(crypto)?;
    for cert in &identity.chain {
        data.add_certificate(CertificateChoices::Certificate(cert.clone()))
            .map_err(crypto)?;
    }
    match &identity.key {
        SigningKey::P256(k) => data.add_signer_info::<_, p256::ecdsa::DerSignature>(signer, k),
        SigningKey::Rsa(k) => {
            data.add_signer_info::<_, rsa::pkcs1v15::Signature>(signer, k.as_ref())
        }
    }
    .map_err(crypto)?;
    data.build().map_err(crypto)?.to_der().map_err(crypto)
}

/// Bytes to reserve for the CMS: certificates + signature + generous fixed overhead.
pub(crate) fn reserve_len(identity: &SealIdentity) -> usize {
    let certs: usize = identity.chain_der.iter().map(Vec::len).sum();
    let issuer = identity
        .leaf()
        .ok()
        .and_then(|l| l.tbs_certificate().issuer().to_der().ok())
        .map_or(256, |d| d.len());
    certs + 2 * issuer + identity.key.max_signature_len() + 1024
}
