//! The CMS SignedData for PAdES B-B: detached, one SignerInfo, signed attributes exactly
//! content-type, message-digest and signing-certificate-v2 (no signing-time: the time is /M).

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{
    EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::db::{rfc3161, rfc5911, rfc5912};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;

use super::asn1::{EssCertIdV2, IssuerSerial, SigningCertificateV2};
use super::identity::{SealIdentity, SigningKey};
use super::pki::crypto;
use super::tsa::{self, TimestampAuthority};
use crate::error::{PdfError, Result};

pub(crate) fn sha256_alg() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: rfc5912::ID_SHA_256,
        parameters: None,
    }
}

/// The signing-certificate-v2 attribute naming `leaf` (whose DER is `der`).
pub(crate) fn signing_certificate_v2(leaf: &Certificate, der: &[u8]) -> Result<Attribute> {
    let value = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(Sha256::digest(der).to_vec()).map_err(crypto)?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    leaf.tbs_certificate().issuer().clone(),
                )],
                serial_number: leaf.tbs_certificate().serial_number().clone(),
            }),
        }],
        policies: None,
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
    let eci = EncapsulatedContentInfo {
        econtent_type: rfc5911::ID_DATA,
        econtent: None,
    };
    signed_data(identity, &eci, Some(digest))
}

/// A DER ContentInfo(SignedData) with one SignerInfo by `identity`'s leaf (signed attributes:
/// content-type, message-digest, signing-certificate-v2) and its whole chain embedded. With
/// `external_digest` the content is detached and that is its SHA-256; else `eci` carries it.
pub(crate) fn signed_data(
    identity: &SealIdentity,
    eci: &EncapsulatedContentInfo,
    external_digest: Option<&[u8; 32]>,
) -> Result<Vec<u8>> {
    let leaf = identity.leaf()?;
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: leaf.tbs_certificate().issuer().clone(),
        serial_number: leaf.tbs_certificate().serial_number().clone(),
    });
    let mut signer = SignerInfoBuilder::new(
        sid,
        sha256_alg(),
        eci,
        external_digest.map(|d| d.as_slice()),
    )
    .map_err(crypto)?;
    let leaf_der = identity.chain_der.first().cloned().unwrap_or_default();
    signer
        .add_signed_attribute(signing_certificate_v2(leaf, &leaf_der)?)
        .map_err(crypto)?;
    let mut data = SignedDataBuilder::new(eci);
    data.add_digest_algorithm(sha256_alg()).map_err(crypto)?;
    for cert in &identity.chain {
        data.add_certificate(CertificateChoices::Certificate(cert.clone()))
            .map_err(crypto)?;
    }
    add_signer(&mut data, signer, &identity.key)?;
    data.build().map_err(crypto)?.to_der().map_err(crypto)
}

/// Signs `signer` with `key` and adds it to `data`.
pub(crate) fn add_signer(
    data: &mut SignedDataBuilder<'_>,
    signer: SignerInfoBuilder<'_>,
    key: &SigningKey,
) -> Result<()> {
    match key {
        SigningKey::P256(k) => data.add_signer_info::<_, p256::ecdsa::DerSignature>(signer, k),
        SigningKey::Rsa(k) => {
            data.add_signer_info::<_, rsa::pkcs1v15::Signature>(signer, k.as_ref())
        }
    }
    .map_err(crypto)?;
    Ok(())
}

/// Adds a signature time-stamp (unsigned attribute id-aa-timeStampToken, RFC 3161 token over
/// the SignerInfo's signature value) to the single SignerInfo of `cms`.
pub(crate) fn add_signature_timestamp(cms: &[u8], tsa: &dyn TimestampAuthority) -> Result<Vec<u8>> {
    let ci = ContentInfo::from_der(cms).map_err(crypto)?;
    let mut sd: SignedData = ci.content.decode_as().map_err(crypto)?;
    let mut infos: Vec<SignerInfo> = sd.signer_infos.0.iter().cloned().collect();
    let si = infos
        .first_mut()
        .ok_or_else(|| PdfError::Internal("CMS without a SignerInfo".into()))?;
    let imprint: [u8; 32] = Sha256::digest(si.signature.as_bytes()).into();
    let token = tsa.timestamp(&imprint)?;
    if tsa::token_info(&token)?
        .message_imprint
        .hashed_message
        .as_bytes()
        != imprint
    {
        return Err(PdfError::Crypto(
            "the TSA stamped a different message imprint".into(),
        ));
    }
    let mut values = SetOfVec::new();
    values
        .insert(Any::from_der(&token).map_err(crypto)?)
        .map_err(crypto)?;
    let mut unsigned = SetOfVec::new();
    unsigned
        .insert(Attribute {
            oid: rfc3161::ID_AA_TIME_STAMP_TOKEN,
            values,
        })
        .map_err(crypto)?;
    si.unsigned_attrs = Some(unsigned);
    sd.signer_infos = SignerInfos(SetOfVec::try_from(infos).map_err(crypto)?);
    let content = Any::encode_from(&sd).map_err(crypto)?;
    ContentInfo {
        content_type: ci.content_type,
        content,
    }
    .to_der()
    .map_err(crypto)
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
