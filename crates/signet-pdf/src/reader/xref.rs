//! Cross-reference sections: classic tables, xref streams, hybrid files and /Prev chains.

use std::collections::{HashMap, HashSet};

use crate::error::{PdfError, Result};
use crate::syntax::lexer::{Lexer, Token};
use crate::syntax::parser::ParseError;
use crate::syntax::{Dict, Object};

/// Where an object lives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum XrefEntry {
    Free,
    Offset { offset: u64, generation: u16 },
    InStream { stream: u32, index: u32 },
}

/// One parsed section before merging.
pub(crate) struct Section {
    pub entries: Vec<(u32, XrefEntry)>,
    pub trailer: Dict,
}

/// The merged cross-reference data of all revisions.
#[derive(Default)]
pub(crate) struct XrefMap {
    pub entries: HashMap<u32, XrefEntry>,
    /// The newest trailer, with keys missing from it filled from older ones.
    pub trailer: Dict,
    /// Whether the newest section is an xref stream (our update then writes one too).
    pub newest_is_stream: bool,
}

impl XrefMap {
    /// Merges an older section: entries already known (from newer sections) win.
    pub(crate) fn merge(&mut self, section: Section, max_objects: u64) -> Result<()> {
        for (num, entry) in section.entries {
            self.entries.entry(num).or_insert(entry);
        }
        if self.entries.len() as u64 > max_objects {
            return Err(PdfError::limit("number of cross-reference entries"));
        }
        for (k, v) in section.trailer.iter() {
            if !self.trailer.contains(k) && !matches!(k, b"Prev" | b"XRefStm") {
                self.trailer.set(k, v.clone());
            }
        }
        Ok(())
    }
}

/// Combines a hybrid file's table with its /XRefStm stream: the table wins, except that its
/// free entries give way to the stream (that is how hybrid files hide compressed objects).
pub(crate) fn combine_hybrid(table: Section, stream: Section) -> Section {
    let from_stream: HashMap<u32, XrefEntry> = stream.entries.into_iter().collect();
    let mut entries = Vec::with_capacity(table.entries.len() + from_stream.len());
    let mut seen = HashSet::new();
    for (num, entry) in table.entries {
        let chosen = match (entry, from_stream.get(&num)) {
            (XrefEntry::Free, Some(s)) => *s,
            (e, _) => e,
        };
        seen.insert(num);
        entries.push((num, chosen));
    }
    entries.extend(from_stream.into_iter().filter(|(n, _)| !seen.contains(n)));
    Section {
        entries,
        trailer: table.trailer,
    }
}

/// Parses a classic `xref` table and its trailer from a window starting at the `xref` keyword.
pub(crate) fn parse_table(
    buf: &[u8],
    partial: bool,
    max_objects: u64,
) -> std::result::Result<Section, ParseError> {
    let mut lex = if partial {
        Lexer::new_partial(buf)
    } else {
        Lexer::new(buf)
    };
    match lex.next_token()? {
        Some(Token::Keyword(b"xref")) => {}
        _ => return Err(ParseError::Syntax("expected 'xref'".into())),
    }
    let mut entries = Vec::new();
    loop {
        let tok = lex.next_token()?.ok_or(ParseError::Eof)?;
        let first = match tok {
            Token::Keyword(b"trailer") => break,
            Token::Int(i) => u32::try_from(i).map_err(|_| bad("negative xref subsection start"))?,
            _ => return Err(bad("bad xref subsection header")),
        };
        let count = match lex.next_token()?.ok_or(ParseError::Eof)? {
            Token::Int(i) if i >= 0 => i as u64,
            _ => return Err(bad("bad xref subsection count")),
        };
        if count > max_objects || entries.len() as u64 + count > max_objects {
            return Err(ParseError::Syntax("too many xref entries".into()));
        }
        for i in 0..count {
            let num = first
                .checked_add(u32::try_from(i).map_err(|_| bad("xref count"))?)
                .ok_or_else(|| bad("xref object number overflow"))?;
            entries.push((num, table_entry(&mut lex)?));
        }
    }
    let mut parser = crate::syntax::parser::Parser::new(lex, 64);
    let trailer = match parser.parse_object()? {
        Object::Dict(d) => d,
        _ => return Err(bad("trailer is not a dictionary")),
    };
    Ok(Section { entries, trailer })
}

fn table_entry(lex: &mut Lexer) -> std::result::Result<XrefEntry, ParseError> {
    let offset = match lex.next_token()?.ok_or(ParseError::Eof)? {
        Token::Int(i) if i >= 0 => i as u64,
        _ => return Err(bad("bad xref entry offset")),
    };
    let generation = match lex.next_token()?.ok_or(ParseError::Eof)? {
        Token::Int(i) if (0..=65535).contains(&i) => i as u16,
        _ => return Err(bad("bad xref entry generation")),
    };
    match lex.next_token()?.ok_or(ParseError::Eof)? {
        Token::Keyword(b"n") => Ok(XrefEntry::Offset { offset, generation }),
        Token::Keyword(b"f") => Ok(XrefEntry::Free),
        _ => Err(bad("bad xref entry type")),
    }
}

fn bad(msg: &str) -> ParseError {
    ParseError::Syntax(format!("broken cross-reference table: {msg}"))
}

