//! The file's shape: its hash and revision ends in one pass, the signature fields of the
//! newest revision, and each signature's /ByteRange and /Contents checked against the bytes.

use std::io::{Read, Seek};

use sha2::Digest;

use crate::error::Result;
use crate::reader::Document;
use crate::reader::xref::XrefEntry;
use crate::syntax::{Dict, Object};

/// Largest /Contents gap accepted (a CMS with a long chain and LTV data is far smaller).
const MAX_GAP: u64 = 16 * 1024 * 1024;

/// The file's SHA-256 and where each revision ends: after each `%%EOF`, with and without its
/// end-of-line bytes.
pub(super) struct FileShape {
    pub sha256: [u8; 32],
    pub len: u64,
    pub revision_ends: Vec<u64>,
    /// Where each `%%EOF` line ends, end-of-line included.
    pub eof_lines: Vec<u64>,
}

impl FileShape {
    /// Bytes after the `%%EOF` line that closes the newest cross-reference section (at
    /// `newest_xref`): whatever follows belongs to no revision, even if it imitates one.
    pub(super) fn trailing_bytes(&self, newest_xref: u64) -> u64 {
        let end = self
            .eof_lines
            .iter()
            .find(|e| **e > newest_xref)
            .copied()
            .unwrap_or(self.len);
        self.len.saturating_sub(end)
    }
}

/// A signed signature field of the newest revision.
pub(super) struct SignedField {
    /// Fully qualified field name (`parent.child`).
    pub name: String,
    /// The signature dictionary (`/V`).
    pub dict: Dict,
    /// The file offset of the indirect object that holds the signature dictionary.
    pub dict_offset: Option<u64>,
    /// The /P of the field's /Lock dictionary (PDF 2.0), if it has one.
    pub lock: Option<i64>,
}

/// Every signature field of the newest revision that has a value.
pub(super) fn signed_fields<R: Read + Seek>(doc: &mut Document<R>) -> Result<Vec<SignedField>> {
    let catalog = doc.catalog()?;
    let mut found = Vec::new();
    crate::seal::form::walk_fields(doc, &catalog, |doc, field| {
        let d = &field.dict;
        let Some(value) = d.get(b"V").filter(|_| d.name(b"FT") == Some(b"Sig")) else {
            return Ok(());
        };
        // The indirect object that holds the signature dictionary: its own, or the field's
        // when the dictionary is direct.
        let holder = match value {
            Object::Ref(r) => Some(r.num),
            _ => match &field.object {
                Object::Ref(r) => Some(r.num),
                _ => None,
            },
        };
        let dict_offset = match holder.and_then(|n| doc.entry(n)) {
            Some(XrefEntry::Offset { offset, .. }) => Some(offset),
            _ => None,
        };
        let lock = crate::seal::form::lock_permission(doc, d)?;
        if let Some(dict) = doc.resolve_dict(value)? {
            found.push(SignedField {
                name: field.name.clone(),
                dict,
                dict_offset,
                lock,
            });
        }
        Ok(())
    })?;
    Ok(found)
}

/// A /ByteRange `[0 a b c]` that passed the structural checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ByteRange {
    /// End of the first range (where the /Contents string starts).
    pub gap_start: u64,
    /// Start of the second range (just past the /Contents string).
    pub gap_end: u64,
    /// End of the second range.
    pub end: u64,
}

/// Checks /ByteRange and /Contents against the file: four direct non-negative integers
/// starting at 0, inside the file, whose gap holds exactly one hex string equal to /Contents,
/// with the signature dictionary itself inside the signed bytes. Returns the range and the
/// /Contents bytes, or what is wrong.
pub(super) fn check_byte_range<R: Read + Seek>(
    doc: &mut Document<R>,
    field: &SignedField,
) -> Result<std::result::Result<(ByteRange, Vec<u8>), String>> {
    let contents = match field.dict.get(b"Contents") {
        Some(Object::String(s)) => s.clone(),
        Some(Object::Ref(_)) => return Ok(Err("/Contents is an indirect object".into())),
        Some(Object::Null) | None => return Ok(Err("/Contents is missing or null".into())),
        Some(_) => return Ok(Err("/Contents is not a string".into())),
    };
    let numbers: Option<Vec<u64>> = match field.dict.get(b"ByteRange") {
        Some(Object::Array(items)) => items
            .iter()
            .map(|o| match o {
                Object::Int(i) => u64::try_from(*i).ok(),
                _ => None,
            })
            .collect(),
        Some(Object::Ref(_)) => return Ok(Err("/ByteRange is an indirect object".into())),
        _ => None,
    };
    let Some([start, first_len, second_start, second_len]) = numbers
        .as_deref()
        .and_then(|n| <[u64; 4]>::try_from(n).ok())
    else {
        return Ok(Err("/ByteRange is not four non-negative integers".into()));
    };
    let file_len = doc.src.len();
    let end = second_start.checked_add(second_len);
    if start != 0 || first_len == 0 || second_start <= first_len || end.is_none_or(|e| e > file_len)
    {
        return Ok(Err(format!(
            "/ByteRange [{start} {first_len} {second_start} {second_len}] is not [0 a b c] with 0 < a < b and b + c within the file"
        )));
    }
    let range = ByteRange {
        gap_start: first_len,
        gap_end: second_start,
        end: end.unwrap_or(file_len),
    };
    let gap_len = range.gap_end - range.gap_start;
    if gap_len > MAX_GAP {
        return Ok(Err(
            "the gap in /ByteRange is too large for a signature".into()
        ));
    }
    let gap = doc
        .src
        .read_at(range.gap_start, usize::try_from(gap_len).unwrap_or(0))?;
    let Some(hex) = gap.strip_prefix(b"<").and_then(|g| g.strip_suffix(b">")) else {
        return Ok(Err(
            "the gap in /ByteRange is not exactly the /Contents hex string".into(),
        ));
    };
    if !hex.iter().all(u8::is_ascii_hexdigit) || hex_decode(hex) != contents {
        return Ok(Err(
            "the gap in /ByteRange does not hold this signature's /Contents".into(),
        ));
    }
    if field.dict_offset.is_none_or(|at| at >= range.gap_start) {
        return Ok(Err(
            "the signature dictionary is not inside the signed bytes".into(),
        ));
    }
    Ok(Ok((range, contents)))
}

fn hex_decode(hex: &[u8]) -> Vec<u8> {
    let nibble = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c.to_ascii_lowercase().wrapping_sub(b'a').wrapping_add(10),
    };
    hex.chunks(2)
        .map(|pair| match pair {
            [h, l] => (nibble(*h) << 4) | nibble(*l),
            [h] => nibble(*h) << 4,
            _ => 0,
        })
        .collect()
}

/// SHA-2 digest of the two signed ranges, streamed from the file.
pub(super) fn digest_ranges<R: Read + Seek, D: Digest>(
    doc: &mut Document<R>,
    range: ByteRange,
) -> Result<Vec<u8>> {
    let mut hasher = D::new();
    doc.src.copy_range(0, range.gap_start, |c| {
        hasher.update(c);
        Ok(())
    })?;
    doc.src
        .copy_range(range.gap_end, range.end - range.gap_end, |c| {
            hasher.update(c);
            Ok(())
        })?;
    Ok(hasher.finalize().to_vec())
}
