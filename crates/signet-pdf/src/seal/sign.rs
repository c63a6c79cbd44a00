//! The sealing pipeline: plan the update, reserve the signature, stream, hash, sign, write; then,
//! for B-LT and B-LTA, the DSS update and the document time-stamp update.

use std::io::{Read, Seek, Write};

use sha2::{Digest, Sha256};

use super::form::{self, Edits};
use super::output::{Output, serialize};
use super::{
    PadesLevel, PadesOptions, SealOptions, SealOutcome, SignatureKind, cms, ltv, sigdict, widgets,
};
use crate::SealIdentity;
use crate::error::{PdfError, Result};
use crate::reader::{Document, pages};
use crate::stamp::{self, Stamp};
use crate::syntax::{Dict, ObjRef, Object};

pub(crate) fn seal_document<R: Read + Seek, W: Write>(
    input: R,
    output: W,
    stamps: &[Stamp],
    identity: &SealIdentity,
    options: &SealOptions,
    pades: &PadesOptions<'_>,
    limits: &crate::Limits,
) -> Result<SealOutcome> {
    let kind = signature_kind(options, pades)?;
    let mut doc = Document::open(input, limits)?;
    let pages = pages(&mut doc)?;
    let first = pages
        .first()
        .cloned()
        .ok_or_else(|| PdfError::malformed("the document has no pages"))?;
    let root = root_ref(&doc)?;
    let catalog = doc.catalog()?;
    let state = preflight(&mut doc, &catalog, stamps, kind)?;
    let mut edits = Edits::new(doc.next_object_number());
    stamp::apply(&mut doc, &mut edits, &pages, stamps)?;
    let with_fields = widgets::apply(&mut doc, &mut edits, &pages, pades.fields, &catalog)?;
    let sig = edits.alloc();
    let widget = edits.alloc();
    let name = form::unique_field_name(&state.names);
    let mut widget_dict = form::signature_widget(&name, sig, first.obj);
    if let SignatureKind::Lock { p } = kind {
        let lock = edits.alloc();
        edits.put(lock, sigdict::lock(p));
        widget_dict.set(b"Lock", Object::Ref(lock));
    }
    edits.put(widget, Object::Dict(widget_dict));
    form::add_annotation(&mut doc, &mut edits, &first, widget)?;
    let current = with_fields.clone().unwrap_or_else(|| catalog.clone());
    let mut new_catalog = form::add_field(&mut doc, &mut edits, &current, widget)?.or(with_fields);
    if let SignatureKind::Certification { .. } = kind {
        let mut cat = new_catalog.unwrap_or(current);
        let mut perms = Dict::new();
        perms.set(b"DocMDP", Object::Ref(sig));
        cat.set(b"Perms", Object::Dict(perms));
        new_catalog = Some(cat);
    }
    if let Some(cat) = new_catalog {
        edits.put(root, Object::Dict(cat));
    }
    let trailer = trailer(&doc, options)?;
    let mut reserve = cms::reserve_len(identity);
    if let Some(tsa) = pades.tsa.filter(|_| pades.level >= PadesLevel::BT) {
        reserve += tsa.max_token_len();
    }
    let body = sigdict::build(options, kind, reserve);
    let mut out = Output::new(output, &mut doc)?;
    let prepared = serialize(&mut doc, &mut edits, Some((sig, body)), &trailer, &out)?;
    out.copy_original(&mut doc)?;
    let contents = out.write_signed(prepared, |digest| {
        let cms = cms::build(identity, digest)?;
        match pades.tsa.filter(|_| pades.level >= PadesLevel::BT) {
            Some(tsa) => cms::add_signature_timestamp(&cms, tsa),
            None => Ok(cms),
        }
    })?;
    if pades.level >= PadesLevel::BLT {
        let mut edits = edits.next_revision();
        let data = ltv::DssData::collect(identity, &contents, &pades.validation, pades.tsa)?;
        ltv::add_dss(&mut doc, &mut edits, root, &data)?;
        let prepared = serialize(&mut doc, &mut edits, None, &trailer, &out)?;
        out.write_plain(prepared)?;
        if pades.level == PadesLevel::BLTA {
            let tsa = pades.tsa.ok_or_else(no_tsa)?;
            let mut edits = edits.next_revision();
            let (ts, body) =
                ltv::add_doc_timestamp(&mut doc, &mut edits, root, &first, &state.names, tsa)?;
            let prepared = serialize(&mut doc, &mut edits, Some((ts, body)), &trailer, &out)?;
            out.write_signed(prepared, |digest| tsa.timestamp(digest))?;
        }
    }
    out.finish()
}

