//! The verifier: every signature of a PDF checked for integrity, cryptographic validity,
//! trust (configured roots only), coverage, changes made after it and its PAdES level, with a
//! bottom line per signature and for the file. Stricter than pyHanko where that is cheap:
//! bytes after the final `%%EOF` that no signature covers make the file invalid.

mod chain;
mod changes;
mod cms;
mod crypto;
pub(crate) mod report;
mod structure;

use std::io::{Read, Seek};

use const_oid::db::rfc5911;
use time::OffsetDateTime;

use self::chain::TrustStore;
use self::crypto::{Check, Hash};
use self::report::{
    Coverage, Modification, SignatureReport, SignatureRole, TimestampReport, Verdict, VerifyReport,
};
use self::structure::{ByteRange, FileShape, SignedField};
use crate::error::Result;
use crate::limits::Limits;
use crate::reader::{Document, Revision};
use crate::syntax::{Dict, Object};

/// What the verifier trusts and when it checks.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// Root certificates (DER) that make a chain trusted; nothing else is.
    pub trust_roots: Vec<Vec<u8>>,
    /// The validation time for certificates not covered by a trusted time-stamp.
    pub now: OffsetDateTime,
}

/// Verifies every signature of the document.
pub(crate) fn verify_document<R: Read + Seek>(
    input: R,
    options: &VerifyOptions,
    limits: &Limits,
) -> Result<VerifyReport> {
    let mut doc = Document::open(input, limits)?;
    let shape = structure::file_shape(&mut doc)?;
    let revisions = doc.revisions()?;
    let fields = structure::signed_fields(&mut doc)?;
    let dss = dss_material(&mut doc)?;
    let certified = certification_level(&mut doc)?;
    let mut context = Context {
        doc: &mut doc,
        shape: &shape,
        revisions: &revisions,
        options,
        dss,
        certified,
    };
    let mut checked: Vec<(ByteRange, SignatureReport)> = Vec::new();
    let mut broken = Vec::new();
    for field in &fields {
        match context.check(field)? {
            (Some(range), report) => checked.push((range, report)),
            (None, report) => broken.push(report),
        }
    }
    checked.sort_by_key(|(range, _)| range.end);
    context.add_levels(&mut checked);
    let covered_to = checked.iter().map(|(r, _)| r.end).max().unwrap_or(0);
    let mut signatures: Vec<SignatureReport> = checked.into_iter().map(|(_, r)| r).collect();
    signatures.extend(broken);
    let last_end = shape.revision_ends.last().copied().unwrap_or(shape.len);
    let trailing_bytes = shape.len.saturating_sub(last_end);
    let mut problems = Vec::new();
    if signatures.is_empty() {
        problems.push("the document has no signatures".to_string());
    }
    if trailing_bytes > 0 && covered_to < shape.len {
        problems.push(format!(
            "{trailing_bytes} bytes after the final %%EOF are not covered by any signature"
        ));
    }
    let verdict = signatures
        .iter()
        .map(|s| s.verdict)
        .chain((!problems.is_empty()).then_some(Verdict::Invalid))
        .max()
        .unwrap_or(Verdict::Invalid);
    Ok(VerifyReport {
        sha256: shape.sha256,
        revisions: revisions.len(),
        signatures,
        trailing_bytes,
        problems,
        verdict,
    })
}

/// Certificates and CRLs in the document security store.
struct Dss {
    certs: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
    /// Where the DSS dictionary is defined (a later document time-stamp must cover it).
    offset: Option<u64>,
}

fn dss_material<R: Read + Seek>(doc: &mut Document<R>) -> Result<Dss> {
    let catalog = doc.catalog()?;
    let reference = catalog.get(b"DSS").cloned().unwrap_or(Object::Null);
    let offset = match &reference {
        Object::Ref(r) => match doc.entry(r.num) {
            Some(crate::reader::xref::XrefEntry::Offset { offset, .. }) => Some(offset),
            _ => None,
        },
        _ => None,
    };
    let mut dss = Dss {
        certs: Vec::new(),
        crls: Vec::new(),
        offset,
    };
    let Some(dict) = doc.resolve_dict(&reference)? else {
        return Ok(dss);
    };
    dss.certs = streams_of(doc, &dict, b"Certs")?;
    dss.crls = streams_of(doc, &dict, b"CRLs")?;
    Ok(dss)
}

