//! CMS checks: a SignedData's one signer (digest, signed attributes, signature, the ESS
//! signing-certificate binding) and RFC 3161 time-stamp tokens.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::db::{rfc3161, rfc5911};
use der::asn1::OctetString;
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use x509_cert::Certificate;

use super::crypto::{self, Check, Hash};
use crate::seal::asn1::{SigningCertificateV2, TstInfo};
use crate::seal::ltv::{certificates_of, decode_prefix};

/// A parsed SignedData with its single signer.
pub(super) struct Parsed {
    pub signed_data: SignedData,
    pub signer_info: SignerInfo,
    /// The digest algorithm the signer used over the content.
    pub hash: Hash,
}

/// Parses a /Contents or time-stamp token as a SignedData with exactly one signer and a SHA-2
/// digest algorithm.
pub(super) fn parse(der: &[u8]) -> Result<Parsed, String> {
    let ci: ContentInfo = decode_prefix(der).map_err(|e| format!("unreadable CMS: {e}"))?;
    if ci.content_type != rfc5911::ID_SIGNED_DATA {
        return Err("the CMS is not SignedData".into());
    }
    let signed_data: SignedData = ci
        .content
        .decode_as()
        .map_err(|e| format!("unreadable SignedData: {e}"))?;
    let [signer_info] = signed_data.signer_infos.0.as_slice() else {
        return Err(format!(
            "the CMS has {} signer infos, not exactly one",
            signed_data.signer_infos.0.len()
        ));
    };
    let signer_info = signer_info.clone();
    let hash = Hash::from_digest_oid(&signer_info.digest_alg.oid).ok_or_else(|| {
        format!(
            "unsupported digest algorithm {}",
            signer_info.digest_alg.oid
        )
    })?;
    Ok(Parsed {
        signed_data,
        signer_info,
        hash,
    })
}

/// What checking the signer found.
pub(super) struct SignerCheck {
    pub certificate: Option<Certificate>,
    /// The message-digest attribute equals the digest of the content.
    pub intact: bool,
    /// The signature over the signed attributes.
    pub signature: Check,
    pub problems: Vec<String>,
}