/// Decodes the entries of an (already decoded) xref stream.
pub(crate) fn parse_stream_entries(
    dict: &Dict,
    data: &[u8],
    max_objects: u64,
) -> Result<Vec<(u32, XrefEntry)>> {
    let w: Vec<usize> = dict
        .get(b"W")
        .and_then(Object::as_array)
        .map(|a| {
            a.iter()
                .map(|o| o.as_int().unwrap_or(-1))
                .collect::<Vec<_>>()
        })
        .filter(|v| v.len() == 3 && v.iter().all(|x| (0..=8).contains(x)))
        .map(|v| v.into_iter().map(|x| x as usize).collect())
        .ok_or_else(|| PdfError::malformed("xref stream has an invalid /W"))?;
    let row = w.iter().sum::<usize>();
    if row == 0 {
        return Err(PdfError::malformed("xref stream has an empty /W"));
    }
    let size = dict.int(b"Size").unwrap_or(0);
    let index: Vec<i64> = match dict.get(b"Index").and_then(Object::as_array) {
        Some(a) => a.iter().map(|o| o.as_int().unwrap_or(-1)).collect(),
        None => vec![0, size],
    };
    let mut out = Vec::new();
    let mut rows = data.chunks_exact(row);
    for pair in index.chunks(2) {
        let (Some(&start), Some(&count)) = (pair.first(), pair.get(1)) else {
            break;
        };
        if start < 0 || count < 0 || out.len() as u64 + count as u64 > max_objects {
            return Err(PdfError::limit("number of cross-reference entries"));
        }
        for i in 0..count {
            let Some(r) = rows.next() else { return Ok(out) };
            let num =
                u32::try_from(start + i).map_err(|_| PdfError::malformed("xref object number"))?;
            let (a, rest) = r.split_at(w[0]);
            let (b, c) = rest.split_at(w[1]);
            let kind = if w[0] == 0 { 1 } else { be(a) };
            let entry = match kind {
                0 => XrefEntry::Free,
                1 => XrefEntry::Offset {
                    offset: be(b),
                    generation: u16::try_from(be(c)).unwrap_or(0),
                },
                2 => XrefEntry::InStream {
                    stream: u32::try_from(be(b))
                        .map_err(|_| PdfError::malformed("object stream number"))?,
                    index: u32::try_from(be(c))
                        .map_err(|_| PdfError::malformed("object stream index"))?,
                },
                // Unknown types are to be treated as null references.
                _ => XrefEntry::Free,
            };
            out.push((num, entry));
        }
    }
    Ok(out)
}

fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
}

/// Tracks visited section offsets so /Prev loops terminate.
pub(crate) struct ChainGuard {
    seen: HashSet<u64>,
    max: u32,
}

impl ChainGuard {
    pub(crate) fn new(max: u32) -> Self {
        ChainGuard {
            seen: HashSet::new(),
            max,
        }
    }

    /// Records `offset`; `false` if it was already visited (a cycle).
    pub(crate) fn visit(&mut self, offset: u64) -> Result<bool> {
        if self.seen.len() as u32 >= self.max {
            return Err(PdfError::limit("number of revisions (/Prev chain)"));
        }
        Ok(self.seen.insert(offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_table_with_subsections() {
        let src = b"xref\n0 2\n0000000000 65535 f \n0000000017 00000 n \n5 1\n0000000100 00002 n\r\ntrailer\n<< /Size 6 /Root 1 0 R >>\nstartxref";
        let s = parse_table(src, false, 100).unwrap();
        assert_eq!(s.entries.len(), 3);
        assert_eq!(
            s.entries[1],
            (
                1,
                XrefEntry::Offset {
                    offset: 17,
                    generation: 0
                }
            )
        );
        assert_eq!(
            s.entries[2],
            (
                5,
                XrefEntry::Offset {
                    offset: 100,
                    generation: 2
                }
            )
        );
        assert_eq!(s.trailer.int(b"Size"), Some(6));
    }

    #[test]
    fn truncated_table_asks_for_more_data() {
        let src = b"xref\n0 3\n0000000000 65535 f \n00000";
        assert_eq!(parse_table(src, true, 100).err(), Some(ParseError::Eof));
        assert!(parse_table(src, false, 100).is_err());
    }

    #[test]
    fn xref_stream_rows_decode() {
        let mut d = Dict::new();
        d.set(
            b"W",
            Object::Array(vec![Object::Int(1), Object::Int(2), Object::Int(1)]),
        );
        d.set(
            b"Index",
            Object::Array(vec![Object::Int(3), Object::Int(2)]),
        );
        let data = [1, 0, 17, 0, 2, 0, 9, 4];
        let e = parse_stream_entries(&d, &data, 100).unwrap();
        assert_eq!(
            e[0],
            (
                3,
                XrefEntry::Offset {
                    offset: 17,
                    generation: 0
                }
            )
        );
        assert_eq!(
            e[1],
            (
                4,
                XrefEntry::InStream {
                    stream: 9,
                    index: 4
                }
            )
        );
    }

    #[test]
    fn huge_counts_are_refused() {
        let src = b"xref\n0 99999999\n";
        assert!(parse_table(src, false, 1000).is_err());
    }
}