fn streams_of<R: Read + Seek>(
    doc: &mut Document<R>,
    dict: &Dict,
    key: &[u8],
) -> Result<Vec<Vec<u8>>> {
    let list = doc.resolve(dict.get(key).unwrap_or(&Object::Null))?;
    let mut out = Vec::new();
    for item in list.as_array().unwrap_or_default() {
        if let Object::Stream(s) = doc.resolve(item)? {
            out.push(doc.decode_stream(&s)?);
        }
    }
    Ok(out)
}

/// The DocMDP permission of the document's certification signature, if it has one.
fn certification_level<R: Read + Seek>(doc: &mut Document<R>) -> Result<Option<u8>> {
    let catalog = doc.catalog()?;
    let level = crate::seal::form::docmdp_level(doc, &catalog)?;
    Ok(level.map(|p| u8::try_from(p.clamp(1, 3)).unwrap_or(1)))
}

/// The DocMDP /P of a signature dictionary's own DocMDP reference, if it has one.
fn own_docmdp(doc_sig: &Dict) -> Option<u8> {
    let refs = doc_sig.get(b"Reference")?.as_array()?;
    refs.iter().filter_map(Object::as_dict).find_map(|r| {
        (r.name(b"TransformMethod") == Some(b"DocMDP")).then(|| {
            let p = r
                .get(b"TransformParams")
                .and_then(Object::as_dict)
                .and_then(|t| t.int(b"P"))
                .unwrap_or(2);
            u8::try_from(p.clamp(1, 3)).unwrap_or(2)
        })
    })
}

struct Context<'a, R> {
    doc: &'a mut Document<R>,
    shape: &'a FileShape,
    revisions: &'a [Revision],
    options: &'a VerifyOptions,
    dss: Dss,
    certified: Option<u8>,
}

/// A report being filled in.
struct Draft {
    report: SignatureReport,
    invalid: bool,
    indeterminate: bool,
}

impl Draft {
    fn fail(&mut self, problem: impl Into<String>) {
        self.report.problems.push(problem.into());
        self.invalid = true;
    }

    fn doubt(&mut self, problem: impl Into<String>) {
        self.report.problems.push(problem.into());
        self.indeterminate = true;
    }

    fn finish(mut self) -> SignatureReport {
        self.report.verdict = if self.invalid {
            Verdict::Invalid
        } else if self.indeterminate {
            Verdict::Indeterminate
        } else {
            Verdict::Valid
        };
        self.report
    }
}

