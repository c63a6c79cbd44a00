//! The lazy document: trailer and xref chain up front, objects loaded by offset on demand.

use std::collections::HashMap;
use std::io::{Read, Seek};

use super::filters;
use super::parse::{find_startxref, objstm_header, parse_indirect};
use super::source::{Source, find};
use super::xref::{self, Section, XrefEntry, XrefMap};
use crate::error::{PdfError, Result};
use crate::limits::{DecodeBudget, Limits};
use crate::syntax::lexer::Lexer;
use crate::syntax::parser::Parser;
use crate::syntax::{Dict, ObjRef, Object, Stream, StreamBody};

/// Largest window used to parse one non-stream object (real objects are far smaller).
const MAX_OBJECT_WINDOW: usize = 16 * 1024 * 1024;
/// Largest window for one classic xref table (20 bytes per entry, 1M entries by default).
const MAX_TABLE_WINDOW: usize = 96 * 1024 * 1024;
/// Maximum length of a chain of references resolved in one go.
const MAX_REF_HOPS: u32 = 32;

/// A PDF opened lazily from `R`.
pub(crate) struct Document<R> {
    pub src: Source<R>,
    xref: XrefMap,
    /// Offset of the newest xref section (the value after the last `startxref`).
    pub startxref: u64,
    /// The version from the header, e.g. "1.7".
    pub version: String,
    pub limits: Limits,
    budget: DecodeBudget,
    cache: HashMap<u32, Object>,
    depth: u32,
}

impl<R: Read + Seek> Document<R> {
    /// Opens a document: checks the header, reads the xref chain, rejects encryption.
    pub(crate) fn open(input: R, limits: &Limits) -> Result<Self> {
        let mut src = Source::new(input)?;
        if src.len() > limits.max_file_size {
            return Err(PdfError::limit("file size"));
        }
        let head = src.read_at(0, 1024)?;
        let hpos = find(&head, b"%PDF-").ok_or(PdfError::NotPdf)?;
        let version: String = head
            .get(hpos + 5..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b'.')
            .map(|b| char::from(*b))
            .collect();
        let startxref = find_startxref(&mut src)?;
        let mut doc = Document {
            src,
            xref: XrefMap::default(),
            startxref,
            version,
            limits: limits.clone(),
            budget: DecodeBudget::new(limits),
            cache: HashMap::new(),
            depth: 0,
        };
        doc.load_xref_chain()?;
        if doc.xref.trailer.contains(b"Encrypt") {
            return Err(PdfError::Encrypted);
        }
        if let Some(Object::Name(v)) = doc.catalog()?.get(b"Version") {
            let v = String::from_utf8_lossy(v).to_string();
            if v.as_str() > doc.version.as_str() {
                doc.version = v;
            }
        }
        Ok(doc)
    }

    fn load_xref_chain(&mut self) -> Result<()> {
        for (i, (_, section, is_stream)) in self.sections()?.into_iter().enumerate() {
            if i == 0 {
                self.xref.newest_is_stream = is_stream;
            }
            self.xref.merge(section, self.limits.max_objects)?;
        }
        if !self.xref.trailer.contains(b"Root") {
            return Err(PdfError::malformed(
                "the trailer has no /Root (document catalog)",
            ));
        }
        Ok(())
    }

    /// Reads one xref section (table or stream) at `offset`.
    pub(super) fn read_section(&mut self, offset: u64) -> Result<(Section, bool)> {
        if offset >= self.src.len() {
            return Err(PdfError::malformed(
                "startxref/Prev points beyond the end of the file",
            ));
        }
        let max_objects = self.limits.max_objects;
        let start = self.src.read_at(offset, 16)?;
        let skip = start.iter().take_while(|b| b.is_ascii_whitespace()).count() as u64;
        if start
            .get(skip as usize..)
            .is_some_and(|s| s.starts_with(b"xref"))
        {
            let s = self
                .src
                .with_window(offset + skip, MAX_TABLE_WINDOW, |buf, partial| {
                    xref::parse_table(buf, partial, max_objects)
                })?;
            return Ok((s, false));
        }
        let obj = self.load_at(offset, None)?;
        let Object::Stream(stream) = obj else {
            return Err(PdfError::malformed(
                "startxref does not point to an xref table or stream",
            ));
        };
        if stream.dict.name(b"Type") != Some(b"XRef") {
            return Err(PdfError::malformed(
                "startxref points to an object that is not an xref stream",
            ));
        }
        let data = self.decode_stream(&stream)?;
        let entries = xref::parse_stream_entries(&stream.dict, &data, max_objects)?;
        Ok((
            Section {
                entries,
                trailer: stream.dict,
            },
            true,
        ))
    }