fn no_tsa() -> PdfError {
    PdfError::InvalidInput("PAdES B-T and above need a time-stamping authority (tsa)".into())
}

/// The kind of signature to make, checking the options fit together.
fn signature_kind(options: &SealOptions, pades: &PadesOptions<'_>) -> Result<SignatureKind> {
    if pades.level >= PadesLevel::BT && pades.tsa.is_none() {
        return Err(no_tsa());
    }
    let kind = pades.kind.unwrap_or(if options.certify {
        SignatureKind::Certification { p: 1 }
    } else {
        SignatureKind::Approval
    });
    if let SignatureKind::Certification { p } | SignatureKind::Lock { p } = kind
        && !(1..=3).contains(&p)
    {
        return Err(PdfError::InvalidInput(format!(
            "DocMDP permissions must be 1, 2 or 3, not {p}"
        )));
    }
    Ok(kind)
}

fn root_ref<R: Read + Seek>(doc: &Document<R>) -> Result<ObjRef> {
    match doc.trailer().get(b"Root") {
        Some(Object::Ref(r)) => Ok(*r),
        _ => Err(PdfError::malformed(
            "the trailer /Root is not an indirect reference",
        )),
    }
}

/// Refuses documents whose existing certification forbids our changes.
fn preflight<R: Read + Seek>(
    doc: &mut Document<R>,
    catalog: &Dict,
    stamps: &[Stamp],
    kind: SignatureKind,
) -> Result<form::FormState> {
    let state = form::form_state(doc, catalog)?;
    if state.locked == Some(1) {
        return Err(PdfError::Forbidden(
            "a signature locked it against changes (/Lock with /P 1)".into(),
        ));
    }
    match form::docmdp_level(doc, catalog)? {
        Some(1) => {
            return Err(PdfError::Forbidden(
                "it is certified with 'no changes allowed' (DocMDP P=1)".into(),
            ));
        }
        Some(2) if !stamps.is_empty() => {
            return Err(PdfError::Forbidden(
                "its certification allows only form filling and signing, so stamps cannot be added (DocMDP P=2)".into(),
            ));
        }
        _ => {}
    }
    if state.signed && !stamps.is_empty() {
        return Err(PdfError::Forbidden(
            "it is already signed, and stamps would change signed page content and invalidate those signatures; stamp before the first signature or seal without stamps".into(),
        ));
    }
    if matches!(kind, SignatureKind::Certification { .. }) && state.signed {
        return Err(PdfError::Forbidden(
            "a certification (certify = true) must be the first signature, but the document is already signed; seal with certify = false".into(),
        ));
    }
    Ok(state)
}

/// The trailer of every update: /Size, /Root, /Info from the input, a fresh second /ID.
fn trailer<R: Read + Seek>(doc: &Document<R>, options: &SealOptions) -> Result<Dict> {
    let old = doc.trailer();
    let mut t = Dict::new();
    for key in [&b"Size"[..], b"Root", b"Info"] {
        if let Some(v) = old.get(key) {
            t.set(key, v.clone());
        }
    }
    let first_id = old
        .get(b"ID")
        .and_then(Object::as_array)
        .and_then(|a| a.first())
        .and_then(Object::as_string)
        .map(<[u8]>::to_vec);
    let mut h = Sha256::new();
    h.update(doc.src.len().to_be_bytes());
    h.update(options.signing_time.unix_timestamp().to_be_bytes());
    h.update(first_id.as_deref().unwrap_or_default());
    let fresh = h.finalize().get(..16).unwrap_or_default().to_vec();
    t.set(
        b"ID",
        Object::Array(vec![
            Object::String(first_id.unwrap_or_else(|| fresh.clone())),
            Object::String(fresh),
        ]),
    );
    Ok(t)
}
