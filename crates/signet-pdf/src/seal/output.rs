//! The output side of sealing: serialising an update, filling a signature placeholder from a
//! running hash of everything written before it, and writing the bytes out exactly once.

use std::io::{Read, Seek, Write};

use sha2::{Digest, Sha256};

use super::SealOutcome;
use super::form::Edits;
use super::sigdict::{self, SigBody};
use super::update::UpdateWriter;
use crate::error::{PdfError, Result};
use crate::reader::Document;
use crate::syntax::{Dict, ObjRef, Object};

/// A serialised update, with the position of its /Contents placeholder if it is signed.
pub(crate) struct Prepared {
    update: Vec<u8>,
    /// Offsets of `<` and one past `>` of /Contents within `update`.
    contents: Option<(usize, usize)>,
    xref_at: u64,
}

/// Serialises `edits` (and the signature dictionary `sig`, whose /ByteRange gets filled in) as
/// one incremental update appended to what `out` has written so far.
pub(crate) fn serialize<R: Read + Seek, W: Write>(
    doc: &mut Document<R>,
    edits: &mut Edits,
    sig: Option<(ObjRef, SigBody)>,
    trailer: &Dict,
    out: &Output<W>,
) -> Result<Prepared> {
    let xref_stream = doc.newest_xref_is_stream().then(|| edits.alloc());
    let mut w = UpdateWriter::new(out.len, out.needs_eol);
    for (r, obj) in edits.objects.values() {
        w.add(*r, obj);
    }
    let placed = sig.map(|(r, body)| (w.add_raw(r, &body.bytes), body));
    let mut t = trailer.clone();
    t.set(b"Size", Object::Int(i64::from(edits.next_free())));
    let xref_at = w.xref_offset();
    let mut update = w.finish(t, out.prev_xref, xref_stream);
    let mut contents = None;
    if let Some((at, body)) = placed {
        let (start, end) = (at + body.contents_start, at + body.contents_end);
        let total = out.len + update.len() as u64;
        let range = [
            0,
            out.len + start as u64,
            out.len + end as u64,
            total - (out.len + end as u64),
        ];
        if !sigdict::patch_byterange(&mut update, at + body.byterange_at, range) {
            return Err(PdfError::limit("file size for /ByteRange"));
        }
        contents = Some((start, end));
    }
    Ok(Prepared {
        update,
        contents,
        xref_at,
    })
}

/// The output stream, the SHA-256 of everything written to it, and where the last xref is.
pub(crate) struct Output<W> {
    w: W,
    whole: Sha256,
    len: u64,
    prev_xref: u64,
    needs_eol: bool,
}

impl<W: Write> Output<W> {
    /// Starts an output that will begin with `doc`'s bytes (written by
    /// [`Output::copy_original`] before the first update).
    pub(crate) fn new<R: Read + Seek>(w: W, doc: &mut Document<R>) -> Result<Self> {
        let len = doc.src.len();
        let last = doc.src.read_at(len.saturating_sub(1), 1)?;
        Ok(Output {
            w,
            whole: Sha256::new(),
            len,
            prev_xref: doc.startxref,
            // The first update must start on a fresh line.
            needs_eol: !matches!(last.first(), Some(b'\n' | b'\r')),
        })
    }

    /// Copies the input through unchanged, hashing it on the way.
    pub(crate) fn copy_original<R: Read + Seek>(&mut self, doc: &mut Document<R>) -> Result<()> {
        let (w, whole) = (&mut self.w, &mut self.whole);
        doc.src.copy_range(0, doc.src.len(), |chunk| {
            whole.update(chunk);
            w.write_all(chunk).map_err(PdfError::from)
        })
    }

    fn emit(&mut self, bytes: &[u8]) -> Result<()> {
        self.w.write_all(bytes)?;
        self.whole.update(bytes);
        self.len += bytes.len() as u64;
        // Our updates end with a newline.
        self.needs_eol = false;
        Ok(())
    }

    /// Writes an unsigned update.
    pub(crate) fn write_plain(&mut self, p: Prepared) -> Result<()> {
        self.emit(&p.update)?;
        self.prev_xref = p.xref_at;
        Ok(())
    }

    /// Hashes everything before and after the placeholder, asks `make` for the DER to put in
    /// /Contents, writes the update and returns the /Contents bytes (DER plus zero padding).
    pub(crate) fn write_signed(
        &mut self,
        p: Prepared,
        make: impl FnOnce(&[u8; 32]) -> Result<Vec<u8>>,
    ) -> Result<Vec<u8>> {
        let (start, end) = p
            .contents
            .ok_or_else(|| PdfError::Internal("signed update without placeholder".into()))?;
        let mut update = p.update;
        let mut h = self.whole.clone();
        h.update(update.get(..start).unwrap_or_default());
        h.update(update.get(end..).unwrap_or_default());
        let digest: [u8; 32] = h.finalize().into();
        let der = make(&digest)?;
        let reserved = (end - start).saturating_sub(2) / 2;
        if der.len() > reserved {
            return Err(PdfError::SignatureTooLarge {
                needed: der.len(),
                reserved,
            });
        }
        let hex: Vec<u8> = der
            .iter()
            .flat_map(|b| format!("{b:02X}").into_bytes())
            .collect();
        update
            .get_mut(start + 1..start + 1 + hex.len())
            .ok_or_else(|| PdfError::Internal("signature slot".into()))?
            .copy_from_slice(&hex);
        self.emit(&update)?;
        self.prev_xref = p.xref_at;
        let mut padded = der;
        padded.resize(reserved, 0);
        Ok(padded)
    }

    /// Flushes and reports the output's hash and size.
    pub(crate) fn finish(mut self) -> Result<SealOutcome> {
        self.w.flush()?;
        Ok(SealOutcome {
            sha256: self.whole.finalize().into(),
            size: self.len,
        })
    }
}
