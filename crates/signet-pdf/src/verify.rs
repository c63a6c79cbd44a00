//! The verifier: every signature of a PDF checked for integrity, cryptographic validity,
//! trust (configured roots only), coverage, changes made after it and its PAdES level, with a
//! bottom line per signature and for the file. Stricter than pyHanko where that is cheap:
//! bytes after the final `%%EOF` that no signature covers make the file invalid.

pub(crate) mod chain;
mod changes;
mod cms;
mod crypto;
mod draft;
mod pass;
pub(crate) mod report;
mod signature;
mod structure;

use std::io::{Read, Seek};

use time::OffsetDateTime;

use self::report::{SignatureReport, Verdict, VerifyReport};
use self::signature::Context;
use self::structure::ByteRange;
use crate::error::Result;
use crate::limits::Limits;
use crate::reader::Document;
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
    let revisions = doc.revisions()?;
    let fields = structure::signed_fields(&mut doc)?;
    // Each signature's /ByteRange and /Contents, checked once: the ranges feed the one pass
    // over the file, and the checks below reuse the result.
    let mut structures = Vec::with_capacity(fields.len());
    for field in &fields {
        structures.push(structure::check_byte_range(&mut doc, field)?);
    }
    let ranges: Vec<ByteRange> = structures
        .iter()
        .filter_map(|s| s.as_ref().ok().map(|(range, _)| *range))
        .collect();
    let (shape, digests) = pass::file_shape(&mut doc, &ranges)?;
    let dss = dss_material(&mut doc)?;
    let certified = certification_level(&mut doc)?;
    let mut context = Context {
        doc: &mut doc,
        shape: &shape,
        revisions: &revisions,
        options,
        dss,
        certified,
        sha256_of: ranges.into_iter().zip(digests).collect(),
    };
    let mut checked: Vec<(ByteRange, SignatureReport)> = Vec::new();
    let mut broken = Vec::new();
    for (field, structure) in fields.iter().zip(structures) {
        match context.check(field, structure)? {
            (Some(range), report) => checked.push((range, report)),
            (None, report) => broken.push(report),
        }
    }
    checked.sort_by_key(|(range, _)| range.end);
    context.add_levels(&mut checked);
    let covered_to = checked.iter().map(|(r, _)| r.end).max().unwrap_or(0);
    let mut signatures: Vec<SignatureReport> = checked.into_iter().map(|(_, r)| r).collect();
    signatures.extend(broken);
    let trailing_bytes = shape.trailing_bytes(doc.startxref);
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
pub(super) struct Dss {
    certs: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
    /// How many OCSP responses it holds (they count as revocation data for the level; the
    /// verifier does not check OCSP itself).
    ocsps: usize,
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
        ocsps: 0,
        offset,
    };
    let Some(dict) = doc.resolve_dict(&reference)? else {
        return Ok(dss);
    };
    dss.certs = streams_of(doc, &dict, b"Certs")?;
    dss.crls = streams_of(doc, &dict, b"CRLs")?;
    dss.ocsps = streams_of(doc, &dict, b"OCSPs")?.len();
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