impl<R: Read + Seek> Context<'_, R> {
    /// Checks one signature; the range is `None` when its structure is too broken to use.
    fn check(&mut self, field: &SignedField) -> Result<(Option<ByteRange>, SignatureReport)> {
        let mut draft = self.draft(field);
        self.check_dictionary(field, &mut draft);
        let (range, contents) = match structure::check_byte_range(self.doc, field)? {
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

    fn draft(&self, field: &SignedField) -> Draft {
        let d = &field.dict;
        let role = if d.name(b"Type") == Some(b"DocTimeStamp")
            || d.name(b"SubFilter") == Some(b"ETSI.RFC3161")
        {
            SignatureRole::DocumentTimestamp
        } else if let Some(permission) = own_docmdp(d) {
            SignatureRole::Certification { permission }
        } else {
            SignatureRole::Approval
        };
        let claimed_time = d
            .get(b"M")
            .and_then(Object::as_string)
            .and_then(parse_pdf_date);
        Draft {
            report: SignatureReport {
                field: field.name.clone(),
                role,
                sub_filter: String::from_utf8_lossy(d.name(b"SubFilter").unwrap_or_default())
                    .into_owned(),
                signer: None,
                claimed_time,
                intact: false,
                valid: false,
                trusted: false,
                coverage: Coverage::Partial,
                modification: Modification::None,
                docmdp_ok: true,
                pades_level: None,
                timestamp: None,
                problems: Vec::new(),
                verdict: Verdict::Invalid,
            },
            invalid: false,
            indeterminate: false,
        }
    }

    /// /Type and /SubFilter must name what the signature is.
    fn check_dictionary(&self, field: &SignedField, draft: &mut Draft) {
        let d = &field.dict;
        let sub_filter = draft.report.sub_filter.clone();
        match (draft.report.role, d.name(b"Type")) {
            (SignatureRole::DocumentTimestamp, Some(b"DocTimeStamp") | None) => {}
            (SignatureRole::DocumentTimestamp, _) => {
                draft.fail("a document time-stamp must have /Type /DocTimeStamp")
            }
            (_, Some(b"Sig") | None) => {}
            (_, Some(other)) => draft.fail(format!(
                "/Type /{} is not a signature",
                String::from_utf8_lossy(other)
            )),
        }
        let expected: &[&str] = match draft.report.role {
            SignatureRole::DocumentTimestamp => &["ETSI.RFC3161"],
            _ => &["ETSI.CAdES.detached", "adbe.pkcs7.detached"],
        };
        if !expected.contains(&sub_filter.as_str()) {
            draft.fail(format!(
                "/SubFilter /{sub_filter} is not one of {}",
                expected.join(", ")
            ));
        }
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
        let mut digests = Vec::new();
        for hash in [Hash::Sha256, Hash::Sha384, Hash::Sha512] {
            digests.push((hash, self.digest(range, hash)?));
        }
        let imprint = |h: Hash| {
            digests
                .iter()
                .find(|(k, _)| *k == h)
                .map(|(_, d)| d.clone())
                .unwrap_or_default()
        };
        match cms::check_token(contents, imprint) {
            Ok(checked) => {
                let report = self.timestamp_report(&checked, &checked.certificates);
                draft.report.intact = !checked
                    .problems
                    .iter()
                    .any(|p| p.contains("stamp these bytes"));
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
            Err(problem) if problem.contains("revoked") => draft.fail(problem),
            Err(problem) => draft.doubt(format!("not trusted: {problem}")),
        }
    }

    /// Later revisions: what they changed, and whether that is permitted.
    fn check_changes(&mut self, range: ByteRange, draft: &mut Draft) -> Result<()> {
        let changes = changes::changes_after(self.doc, self.revisions, range.end)?;
        draft.report.modification = changes.level;
        let permission = match draft.report.role {
            SignatureRole::Certification { permission } => Some(permission),
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
    fn add_levels(&self, checked: &mut [(ByteRange, SignatureReport)]) {
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
            let dss_after =
                self.dss.offset.is_some_and(|o| o >= range.end) && !self.dss.crls.is_empty();
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

/// `D:YYYYMMDDHHmmSS` with an optional `Z` or `+HH'mm'` offset.
fn parse_pdf_date(raw: &[u8]) -> Option<OffsetDateTime> {
    let text = std::str::from_utf8(raw).ok()?.strip_prefix("D:")?;
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<i32>().ok());
    let date = time::Date::from_calendar_date(
        num(0..4)?,
        time::Month::try_from(u8::try_from(num(4..6).unwrap_or(1)).ok()?).ok()?,
        u8::try_from(num(6..8).unwrap_or(1)).ok()?,
    )
    .ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(num(8..10).unwrap_or(0)).ok()?,
        u8::try_from(num(10..12).unwrap_or(0)).ok()?,
        u8::try_from(num(12..14).unwrap_or(0)).ok()?,
    )
    .ok()?;
    let offset = match text.get(14..15) {
        Some(sign @ ("+" | "-")) => {
            let minutes = num(15..17)? * 60 + num(18..20).unwrap_or(0);
            let seconds = if sign == "-" {
                -minutes * 60
            } else {
                minutes * 60
            };
            time::UtcOffset::from_whole_seconds(seconds).ok()?
        }
        _ => time::UtcOffset::UTC,
    };
    Some(time::PrimitiveDateTime::new(date, clock).assume_offset(offset))
}
