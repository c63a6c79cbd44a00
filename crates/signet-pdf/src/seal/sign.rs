//! The sealing pipeline: plan the update, reserve the signature, stream, hash, sign, write.

use std::io::{Read, Seek, Write};

use sha2::{Digest, Sha256};

use super::form::{self, Edits};
use super::update::UpdateWriter;
use super::{SealOptions, SealOutcome, cms, sigdict};
use crate::SealIdentity;
use crate::error::{PdfError, Result};
use crate::reader::{Document, pages};
use crate::stamp::{self, Stamp};
use crate::syntax::{Dict, ObjRef, Object};

/// The serialised update and where the signature placeholders sit in it.
struct Prepared {
    update: Vec<u8>,
    contents_start: usize,
    contents_end: usize,
    reserve: usize,
}

pub(crate) fn seal_document<R: Read + Seek, W: Write>(
    input: R,
    output: W,
    stamps: &[Stamp],
    identity: &SealIdentity,
    options: &SealOptions,
    limits: &crate::Limits,
) -> Result<SealOutcome> {
    let mut doc = Document::open(input, limits)?;
    let pages = pages(&mut doc)?;
    let first = pages
        .first()
        .cloned()
        .ok_or_else(|| PdfError::malformed("the document has no pages"))?;
    let root = match doc.trailer().get(b"Root") {
        Some(Object::Ref(r)) => *r,
        _ => {
            return Err(PdfError::malformed(
                "the trailer /Root is not an indirect reference",
            ));
        }
    };
    let catalog = doc.catalog()?;
    let state = preflight(&mut doc, &catalog, stamps, options)?;
    let mut edits = Edits::new(doc.next_object_number());
    stamp::apply(&mut doc, &mut edits, &pages, stamps)?;
    let sig = edits.alloc();
    let widget = edits.alloc();
    edits.put(
        widget,
        form::signature_widget(&form::unique_field_name(&state.names), sig, first.obj),
    );
    form::add_annotation(&mut doc, &mut edits, &first, widget)?;
    let mut new_catalog = form::add_field(&mut doc, &mut edits, &catalog, widget)?;
    if options.certify {
        let mut cat = new_catalog.unwrap_or_else(|| catalog.clone());
        let mut perms = Dict::new();
        perms.set(b"DocMDP", Object::Ref(sig));
        cat.set(b"Perms", Object::Dict(perms));
        new_catalog = Some(cat);
    }
    if let Some(cat) = new_catalog {
        edits.put(root, Object::Dict(cat));
    }
    let prepared = prepare(&mut doc, edits, sig, options, cms::reserve_len(identity))?;
    stream_out(&mut doc, output, prepared, identity)
}

/// Refuses documents whose existing certification forbids our changes.
fn preflight<R: Read + Seek>(
    doc: &mut Document<R>,
    catalog: &Dict,
    stamps: &[Stamp],
    options: &SealOptions,
) -> Result<form::FormState> {
    let state = form::form_state(doc, catalog)?;
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
    if options.certify && state.signed {
        return Err(PdfError::Forbidden(
            "a certification (certify = true) must be the first signature, but the document is already signed; seal with certify = false".into(),
        ));
    }
    Ok(state)
}

/// Serialises the update with the signature dictionary and fills in /ByteRange.
fn prepare<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: Edits,
    sig: ObjRef,
    options: &SealOptions,
    reserve: usize,
) -> Result<Prepared> {
    let len = doc.src.len();
    let last = doc.src.read_at(len.saturating_sub(1), 1)?;
    let needs_eol = !matches!(last.first(), Some(b'\n' | b'\r'));
    let mut edits = edits;
    let xref_stream = doc.newest_xref_is_stream().then(|| edits.alloc());
    let mut w = UpdateWriter::new(len, needs_eol);
    for (r, obj) in edits.objects.values() {
        w.add(*r, obj);
    }
    let body = sigdict::build(options, reserve);
    let at = w.add_raw(sig, &body.bytes);
    let trailer = trailer(doc, options)?;
    let mut update = w.finish(trailer, doc.startxref, xref_stream);
    let (contents_start, contents_end) = (at + body.contents_start, at + body.contents_end);
    let total = len + update.len() as u64;
    let range = [
        0,
        len + contents_start as u64,
        len + contents_end as u64,
        total - (len + contents_end as u64),
    ];
    let patch_at = at + body.byterange_at;
    if !sigdict::patch_byterange(&mut update, patch_at, range) {
        return Err(PdfError::limit("file size for /ByteRange"));
    }
    Ok(Prepared {
        update,
        contents_start,
        contents_end,
        reserve,
    })
}

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

/// Copies the original while hashing, signs, then writes the completed update.
fn stream_out<R: Read + Seek, W: Write>(
    doc: &mut Document<R>,
    mut output: W,
    p: Prepared,
    identity: &SealIdentity,
) -> Result<SealOutcome> {
    let mut signed = Sha256::new();
    let mut whole = Sha256::new();
    let len = doc.src.len();
    doc.src.copy_range(0, len, |chunk| {
        signed.update(chunk);
        whole.update(chunk);
        output.write_all(chunk).map_err(PdfError::from)
    })?;
    let mut update = p.update;
    signed.update(update.get(..p.contents_start).unwrap_or_default());
    signed.update(update.get(p.contents_end..).unwrap_or_default());
    let digest: [u8; 32] = signed.finalize().into();
    let cms = cms::build(identity, &digest)?;
    if cms.len() > p.reserve {
        return Err(PdfError::SignatureTooLarge {
            needed: cms.len(),
            reserved: p.reserve,
        });
    }
    let hex: Vec<u8> = cms
        .iter()
        .flat_map(|b| format!("{b:02X}").into_bytes())
        .collect();
    let slot = update
        .get_mut(p.contents_start + 1..p.contents_start + 1 + hex.len())
        .ok_or_else(|| PdfError::Internal("signature slot".into()))?;
    slot.copy_from_slice(&hex);
    output.write_all(&update)?;
    output.flush()?;
    whole.update(&update);
    Ok(SealOutcome {
        sha256: whole.finalize().into(),
        size: len + update.len() as u64,
    })
}
