//! Revocation data for a seal chain Signet did not issue: where a certificate's CRL is
//! published, and whether a fetched CRL is the right one, current, and leaves the certificate
//! in good standing — checked before the CRL goes into a DSS.

use der::{Decode, Encode};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;

use super::pki::crypto;
use crate::error::{PdfError, Result};
use crate::verify::chain::{signed_by, tbs_bytes};

/// What a current CRL of its issuer says about a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrlStatus {
    /// Not listed: in good standing.
    Good,
    /// Listed as revoked at this time.
    Revoked(OffsetDateTime),
}

/// The CRL distribution point URLs (http and https only) of a certificate (DER), in order.
pub fn certificate_crl_urls(cert_der: &[u8]) -> Result<Vec<String>> {
    crate::guard::shielded("certificate_crl_urls", || {
        let cert = Certificate::from_der(cert_der).map_err(crypto)?;
        super::tsa::distribution_points(&cert)
    })
}

/// Checks that `crl_der` was issued and signed by `issuer_der`, is current at `now`
/// (thisUpdate ≤ now < nextUpdate) and says whether it lists `cert_der`. A CRL that is not
/// usable is an error naming why.
pub fn check_crl(
    crl_der: &[u8],
    cert_der: &[u8],
    issuer_der: &[u8],
    now: OffsetDateTime,
) -> Result<CrlStatus> {
    crate::guard::shielded("check_crl", || {
        let bad = |why: &str| PdfError::InvalidInput(format!("the CRL {why}"));
        let crl = CertificateList::from_der(crl_der).map_err(|_| bad("is not a DER CRL"))?;
        let cert = Certificate::from_der(cert_der).map_err(crypto)?;
        let issuer = Certificate::from_der(issuer_der).map_err(crypto)?;
        let tbs = &crl.tbs_cert_list;
        if tbs.issuer.to_der().map_err(crypto)?
            != issuer
                .tbs_certificate()
                .subject()
                .to_der()
                .map_err(crypto)?
        {
            return Err(bad(
                "was issued by someone else than the certificate's issuer",
            ));
        }
        let signed = tbs_bytes(crl_der).ok_or_else(|| bad("is malformed"))?;
        if !signed_by(
            &issuer,
            &crl.signature_algorithm,
            &signed,
            crl.signature.raw_bytes(),
        ) {
            return Err(bad("signature does not verify with the issuer's key"));
        }
        let unix = |t: &x509_cert::time::Time| {
            i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
        };
        let now_secs = now.unix_timestamp();
        if unix(&tbs.this_update) > now_secs {
            return Err(bad("is not valid yet (thisUpdate is in the future)"));
        }
        match &tbs.next_update {
            Some(next) if unix(next) > now_secs => {}
            Some(_) => return Err(bad("is out of date (its nextUpdate has passed)")),
            None => return Err(bad("has no nextUpdate")),
        }
        let serial = cert.tbs_certificate().serial_number();
        let revoked = tbs
            .revoked_certificates
            .iter()
            .flatten()
            .find(|entry| &entry.serial_number == serial);
        Ok(match revoked {
            Some(entry) => CrlStatus::Revoked(
                OffsetDateTime::from_unix_timestamp(unix(&entry.revocation_date)).unwrap_or(now),
            ),
            None => CrlStatus::Good,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KeyAlgorithm, PkiOptions, PkiSubject, RevokedCertificate, issue_crl};
    use time::Duration;

    #[test]
    fn only_a_current_crl_of_the_issuer_vouches_for_a_certificate() {
        let now = OffsetDateTime::now_utc();
        let subject = PkiSubject {
            organization: "Acme".into(),
            common_name: "Acme CA".into(),
        };
        let options = PkiOptions {
            crl_url: Some("http://127.0.0.1:9/ca.crl".into()),
        };
        let p = crate::generate_instance_pki_with(&subject, KeyAlgorithm::EcdsaP256, now, &options)
            .unwrap();
        assert_eq!(
            certificate_crl_urls(&p.seal_cert_der).unwrap(),
            ["http://127.0.0.1:9/ca.crl"]
        );
        let (seal, root) = (&p.seal_cert_der, &p.root_cert_der);
        let crl = |revoked: &[RevokedCertificate], from, to| {
            issue_crl(p.root_ca(), revoked, 1, from, to).unwrap()
        };
        let day = Duration::days(1);
        let good = crl(&[], now - day, now + day);
        assert_eq!(check_crl(&good, seal, root, now).unwrap(), CrlStatus::Good);
        let stale = crl(&[], now - 2 * day, now - day);
        let err = check_crl(&stale, seal, root, now).unwrap_err().to_string();
        assert!(err.contains("out of date"), "{err}");
        let serial = x509_cert::Certificate::from_der(seal)
            .unwrap()
            .tbs_certificate()
            .serial_number()
            .as_bytes()
            .to_vec();
        let revoked_at = now - Duration::hours(1);
        let listed = crl(
            &[RevokedCertificate { serial, revoked_at }],
            now - day,
            now + day,
        );
        assert!(matches!(
            check_crl(&listed, seal, root, now).unwrap(),
            CrlStatus::Revoked(_)
        ));
        // A CRL signed by another CA proves nothing about this one's certificates.
        let other = crate::generate_instance_pki(&subject, KeyAlgorithm::EcdsaP256, now).unwrap();
        let foreign = issue_crl(other.root_ca(), &[], 1, now - day, now + day).unwrap();
        let err = check_crl(&foreign, seal, root, now)
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not verify"), "{err}");
    }
}
