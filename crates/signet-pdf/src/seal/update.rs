//! Serialising an incremental update: objects, then an xref table or stream, trailer, `%%EOF`.

use crate::syntax::serialize::{write_dict, write_object};
use crate::syntax::{Dict, ObjRef, Object};

/// Accumulates the bytes of one incremental update appended at `base` (the original length).
pub(crate) struct UpdateWriter {
    base: u64,
    pub buf: Vec<u8>,
    offsets: Vec<(ObjRef, u64)>,
}

impl UpdateWriter {
    /// Starts an update after `original_len` bytes; `needs_eol` when the original does not end
    /// with a newline (the update must start on a fresh line).
    pub(crate) fn new(original_len: u64, needs_eol: bool) -> Self {
        let mut buf = Vec::with_capacity(16 * 1024);
        if needs_eol {
            buf.push(b'\n');
        }
        UpdateWriter {
            base: original_len,
            buf,
            offsets: Vec::new(),
        }
    }

    fn begin(&mut self, r: ObjRef) {
        let at = self.base + self.buf.len() as u64;
        self.offsets.push((r, at));
        self.buf
            .extend_from_slice(format!("{} {} obj\n", r.num, r.generation).as_bytes());
    }

    /// Appends an object.
    pub(crate) fn add(&mut self, r: ObjRef, obj: &Object) {
        self.begin(r);
        write_object(&mut self.buf, obj);
        self.buf.extend_from_slice(b"\nendobj\n");
    }

    /// Appends an object whose body is already serialised; returns where the body starts in `buf`.
    pub(crate) fn add_raw(&mut self, r: ObjRef, body: &[u8]) -> usize {
        self.begin(r);
        let start = self.buf.len();
        self.buf.extend_from_slice(body);
        self.buf.extend_from_slice(b"\nendobj\n");
        start
    }

    /// Where the cross-reference section will start if [`UpdateWriter::finish`] is called now.
    pub(crate) fn xref_offset(&self) -> u64 {
        self.base + self.buf.len() as u64
    }

    /// Writes the cross-reference section and trailer and returns the update bytes.
    /// `xref_stream` is the object number to use when writing an xref stream (else a table).
    pub(crate) fn finish(
        mut self,
        mut trailer: Dict,
        prev: u64,
        xref_stream: Option<ObjRef>,
    ) -> Vec<u8> {
        trailer.set(b"Prev", Object::Int(prev as i64));
        let xref_at = self.base + self.buf.len() as u64;
        if let Some(r) = xref_stream {
            self.offsets.push((r, xref_at));
        }
        let mut entries = self.offsets.clone();
        entries.sort_by_key(|(r, _)| r.num);
        let size = entries.last().map_or(0, |(r, _)| r.num + 1);
        let old_size = trailer.int(b"Size").unwrap_or(0).max(0) as u32;
        trailer.set(b"Size", Object::Int(i64::from(size.max(old_size))));
        match xref_stream {
            Some(r) => self.xref_stream(r, &entries, trailer),
            None => self.xref_table(&entries, trailer),
        }
        self.buf
            .extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
        self.buf
    }

    fn xref_table(&mut self, entries: &[(ObjRef, u64)], trailer: Dict) {
        self.buf.extend_from_slice(b"xref\n");
        for run in subsections(entries) {
            let first = run.first().map_or(0, |(r, _)| r.num);
            self.buf
                .extend_from_slice(format!("{first} {}\n", run.len()).as_bytes());
            for (r, off) in run {
                self.buf
                    .extend_from_slice(format!("{off:010} {:05} n\r\n", r.generation).as_bytes());
            }
        }
        self.buf.extend_from_slice(b"trailer\n");
        write_dict(&mut self.buf, &trailer);
        self.buf.push(b'\n');
    }