/// Checks the signer against `content_digest` (the digest of what it signs, computed with
/// `parsed.hash`).
pub(super) fn check_signer(parsed: &Parsed, content_digest: &[u8]) -> SignerCheck {
    let mut problems = Vec::new();
    let si = &parsed.signer_info;
    let certificate = signer_certificate(&parsed.signed_data, &si.sid);
    if certificate.is_none() {
        problems.push("the signing certificate is not in the CMS".into());
    }
    let Some(attrs) = &si.signed_attrs else {
        problems.push("the CMS has no signed attributes".into());
        return SignerCheck {
            certificate,
            intact: false,
            signature: Check::Bad,
            problems,
        };
    };
    let digest = attribute(si, rfc5911::ID_MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .map(|o| o.as_bytes().to_vec());
    let intact = digest.as_deref() == Some(content_digest);
    if !intact {
        problems.push("the signed bytes do not match the digest in the signature".into());
    }
    let signature = match (&certificate, attrs.to_der()) {
        (Some(cert), Ok(message)) => crypto::verify(
            cert.tbs_certificate().subject_public_key_info(),
            &si.signature_algorithm,
            Some(parsed.hash),
            &message,
            si.signature.as_bytes(),
        ),
        _ => Check::Bad,
    };
    if signature == Check::Bad {
        problems.push("the cryptographic signature does not verify".into());
    }
    if let Some(cert) = &certificate
        && let Some(problem) = ess_binding_problem(si, cert)
    {
        problems.push(problem);
    }
    SignerCheck {
        certificate,
        intact,
        signature,
        problems,
    }
}

/// The first value of signed attribute `oid`.
fn attribute(si: &SignerInfo, oid: der::oid::ObjectIdentifier) -> Option<der::Any> {
    si.signed_attrs
        .as_ref()?
        .iter()
        .find(|a| a.oid == oid)
        .and_then(|a| a.values.iter().next().cloned())
}

/// Whether a signed attribute `oid` is present.
pub(super) fn has_signed_attribute(si: &SignerInfo, oid: der::oid::ObjectIdentifier) -> bool {
    attribute(si, oid).is_some()
}

/// A signing-certificate-v2 attribute that names another certificate is a substitution.
fn ess_binding_problem(si: &SignerInfo, cert: &Certificate) -> Option<String> {
    let value = attribute(si, rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2)?;
    let Ok(bound) = value.decode_as::<SigningCertificateV2>() else {
        return Some("the signing-certificate-v2 attribute is unreadable".into());
    };
    let der = cert.to_der().ok()?;
    let first = bound.certs.first()?;
    let sha256 = first
        .hash_algorithm
        .as_ref()
        .is_none_or(|a| Hash::from_digest_oid(&a.oid) == Some(Hash::Sha256));
    if sha256 && first.cert_hash.as_bytes() != Sha256::digest(&der).as_slice() {
        return Some("the signing-certificate-v2 attribute names another certificate".into());
    }
    None
}

fn signer_certificate(sd: &SignedData, sid: &SignerIdentifier) -> Option<Certificate> {
    let certs = sd.certificates.iter().flat_map(|set| set.0.iter());
    certs
        .filter_map(|c| match c {
            CertificateChoices::Certificate(cert) => Some(cert),
            _ => None,
        })
        .find(|cert| match sid {
            SignerIdentifier::IssuerAndSerialNumber(ias) => {
                cert.tbs_certificate().issuer() == &ias.issuer
                    && cert.tbs_certificate().serial_number() == &ias.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => {
                let key = cert
                    .tbs_certificate()
                    .subject_public_key_info()
                    .subject_public_key
                    .raw_bytes();
                sha1::Sha1::digest(key).as_slice() == ski.0.as_bytes()
            }
        })
        .cloned()
}

/// A checked RFC 3161 token.
pub(super) struct TokenCheck {
    pub time: OffsetDateTime,
    pub authority: Option<Certificate>,
    /// Signed correctly and stamps the expected imprint.
    pub valid: bool,
    /// It stamps the expected imprint (the stamped bytes are unchanged).
    pub imprint_ok: bool,
    pub problems: Vec<String>,
    /// Certificates the token carries (for chain building).
    pub certificates: Vec<Vec<u8>>,
}

/// The hash a time-stamp token's message imprint uses, if the token is readable.
pub(super) fn imprint_hash(token: &[u8]) -> Option<Hash> {
    let parsed = parse(token).ok()?;
    let content = parsed
        .signed_data
        .encap_content_info
        .econtent
        .as_ref()?
        .decode_as::<OctetString>()
        .ok()?;
    let info = TstInfo::from_der(content.as_bytes()).ok()?;
    Hash::from_digest_oid(&info.message_imprint.hash_algorithm.oid)
}

/// Checks a time-stamp token over `data` (the bytes whose hash it must stamp).
pub(super) fn check_token(
    token: &[u8],
    imprint_of: impl Fn(Hash) -> Vec<u8>,
) -> Result<TokenCheck, String> {
    let parsed = parse(token)?;
    let encap = &parsed.signed_data.encap_content_info;
    if encap.econtent_type != rfc3161::ID_CT_TST_INFO {
        return Err("the time-stamp token does not hold a TSTInfo".into());
    }
    let content = encap
        .econtent
        .as_ref()
        .ok_or("the time-stamp token has no content")?
        .decode_as::<OctetString>()
        .map_err(|e| format!("unreadable TSTInfo: {e}"))?;
    let info =
        TstInfo::from_der(content.as_bytes()).map_err(|e| format!("unreadable TSTInfo: {e}"))?;
    let signer = check_signer(&parsed, &parsed.hash.digest(content.as_bytes()));
    let mut problems = signer.problems;
    let imprint_hash = Hash::from_digest_oid(&info.message_imprint.hash_algorithm.oid);
    let imprint_ok = imprint_hash.is_some_and(|h| {
        info.message_imprint.hashed_message.as_bytes() == imprint_of(h).as_slice()
    });
    if !imprint_ok {
        problems.push("the time-stamp does not stamp these bytes".into());
    }
    let time = OffsetDateTime::from_unix_timestamp(
        i64::try_from(info.gen_time.to_unix_duration().as_secs()).unwrap_or(0),
    )
    .map_err(|e| e.to_string())?;
    Ok(TokenCheck {
        time,
        authority: signer.certificate,
        valid: signer.intact && signer.signature == Check::Good && imprint_ok,
        imprint_ok,
        problems,
        certificates: certificates_of(&parsed.signed_data),
    })
}