    /// The newest cross-reference entry of object `num`.
    pub(crate) fn entry(&self, num: u32) -> Option<XrefEntry> {
        self.xref.entries.get(&num).copied()
    }

    /// The merged trailer dictionary.
    pub(crate) fn trailer(&self) -> &Dict {
        &self.xref.trailer
    }

    /// Whether the newest xref section is a stream.
    pub(crate) fn newest_xref_is_stream(&self) -> bool {
        self.xref.newest_is_stream
    }

    /// One more than the highest object number in use (for numbering new objects).
    pub(crate) fn next_object_number(&self) -> u32 {
        let max_key = self
            .xref
            .entries
            .keys()
            .max()
            .map_or(0, |m| m.saturating_add(1));
        let size = self
            .xref
            .trailer
            .int(b"Size")
            .and_then(|s| u32::try_from(s).ok())
            .unwrap_or(0);
        max_key.max(size).max(1)
    }

    /// The document catalog.
    pub(crate) fn catalog(&mut self) -> Result<Dict> {
        let root = self
            .xref
            .trailer
            .get(b"Root")
            .cloned()
            .unwrap_or(Object::Null);
        self.resolve(&root)?
            .as_dict()
            .cloned()
            .ok_or_else(|| PdfError::malformed("the document catalog is not a dictionary"))
    }

    /// Loads object `r` (null if it does not exist, as the PDF spec prescribes).
    pub(crate) fn get(&mut self, r: ObjRef) -> Result<Object> {
        if let Some(o) = self.cache.get(&r.num) {
            return Ok(o.clone());
        }
        if self.depth > 16 {
            return Err(PdfError::malformed(
                "cycle of indirect references while loading objects",
            ));
        }
        self.depth += 1;
        let result = self.load(r);
        self.depth -= 1;
        let obj = result?;
        self.cache.insert(r.num, obj.clone());
        Ok(obj)
    }

    fn load(&mut self, r: ObjRef) -> Result<Object> {
        match self.xref.entries.get(&r.num).copied() {
            None | Some(XrefEntry::Free) => Ok(Object::Null),
            Some(XrefEntry::Offset { offset, .. }) => self.load_at(offset, Some(r.num)),
            Some(XrefEntry::InStream { stream, index }) => {
                self.load_from_objstm(r.num, stream, index)
            }
        }
    }

    /// Follows references until a direct object.
    pub(crate) fn resolve(&mut self, obj: &Object) -> Result<Object> {
        let mut cur = obj.clone();
        for _ in 0..MAX_REF_HOPS {
            match cur {
                Object::Ref(r) => cur = self.get(r)?,
                other => return Ok(other),
            }
        }
        Err(PdfError::malformed("chain of references too long"))
    }

    /// Resolves `obj` and returns it if it is a dictionary (or a stream's dictionary).
    pub(crate) fn resolve_dict(&mut self, obj: &Object) -> Result<Option<Dict>> {
        Ok(self.resolve(obj)?.as_dict().cloned())
    }

    /// Parses the indirect object at `offset`; checks its number when `expect` is given.
    pub(crate) fn load_at(&mut self, offset: u64, expect: Option<u32>) -> Result<Object> {
        let max_depth = self.limits.max_depth;
        let parsed = self
            .src
            .with_window(offset, MAX_OBJECT_WINDOW, |buf, partial| {
                parse_indirect(buf, partial, max_depth)
            })
            .map_err(|e| match e {
                PdfError::Malformed { reason } => {
                    PdfError::malformed(format!("object at offset {offset}: {reason}"))
                }
                other => other,
            })?;
        if let Some(n) = expect
            && n != parsed.num
        {
            return Err(PdfError::malformed(format!(
                "cross-reference entry for object {n} points to object {}",
                parsed.num
            )));
        }
        match (parsed.obj, parsed.data_pos) {
            (Object::Dict(dict), Some(pos)) => {
                let data_offset = offset + pos as u64;
                let len = self.stream_length(&dict, data_offset)?;
                Ok(Object::Stream(Box::new(Stream {
                    dict,
                    body: StreamBody::File {
                        offset: data_offset,
                        len,
                    },
                })))
            }
            (obj, _) => Ok(obj),
        }
    }

