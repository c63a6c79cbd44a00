//! RFC 3161 time-stamping: the [`TimestampAuthority`] port, Signet's built-in TSA, and the two
//! helpers an HTTP adapter for a remote TSA needs (request encoding, response decoding).

use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData};
use const_oid::db::{rfc3161, rfc5280};
use der::asn1::{Any, GeneralizedTime, Int, OctetString};
use der::{Decode, Encode, Tag};
use x509_cert::ext::pkix::ExtendedKeyUsage;

use super::asn1::{
    MessageImprint, PkiStatus, TimeStampReq, TimeStampResp, TstInfo, signet_tsa_policy,
};
use super::cms::{sha256_alg, signed_data};
use super::identity::SealIdentity;
use super::pki::crypto;
use crate::error::{PdfError, Result};

/// A time-stamping authority (RFC 3161). The engine does no I/O: the server implements this for
/// a remote TSA (`SIGNET_TSA_URL`) with [`timestamp_request`] and [`timestamp_token_from_response`];
/// [`BuiltinTsa`] is the instance's own TSA.
pub trait TimestampAuthority {
    /// Returns a DER `TimeStampToken` (a CMS ContentInfo whose SignedData encapsulates a TSTInfo)
    /// with a SHA-256 message imprint equal to `sha256_imprint`.
    fn timestamp(&self, sha256_imprint: &[u8; 32]) -> Result<Vec<u8>>;

    /// Upper bound of a token's size in bytes; space for it is reserved in the PDF before signing.
    fn max_token_len(&self) -> usize {
        16 * 1024
    }

    /// Revocation data (and extra certificates) for the chain of `token`, for the DSS at B-LT
    /// and above. The built-in TSA's CRL comes with the caller's [`crate::ValidationData`]; a
    /// remote TSA fetches its CRLs here (see [`crl_urls`]).
    fn validation_data(&self, token: &[u8]) -> Result<crate::ValidationData> {
        let _ = token;
        Ok(crate::ValidationData::default())
    }
}

/// The CRL distribution point URLs (http and https only) named by the certificates a
/// time-stamp token carries, in order, without duplicates.
pub fn crl_urls(token: &[u8]) -> Result<Vec<String>> {
    crate::guard::shielded("crl_urls", || {
        let (sd, _) = token_parts(token)?;
        let mut urls = Vec::new();
        for der in super::ltv::certificates_of(&sd) {
            let cert = x509_cert::Certificate::from_der(&der).map_err(crypto)?;
            for url in distribution_points(&cert)? {
                if !urls.contains(&url) {
                    urls.push(url);
                }
            }
        }
        Ok(urls)
    })
}

pub(crate) fn distribution_points(cert: &x509_cert::Certificate) -> Result<Vec<String>> {
    use x509_cert::ext::pkix::CrlDistributionPoints;
    use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
    let Some((_, points)) = cert
        .tbs_certificate()
        .get_extension::<CrlDistributionPoints>()
        .map_err(crypto)?
    else {
        return Ok(Vec::new());
    };
    Ok(points
        .0
        .iter()
        .filter_map(|p| match &p.distribution_point {
            Some(DistributionPointName::FullName(names)) => Some(names),
            _ => None,
        })
        .flatten()
        .filter_map(|name| match name {
            GeneralName::UniformResourceIdentifier(uri) => Some(uri.to_string()),
            _ => None,
        })
        .filter(|uri| uri.starts_with("http://") || uri.starts_with("https://"))
        .collect())
}

/// A clock for the built-in TSA (the engine never reads the wall clock itself).
pub type TsaClock = Box<dyn Fn() -> time::OffsetDateTime + Send + Sync>;

/// Signet's built-in TSA: a key whose certificate (issued under the instance root, critical EKU
/// timeStamping) signs TSTInfos with the time of the given clock.
pub struct BuiltinTsa {
    identity: SealIdentity,
    clock: TsaClock,
}

impl std::fmt::Debug for BuiltinTsa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuiltinTsa")
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

impl BuiltinTsa {
    /// Loads the TSA key (PKCS#8) and chain (TSA certificate first); fails unless the certificate
    /// carries a critical extended key usage of exactly timeStamping (RFC 3161 §2.3).
    pub fn new(key_pkcs8_der: &[u8], chain_der: &[Vec<u8>], clock: TsaClock) -> Result<Self> {
        let identity = SealIdentity::from_der(key_pkcs8_der, chain_der)?;
        let leaf = identity.leaf()?;
        let eku = leaf
            .tbs_certificate()
            .get_extension::<ExtendedKeyUsage>()
            .map_err(crypto)?;
        match eku {
            Some((true, ExtendedKeyUsage(usages))) if usages == [rfc5280::ID_KP_TIME_STAMPING] => {
                Ok(BuiltinTsa { identity, clock })
            }
            _ => Err(PdfError::Crypto(
                "the TSA certificate needs a critical extended key usage of exactly timeStamping"
                    .into(),
            )),
        }
    }
}

impl TimestampAuthority for BuiltinTsa {
    fn timestamp(&self, sha256_imprint: &[u8; 32]) -> Result<Vec<u8>> {
        crate::guard::shielded("BuiltinTsa::timestamp", || {
            build_token(&self.identity, sha256_imprint, (self.clock)())
        })
    }

    fn max_token_len(&self) -> usize {
        let certs: usize = self.identity.chain_der.iter().map(Vec::len).sum();
        certs + self.identity.key.max_signature_len() + 1536
    }
}

fn random_int() -> Result<Int> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(crypto)?;
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    Int::new(&bytes).map_err(crypto)
}

