//! One signature checked against the file: structure, CMS or document time-stamp, trust,
//! the changes made after it, and (over all signatures) its PAdES level.

use std::io::{Read, Seek};

use const_oid::db::rfc5911;
use time::OffsetDateTime;

use super::chain::{self, PathError, TrustStore};
use super::cms;
use super::crypto::{Check, Hash};
use super::draft::Draft;
use super::report::{
    Coverage, Modification, SignatureReport, SignatureRole, TimestampReport, Verdict,
};
use super::structure::{self, ByteRange, FileShape, SignedField};
use super::{Dss, VerifyOptions, changes};
use crate::error::Result;
use crate::reader::{Document, Revision};

/// What every signature is checked against.
pub(super) struct Context<'a, R> {
    pub doc: &'a mut Document<R>,
    pub shape: &'a FileShape,
    pub revisions: &'a [Revision],
    pub options: &'a VerifyOptions,
    pub dss: Dss,
    pub certified: Option<u8>,
    /// The SHA-256 of each well-formed signature's ranges, from the one pass over the file.
    pub sha256_of: Vec<(ByteRange, Vec<u8>)>,
}

impl<R: Read + Seek> Context<'_, R> {
    /// Checks one signature, given what [`structure::check_byte_range`] found for it; the
    /// range is `None` when its structure is too broken to use.
    pub(super) fn check(
        &mut self,
        field: &SignedField,
        structure: std::result::Result<(ByteRange, Vec<u8>), String>,
    ) -> Result<(Option<ByteRange>, SignatureReport)> {
        let mut draft = Draft::new(field);
        draft.check_dictionary(field);
        let (range, contents) = match structure {
            Ok(found) => found,
            Err(problem) => {
                draft.fail(problem);
                return Ok((None, draft.finish()));
            }
        };
        draft.report.coverage = self.coverage(range);
        if draft.report.coverage == Coverage::Partial {
            draft.fail("the signature does not cover a whole revision of the file");
        }
        match draft.report.role {
            SignatureRole::DocumentTimestamp => {
                self.check_doc_timestamp(range, &contents, &mut draft)?
            }
            _ => self.check_cms(range, &contents, &mut draft)?,
        }
        self.check_changes(range, &mut draft)?;
        Ok((Some(range), draft.finish()))
    }

    fn coverage(&self, range: ByteRange) -> Coverage {
        if range.end == self.shape.len {
            Coverage::EntireFile
        } else if self.shape.revision_ends.contains(&range.end) {
            Coverage::EntireRevision
        } else {
            Coverage::Partial
        }
    }

    fn digest(&mut self, range: ByteRange, hash: Hash) -> Result<Vec<u8>> {
        use sha2::{Sha256, Sha384, Sha512};
        let known = self.sha256_of.iter().find(|(r, _)| *r == range);
        if let (Hash::Sha256, Some((_, digest))) = (hash, known) {
            return Ok(digest.clone());
        }
        match hash {
            Hash::Sha256 => structure::digest_ranges::<R, Sha256>(self.doc, range),
            Hash::Sha384 => structure::digest_ranges::<R, Sha384>(self.doc, range),
            Hash::Sha512 => structure::digest_ranges::<R, Sha512>(self.doc, range),
        }
    }

    /// A CAdES / PKCS#7 signature: digest, signature, signature time-stamp, trust.
    fn check_cms(&mut self, range: ByteRange, contents: &[u8], draft: &mut Draft) -> Result<()> {
        let parsed = match cms::parse(contents) {
            Ok(p) => p,
            Err(problem) => {
                draft.fail(problem);
                return Ok(());
            }
        };
        let digest = self.digest(range, parsed.hash)?;
        let signer = cms::check_signer(&parsed, &digest);
        draft.report.intact = signer.intact;
        draft.report.valid = signer.signature == Check::Good;
        if let Check::Unsupported(what) = &signer.signature {
            draft.doubt(format!("cannot check the signature: unsupported {what}"));
        }
        for problem in signer.problems {
            draft.fail(problem);
        }
        if draft.report.sub_filter == "ETSI.CAdES.detached" {
            if cms::has_signed_attribute(&parsed.signer_info, rfc5911::ID_SIGNING_TIME) {
                draft.fail("a PAdES signature must not carry a signing-time attribute");
            }
            if !cms::has_signed_attribute(
                &parsed.signer_info,
                rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2,
            ) {
                draft.fail("a PAdES signature must carry a signing-certificate-v2 attribute");
            }
        }
        let mut pool = crate::seal::ltv::certificates_of(&parsed.signed_data);
        let mut at = self.options.now;
        let token = crate::seal::ltv::signature_timestamps(&parsed.signed_data)
            .into_iter()
            .next();
        if let Some(token) = token {
            let signature = parsed.signer_info.signature.as_bytes().to_vec();
            match cms::check_token(&token, |h| h.digest(&signature)) {
                Ok(checked) => {
                    pool.extend(checked.certificates.iter().cloned());
                    let report = self.timestamp_report(&checked, &pool);
                    if !report.valid {
                        draft.fail("the signature time-stamp is invalid");
                        draft.report.problems.extend(checked.problems);
                    } else if report.trusted {
                        at = report.time;
                    }
                    draft.report.timestamp = Some(report);
                }
                Err(problem) => {
                    draft.fail(format!("the signature time-stamp is unreadable: {problem}"))
                }
            }
        }
        if let Some(cert) = &signer.certificate {
            draft.report.signer = Some(cert.tbs_certificate().subject().to_string());
            self.check_trust(cert, pool, at, draft);
        }
        Ok(())
    }

    /// A document time-stamp: the token stamps the covered bytes; its TSA is trusted.
    fn check_doc_timestamp(
        &mut self,
        range: ByteRange,
        contents: &[u8],
        draft: &mut Draft,
    ) -> Result<()> {
        // One pass over the file, with the hash the token's imprint uses.
        let hash = cms::imprint_hash(contents).unwrap_or(Hash::Sha256);
        let digest = self.digest(range, hash)?;
        let imprint = |h: Hash| {
            if h == hash {
                digest.clone()
            } else {
                Vec::new()
            }
        };
        match cms::check_token(contents, imprint) {
            Ok(checked) => {
                let report = self.timestamp_report(&checked, &checked.certificates);
                draft.report.intact = checked.imprint_ok;
                draft.report.valid = report.valid;
                draft.report.trusted = report.trusted;
                draft.report.signer = Some(report.authority.clone());
                if !report.valid {
                    draft
                        .report
                        .problems
                        .extend(checked.problems.iter().cloned());
                    draft.invalid = true;
                }
                if !report.trusted {
                    draft.doubt("the time-stamping authority does not chain to a configured root");
                }
                draft.report.timestamp = Some(report);
            }
            Err(problem) => draft.fail(problem),
        }
        Ok(())
    }

    fn timestamp_report(&self, checked: &cms::TokenCheck, pool: &[Vec<u8>]) -> TimestampReport {
        let trusted = checked.authority.as_ref().is_some_and(|cert| {
            let store = self.trust_store(pool.to_vec());
            chain::check_path(&store, cert, self.options.now).is_ok()
        });
        TimestampReport {
            time: checked.time,
            authority: checked
                .authority
                .as_ref()
                .map(|c| c.tbs_certificate().subject().to_string())
                .unwrap_or_default(),
            valid: checked.valid,
            trusted,
        }
    }

    fn trust_store(&self, mut pool: Vec<Vec<u8>>) -> TrustStore {
        pool.extend(self.dss.certs.iter().cloned());
        TrustStore {
            roots: self.options.trust_roots.clone(),
            pool,
            crls: self.dss.crls.clone(),
        }
    }

    fn check_trust(
        &self,
        cert: &x509_cert::Certificate,
        pool: Vec<Vec<u8>>,
        at: OffsetDateTime,
        draft: &mut Draft,
    ) {
        match chain::check_path(&self.trust_store(pool), cert, at) {
            Ok(()) => draft.report.trusted = true,
            Err(PathError::Revoked(problem)) => draft.fail(problem),
            Err(PathError::Untrusted(problem)) => draft.doubt(format!("not trusted: {problem}")),
        }
    }

    /// Later revisions: what they changed, and whether that is permitted.
    fn check_changes(&mut self, range: ByteRange, draft: &mut Draft) -> Result<()> {
        let changes = changes::changes_after(self.doc, self.revisions, range.end)?;
        draft.report.modification = changes.level;
        // A lock can deny permissions a certification grants, never add any.
        let permission = match draft.report.role {
            SignatureRole::Certification { permission } => Some(permission),
            SignatureRole::Lock { permission } => {
                Some(self.certified.map_or(permission, |c| c.min(permission)))
            }
            _ => self.certified,
        };
        let allowed = match permission {
            Some(1) => Modification::LongTermValidation,
            Some(3) => Modification::Annotations,
            _ => Modification::FormFilling,
        };
        if changes.level > allowed {
            draft.report.docmdp_ok = false;
            draft.fail(format!(
                "the document was changed after this signature beyond what is permitted ({})",
                changes.level.as_str()
            ));
            draft.report.problems.extend(changes.notes);
        }
        Ok(())
    }

    /// The PAdES level each CAdES signature reaches, given the whole file.
    pub(super) fn add_levels(&self, checked: &mut [(ByteRange, SignatureReport)]) {
        let stamps: Vec<(ByteRange, bool)> = checked
            .iter()
            .filter(|(_, r)| r.role == SignatureRole::DocumentTimestamp)
            .map(|(range, r)| (*range, r.verdict == Verdict::Valid))
            .collect();
        for (range, report) in checked.iter_mut() {
            if report.sub_filter != "ETSI.CAdES.detached" || report.verdict == Verdict::Invalid {
                continue;
            }
            let later_stamp = stamps.iter().any(|(r, ok)| *ok && r.end > range.end);
            let timestamped = report.timestamp.as_ref().is_some_and(|t| t.valid) || later_stamp;
            let dss_after = self.dss.offset.is_some_and(|o| o >= range.end)
                && (!self.dss.crls.is_empty() || self.dss.ocsps > 0);
            let lta = self
                .dss
                .offset
                .is_some_and(|o| stamps.iter().any(|(r, ok)| *ok && r.gap_start > o));
            report.pades_level = Some(match (timestamped, dss_after, lta) {
                (false, _, _) => "B-B",
                (true, false, _) => "B-T",
                (true, true, false) => "B-LT",
                (true, true, true) => "B-LTA",
            });
        }
    }
}