    /// Determines a stream's length from /Length, falling back to scanning for `endstream`.
    fn stream_length(&mut self, dict: &Dict, data_offset: u64) -> Result<u64> {
        let declared = match dict.get(b"Length") {
            Some(Object::Ref(r)) => self.get(*r)?.as_int(),
            Some(o) => o.as_int(),
            None => None,
        };
        if let Some(len) = declared.and_then(|l| u64::try_from(l).ok())
            && let Some(end) = data_offset
                .checked_add(len)
                .filter(|e| *e <= self.src.len())
        {
            let tail = self.src.read_at(end, 32)?;
            let trimmed: Vec<u8> = tail
                .iter()
                .copied()
                .skip_while(u8::is_ascii_whitespace)
                .collect();
            if trimmed.starts_with(b"endstream") {
                return Ok(len);
            }
        }
        let max_scan = self.limits.max_stream_decoded.saturating_add(64);
        let end = self
            .src
            .find_forward(data_offset, b"endstream", max_scan)?
            .ok_or_else(|| PdfError::malformed("stream without endstream"))?;
        let mut len = end - data_offset;
        let tail = self.src.read_at(end.saturating_sub(2), 2)?;
        if tail.ends_with(b"\r\n") {
            len = len.saturating_sub(2);
        } else if tail.ends_with(b"\n") || tail.ends_with(b"\r") {
            len = len.saturating_sub(1);
        }
        Ok(len)
    }

    pub(super) fn load_from_objstm(
        &mut self,
        num: u32,
        stream_num: u32,
        index: u32,
    ) -> Result<Object> {
        let stm = match self.xref.entries.get(&stream_num).copied() {
            Some(XrefEntry::Offset { offset, .. }) => self.load_at(offset, Some(stream_num))?,
            _ => {
                return Err(PdfError::malformed(
                    "object stream is not a plain indirect object",
                ));
            }
        };
        let Object::Stream(stm) = stm else {
            return Err(PdfError::malformed("object stream is not a stream"));
        };
        let data = self.decode_stream(&stm)?;
        let n = stm.dict.int(b"N").unwrap_or(0).clamp(0, 1 << 20) as usize;
        let first = usize::try_from(stm.dict.int(b"First").unwrap_or(0).max(0)).unwrap_or(0);
        let header = data.get(..first.min(data.len())).unwrap_or_default();
        let pairs = objstm_header(header, n)?;
        let mut wanted = Object::Null;
        for (i, (onum, off)) in pairs.iter().enumerate() {
            let in_this = matches!(self.xref.entries.get(onum),
                Some(XrefEntry::InStream { stream, .. }) if *stream == stream_num);
            if !in_this && *onum != num {
                continue;
            }
            let start = first.saturating_add(*off);
            let Some(slice) = data.get(start..) else {
                continue;
            };
            let mut p = Parser::new(Lexer::new(slice), self.limits.max_depth);
            let obj = p.parse_object().map_err(PdfError::from)?;
            if *onum == num && (i == index as usize || wanted == Object::Null) {
                wanted = obj.clone();
            }
            if in_this {
                self.cache.entry(*onum).or_insert(obj);
            }
        }
        Ok(wanted)
    }

    /// The raw (still encoded) bytes of a stream from the file.
    pub(crate) fn raw_stream(&mut self, s: &Stream) -> Result<Vec<u8>> {
        match &s.body {
            StreamBody::Bytes(b) => Ok(b.clone()),
            StreamBody::File { offset, len } => {
                if *len > self.limits.max_stream_decoded {
                    return Err(PdfError::limit("encoded size of a stream"));
                }
                let n = usize::try_from(*len).map_err(|_| PdfError::limit("stream size"))?;
                self.src.read_at(*offset, n)
            }
        }
    }

    /// Decodes a stream through its filters, within the per-stream and per-document limits.
    pub(crate) fn decode_stream(&mut self, s: &Stream) -> Result<Vec<u8>> {
        let raw = self.raw_stream(s)?;
        let mut dict = s.dict.clone();
        for key in [&b"Filter"[..], b"DecodeParms"] {
            if let Some(v) = dict.get(key).cloned() {
                let resolved = self.resolve(&v)?;
                dict.set(key, resolved);
            }
        }
        let out = filters::decode(raw, &dict, &self.limits)?;
        self.budget.spend(out.len() as u64)?;
        Ok(out)
    }
}