/// `n` as a DER INTEGER: minimal, and positive (a leading zero byte before a high bit). A
/// `TimeStampReq` with a padded nonce is refused by OpenSSL-based TSAs.
fn unsigned_int(n: u64) -> Result<Int> {
    let bytes = n.to_be_bytes();
    let first = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len() - 1);
    let mut minimal = Vec::with_capacity(9);
    if bytes[first] >= 0x80 {
        minimal.push(0);
    }
    minimal.extend_from_slice(&bytes[first..]);
    Int::new(&minimal).map_err(crypto)
}

fn imprint(sha256: &[u8; 32]) -> Result<MessageImprint> {
    Ok(MessageImprint {
        hash_algorithm: sha256_alg(),
        hashed_message: OctetString::new(sha256.to_vec()).map_err(crypto)?,
    })
}

/// Signs a TSTInfo for `sha256_imprint` at `now` (whole seconds) as a TimeStampToken.
fn build_token(
    identity: &SealIdentity,
    sha256_imprint: &[u8; 32],
    now: time::OffsetDateTime,
) -> Result<Vec<u8>> {
    let secs = u64::try_from(now.unix_timestamp())
        .map_err(|_| PdfError::InvalidInput("TSA clock before 1970".into()))?;
    let gen_time = GeneralizedTime::from_unix_duration(std::time::Duration::from_secs(secs))
        .map_err(crypto)?;
    let tst = TstInfo {
        version: 1,
        policy: signet_tsa_policy().map_err(crypto)?,
        message_imprint: imprint(sha256_imprint)?,
        serial_number: random_int()?,
        gen_time,
        accuracy: None,
        ordering: false,
        nonce: None,
        tsa: None,
        extensions: None,
    };
    let eci = EncapsulatedContentInfo {
        econtent_type: rfc3161::ID_CT_TST_INFO,
        econtent: Some(Any::new(Tag::OctetString, tst.to_der().map_err(crypto)?).map_err(crypto)?),
    };
    signed_data(identity, &eci, None)
}

/// A DER `TimeStampReq` for a SHA-256 imprint (certReq = true, with `nonce`), to POST to a remote
/// TSA as `application/timestamp-query`.
pub fn timestamp_request(sha256_imprint: &[u8; 32], nonce: u64) -> Result<Vec<u8>> {
    let req = TimeStampReq {
        version: 1,
        message_imprint: imprint(sha256_imprint)?,
        req_policy: None,
        nonce: Some(unsigned_int(nonce)?),
        cert_req: true,
    };
    req.to_der().map_err(crypto)
}

/// Extracts the `TimeStampToken` from a TSA's DER `TimeStampResp` (`application/timestamp-reply`),
/// checking that it was granted and that it stamps `sha256_imprint`.
pub fn timestamp_token_from_response(
    response: &[u8],
    sha256_imprint: &[u8; 32],
) -> Result<Vec<u8>> {
    let resp = TimeStampResp::from_der(response)
        .map_err(|e| PdfError::Crypto(format!("unreadable time-stamp response: {e}")))?;
    if !matches!(
        resp.status.status,
        PkiStatus::Granted | PkiStatus::GrantedWithMods
    ) {
        return Err(PdfError::Crypto(format!(
            "the TSA refused the request (status {:?})",
            resp.status.status
        )));
    }
    let token = resp
        .time_stamp_token
        .ok_or_else(|| PdfError::Crypto("the TSA response has no token".into()))?
        .to_der()
        .map_err(crypto)?;
    let info = token_info(&token)?;
    if info.message_imprint.hashed_message.as_bytes() != sha256_imprint {
        return Err(PdfError::Crypto(
            "the TSA stamped a different message imprint".into(),
        ));
    }
    Ok(token)
}

/// The SignedData of a token and its decoded TSTInfo.
pub(crate) fn token_parts(token: &[u8]) -> Result<(SignedData, TstInfo)> {
    let ci = ContentInfo::from_der(token)
        .map_err(|e| PdfError::Crypto(format!("unreadable time-stamp token: {e}")))?;
    let sd: SignedData = ci.content.decode_as().map_err(crypto)?;
    if sd.encap_content_info.econtent_type != rfc3161::ID_CT_TST_INFO {
        return Err(PdfError::Crypto(
            "the time-stamp token does not contain a TSTInfo".into(),
        ));
    }
    let content = sd
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or_else(|| PdfError::Crypto("the time-stamp token has no content".into()))?;
    let tst = TstInfo::from_der(content.value()).map_err(crypto)?;
    Ok((sd, tst))
}

/// The TSTInfo of a token.
pub(crate) fn token_info(token: &[u8]) -> Result<TstInfo> {
    token_parts(token).map(|(_, tst)| tst)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every nonce encodes as a canonical, non-negative INTEGER (what strict DER decoders such
    /// as OpenSSL's and ours demand), whatever its leading bytes.
    #[test]
    fn nonces_encode_as_canonical_positive_integers() {
        for nonce in [0, 1, 0x7f, 0x80, 0x0012_3456_789a_bcde, 1 << 63, u64::MAX] {
            let der = timestamp_request(&[7; 32], nonce).unwrap();
            let req = TimeStampReq::from_der(&der).unwrap();
            let int = req.nonce.unwrap();
            let bytes = int.as_bytes();
            assert!(bytes[0] < 0x80, "{nonce:#x} encodes negative: {bytes:02x?}");
            let mut expect = nonce.to_be_bytes().to_vec();
            while expect.len() > 1 && expect[0] == 0 {
                expect.remove(0);
            }
            let value = bytes.iter().skip_while(|b| **b == 0);
            assert!(
                value.eq(expect.iter().skip_while(|b| **b == 0)),
                "{nonce:#x}"
            );
        }
    }
}
