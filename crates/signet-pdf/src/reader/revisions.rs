//! The revisions of a document one by one (the verifier compares them): each cross-reference
//! section of the /Prev chain with its own entries, and objects loaded as a given revision
//! defines them rather than as the newest one does.

use std::collections::HashMap;
use std::io::{Read, Seek};

use super::document::Document;
use super::xref::{self, ChainGuard, Section, XrefEntry};
use crate::error::{PdfError, Result};
use crate::syntax::{Dict, Object};

/// One cross-reference section: an original document or one incremental update.
pub(crate) struct Revision {
    /// Where the section starts (what `startxref` or `/Prev` points at).
    pub xref_offset: u64,
    /// The objects this section defines (or frees).
    pub entries: HashMap<u32, XrefEntry>,
    /// The section's own trailer.
    pub trailer: Dict,
}

impl<R: Read + Seek> Document<R> {
    /// Every section of the /Prev chain, oldest first.
    pub(crate) fn revisions(&mut self) -> Result<Vec<Revision>> {
        let mut revisions: Vec<Revision> = self
            .sections()?
            .into_iter()
            .map(|(xref_offset, section, _)| Revision {
                xref_offset,
                entries: section.entries.into_iter().collect(),
                trailer: section.trailer,
            })
            .collect();
        revisions.reverse();
        Ok(revisions)
    }

    /// Walks the /Prev chain from `startxref`: each section (a hybrid file's table combined
    /// with its /XRefStm stream) with its offset and whether it is a stream, newest first.
    /// Cycles, more than `max_revisions` sections and more than `max_objects` entries in all
    /// are refused as they are met.
    pub(super) fn sections(&mut self) -> Result<Vec<(u64, Section, bool)>> {
        let mut guard = ChainGuard::new(self.limits.max_revisions);
        let mut next = Some(self.startxref);
        let mut sections = Vec::new();
        let mut entries = 0u64;
        while let Some(offset) = next {
            if !guard.visit(offset)? {
                return Err(PdfError::malformed(
                    "cycle in the /Prev chain of cross-reference sections",
                ));
            }
            let (mut section, is_stream) = self.read_section(offset)?;
            next = section
                .trailer
                .int(b"Prev")
                .map(|p| u64::try_from(p).unwrap_or(u64::MAX));
            if let Some(x) = section
                .trailer
                .int(b"XRefStm")
                .and_then(|x| u64::try_from(x).ok())
                && guard.visit(x)?
            {
                let (stm, _) = self.read_section(x)?;
                section = xref::combine_hybrid(section, stm);
            }
            entries += section.entries.len() as u64;
            if entries > self.limits.max_objects {
                return Err(PdfError::limit("number of cross-reference entries"));
            }
            sections.push((offset, section, is_stream));
        }
        Ok(sections)
    }

    /// Loads object `num` from `entry` (a revision's own entry), bypassing the newest view.
    pub(crate) fn load_entry(&mut self, num: u32, entry: XrefEntry) -> Result<Object> {
        match entry {
            XrefEntry::Free => Ok(Object::Null),
            XrefEntry::Offset { offset, .. } => self.load_at(offset, Some(num)),
            XrefEntry::InStream { stream, index } => self.load_from_objstm(num, stream, index),
        }
    }
}