    fn xref_stream(&mut self, me: ObjRef, entries: &[(ObjRef, u64)], mut dict: Dict) {
        let max_off = entries.iter().map(|(_, o)| *o).max().unwrap_or(0);
        let width = (1..=8).find(|w| max_off < 1u64 << (8 * w)).unwrap_or(8);
        let mut data = Vec::with_capacity(entries.len() * (width + 3));
        let mut index = Vec::new();
        for run in subsections(entries) {
            index.push(Object::Int(i64::from(
                run.first().map_or(0, |(r, _)| r.num),
            )));
            index.push(Object::Int(run.len() as i64));
            for (r, off) in run {
                data.push(1);
                data.extend_from_slice(off.to_be_bytes().get(8 - width..).unwrap_or_default());
                data.extend_from_slice(&r.generation.to_be_bytes());
            }
        }
        for key in [
            &b"XRefStm"[..],
            b"Filter",
            b"DecodeParms",
            b"Length",
            b"First",
            b"N",
            b"Extends",
        ] {
            dict.remove(key);
        }
        dict.set(b"Type", Object::name("XRef"));
        dict.set(
            b"W",
            Object::Array(vec![
                Object::Int(1),
                Object::Int(width as i64),
                Object::Int(2),
            ]),
        );
        dict.set(b"Index", Object::Array(index));
        dict.set(b"Length", Object::Int(data.len() as i64));
        self.buf
            .extend_from_slice(format!("{} {} obj\n", me.num, me.generation).as_bytes());
        write_dict(&mut self.buf, &dict);
        self.buf.extend_from_slice(b"\nstream\n");
        self.buf.extend_from_slice(&data);
        self.buf.extend_from_slice(b"\nendstream\nendobj\n");
    }
}

/// Splits sorted entries into runs of consecutive object numbers.
fn subsections(entries: &[(ObjRef, u64)]) -> Vec<&[(ObjRef, u64)]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=entries.len() {
        let breaks = match (entries.get(i - 1), entries.get(i)) {
            (Some((a, _)), Some((b, _))) => b.num != a.num + 1,
            _ => true,
        };
        if breaks {
            if let Some(run) = entries.get(start..i) {
                runs.push(run);
            }
            start = i;
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::xref::{XrefEntry, parse_stream_entries, parse_table};

    #[test]
    fn table_lists_every_object_in_runs() {
        let mut w = UpdateWriter::new(1000, true);
        w.add(ObjRef::new(3, 0), &Object::Int(1));
        w.add(ObjRef::new(7, 0), &Object::Int(2));
        w.add(ObjRef::new(8, 0), &Object::Int(3));
        let mut t = Dict::new();
        t.set(b"Size", Object::Int(9));
        let out = w.finish(t, 500, None);
        let text = String::from_utf8_lossy(&out).to_string();
        let x = text.find("xref").unwrap();
        let section = parse_table(&out[x..], false, 100).unwrap();
        assert_eq!(section.entries.len(), 3);
        assert_eq!(
            section.entries[0],
            (
                3,
                XrefEntry::Offset {
                    offset: 1001,
                    generation: 0
                }
            )
        );
        assert_eq!(section.trailer.int(b"Prev"), Some(500));
        assert!(text.ends_with("%%EOF\n"));
    }

    #[test]
    fn xref_stream_includes_itself() {
        let mut w = UpdateWriter::new(70_000, false);
        w.add(ObjRef::new(5, 0), &Object::Int(1));
        let out = w.finish(Dict::new(), 10, Some(ObjRef::new(6, 0)));
        let text = String::from_utf8_lossy(&out).to_string();
        assert!(text.contains("/Type /XRef") || text.contains("/Type/XRef"));
        let start = text.find("stream\n").unwrap() + 7;
        let data = &out[start..start + 2 * 6];
        let mut d = Dict::new();
        d.set(
            b"W",
            Object::Array(vec![Object::Int(1), Object::Int(3), Object::Int(2)]),
        );
        d.set(
            b"Index",
            Object::Array(vec![Object::Int(5), Object::Int(2)]),
        );
        let e = parse_stream_entries(&d, data, 10).unwrap();
        assert_eq!(
            e[0],
            (
                5,
                XrefEntry::Offset {
                    offset: 70_000,
                    generation: 0
                }
            )
        );
    }
}
