//! ASN.1 types the RustCrypto crates do not provide: ESS signing-certificate-v2 (RFC 5035) and
//! the RFC 3161 time-stamp protocol (TSTInfo, requests and responses).

use der::asn1::{Any, GeneralizedTime, Int, OctetString};
use der::{Enumerated, Sequence};
use spki::{AlgorithmIdentifierOwned, ObjectIdentifier};
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

/// `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }`
#[derive(Clone, Debug, Sequence)]
pub(crate) struct IssuerSerial {
    pub issuer: Vec<GeneralName>,
    pub serial_number: SerialNumber,
}

/// `ESSCertIDv2`; the hash algorithm is optional (DEFAULT SHA-256) and omitted when writing.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct EssCertIdV2 {
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    pub cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies ... OPTIONAL }`
#[derive(Clone, Debug, Sequence)]
pub(crate) struct SigningCertificateV2 {
    pub certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    pub policies: Option<Any>,
}

/// `MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }`
#[derive(Clone, Debug, Sequence)]
pub(crate) struct MessageImprint {
    pub hash_algorithm: AlgorithmIdentifierOwned,
    pub hashed_message: OctetString,
}

/// `TSTInfo` (RFC 3161 §2.4.2); `accuracy` is kept opaque.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct TstInfo {
    pub version: u8,
    /// The TSA policy OID, kept as a tagged value: `const-oid` cannot hold the 128-bit arcs of
    /// the UUID arc 2.25 that Signet's own policy lives under.
    pub policy: Any,
    pub message_imprint: MessageImprint,
    pub serial_number: Int,
    pub gen_time: GeneralizedTime,
    #[asn1(optional = "true")]
    pub accuracy: Option<Any>,
    #[asn1(default = "Default::default")]
    pub ordering: bool,
    #[asn1(optional = "true")]
    pub nonce: Option<Int>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub tsa: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Extensions>,
}

/// `TimeStampReq` (RFC 3161 §2.4.1).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct TimeStampReq {
    pub version: u8,
    pub message_imprint: MessageImprint,
    #[asn1(optional = "true")]
    pub req_policy: Option<ObjectIdentifier>,
    #[asn1(optional = "true")]
    pub nonce: Option<Int>,
    #[asn1(default = "Default::default")]
    pub cert_req: bool,
}

/// `PKIStatus` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[asn1(type = "INTEGER")]
#[repr(u8)]
pub(crate) enum PkiStatus {
    Granted = 0,
    GrantedWithMods = 1,
    Rejection = 2,
    Waiting = 3,
    RevocationWarning = 4,
    RevocationNotification = 5,
}

/// `PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL }`
#[derive(Clone, Debug, Sequence)]
pub(crate) struct PkiStatusInfo {
    pub status: PkiStatus,
    #[asn1(optional = "true")]
    pub status_string: Option<Any>,
    #[asn1(optional = "true")]
    pub fail_info: Option<der::asn1::BitString>,
}

/// `TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }`
#[derive(Clone, Debug, Sequence)]
pub(crate) struct TimeStampResp {
    pub status: PkiStatusInfo,
    #[asn1(optional = "true")]
    pub time_stamp_token: Option<Any>,
}

/// Signet's TSA policy OID, 2.25.83007056854098598813886353316029112552 (the UUID
/// 3e7293e0-278d-45f8-a325-733f47bba0e8 under the UUID arc, ITU-T X.667: no registration
/// needed), as a DER OBJECT IDENTIFIER.
pub(crate) fn signet_tsa_policy() -> der::Result<Any> {
    const BER: [u8; 19] = [
        0x69, 0xfc, 0xf2, 0xc9, 0xf8, 0x84, 0xf8, 0xea, 0x97, 0xf1, 0xa3, 0x92, 0xdc, 0xe7, 0xf4,
        0xbd, 0xee, 0xc1, 0x68,
    ];
    Any::new(der::Tag::ObjectIdentifier, BER.to_vec())
}
