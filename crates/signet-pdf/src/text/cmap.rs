//! CMap parsing: `/ToUnicode` maps (bfchar/bfrange) and embedded CID encodings (cidchar/cidrange).

use std::collections::HashMap;

use crate::syntax::lexer::{Lexer, Token};

/// Upper bound on mappings read from one CMap (hostile input protection).
const MAX_ENTRIES: usize = 200_000;

#[derive(Clone, Debug)]
enum BfTarget {
    /// Destination of `lo`; later codes increment the last UTF-16 unit.
    Base(Vec<u16>),
    /// One destination per code.
    List(Vec<String>),
}

#[derive(Clone, Debug)]
struct Range<T> {
    len: u8,
    lo: u32,
    hi: u32,
    value: T,
}

/// A parsed CMap.
#[derive(Clone, Debug, Default)]
pub(crate) struct CMap {
    /// Codespace ranges `(lo, hi)`, each as bytes of equal length.
    codespace: Vec<(Vec<u8>, Vec<u8>)>,
    bf_single: HashMap<(u8, u32), String>,
    /// `bf_single` keyed by code value alone (first mapping wins), for length mismatches.
    bf_any: HashMap<u32, String>,
    bf_ranges: Vec<Range<BfTarget>>,
    cid_single: HashMap<(u8, u32), u32>,
    cid_ranges: Vec<Range<u32>>,
}

fn code_of(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    Some((
        bytes.len() as u8,
        bytes.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b)),
    ))
}

fn utf16(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| match c {
            [a, b] => u16::from_be_bytes([*a, *b]),
            [a] => u16::from(*a),
            _ => 0,
        })
        .collect()
}

impl CMap {
    /// Parses CMap text; malformed parts are skipped (the result is best effort, never a panic).
    pub(crate) fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lex = Lexer::new(data);
        let mut entries = 0usize;
        loop {
            let tok = match lex.next_token() {
                Ok(Some(t)) => t,
                Ok(None) => break,
                Err(_) => {
                    lex.set_pos(lex.pos() + 1);
                    continue;
                }
            };
            let Token::Keyword(kw) = tok else { continue };
            let section: &[u8] = match kw {
                b"begincodespacerange" => b"endcodespacerange",
                b"beginbfchar" => b"endbfchar",
                b"beginbfrange" => b"endbfrange",
                b"begincidchar" => b"endcidchar",
                b"begincidrange" => b"endcidrange",
                _ => continue,
            };
            let items = collect_until(&mut lex, section);
            entries += items.len();
            if entries > MAX_ENTRIES {
                break;
            }
            match kw {
                b"begincodespacerange" => cmap.add_codespace(&items),
                b"beginbfchar" => cmap.add_bfchar(&items),
                b"beginbfrange" => cmap.add_bfrange(&items),
                b"begincidchar" => cmap.add_cidchar(&items),
                _ => cmap.add_cidrange(&items),
            }
        }
        // Sorted by start so lookups can binary-search (hostile maps can be large).
        cmap.bf_ranges.sort_by_key(|r| (r.len, r.lo));
        cmap.cid_ranges.sort_by_key(|r| (r.len, r.lo));
        cmap
    }

    fn add_codespace(&mut self, items: &[Item]) {
        for pair in items.chunks(2) {
            if let [Item::Str(lo), Item::Str(hi)] = pair
                && lo.len() == hi.len()
                && !lo.is_empty()
                && lo.len() <= 4
            {
                self.codespace.push((lo.clone(), hi.clone()));
            }
        }
    }

    fn add_bfchar(&mut self, items: &[Item]) {
        for pair in items.chunks(2) {
            let [Item::Str(src), dst] = pair else {
                continue;
            };
            let Some(key) = code_of(src) else { continue };
            let text = match dst {
                Item::Str(d) => String::from_utf16_lossy(&utf16(d)),
                Item::Name(n) => super::encoding::glyph_to_unicode(&String::from_utf8_lossy(n))
                    .unwrap_or_default(),
                _ => continue,
            };
            self.bf_any.entry(key.1).or_insert_with(|| text.clone());
            self.bf_single.insert(key, text);
        }
    }

    fn add_bfrange(&mut self, items: &[Item]) {
        for triple in items.chunks(3) {
            let [Item::Str(lo), Item::Str(hi), dst] = triple else {
                continue;
            };
            let (Some((len, lo)), Some((_, hi))) = (code_of(lo), code_of(hi)) else {
                continue;
            };
            if hi < lo {
                continue;
            }
            let value = match dst {
                Item::Str(d) => BfTarget::Base(utf16(d)),
                Item::Array(list) => BfTarget::List(
                    list.iter()
                        .map(|d| String::from_utf16_lossy(&utf16(d)))
                        .collect(),
                ),
                _ => continue,
            };
            self.bf_ranges.push(Range { len, lo, hi, value });
        }
    }

    fn add_cidchar(&mut self, items: &[Item]) {
        for pair in items.chunks(2) {
            if let [Item::Str(src), Item::Int(cid)] = pair
                && let (Some(key), Ok(cid)) = (code_of(src), u32::try_from(*cid))
            {
                self.cid_single.insert(key, cid);
            }
        }
    }

    fn add_cidrange(&mut self, items: &[Item]) {
        for triple in items.chunks(3) {
            if let [Item::Str(lo), Item::Str(hi), Item::Int(cid)] = triple
                && let (Some((len, lo)), Some((_, hi)), Ok(cid)) =
                    (code_of(lo), code_of(hi), u32::try_from(*cid))
                && hi >= lo
            {
                self.cid_ranges.push(Range {
                    len,
                    lo,
                    hi,
                    value: cid,
                });
            }
        }
    }

    /// Splits the next character code off `bytes` using the codespace ranges.
    /// Returns (code, byte length); without a matching range, one byte (or `default_len`).
    pub(crate) fn next_code(&self, bytes: &[u8], default_len: usize) -> (u32, usize) {
        for n in 1..=4usize {
            let Some(prefix) = bytes.get(..n) else { break };
            let hit = self.codespace.iter().any(|(lo, hi)| {
                lo.len() == n
                    && prefix
                        .iter()
                        .zip(lo.iter().zip(hi.iter()))
                        .all(|(b, (l, h))| l <= b && b <= h)
            });
            if hit {
                return (code_of(prefix).map_or(0, |c| c.1), n);
            }
        }
        let n = default_len.clamp(1, 4).min(bytes.len().max(1));
        (bytes.get(..n).and_then(code_of).map_or(0, |c| c.1), n)
    }

    /// Unicode text for a code of `len` bytes.
    pub(crate) fn unicode(&self, code: u32, len: usize) -> Option<String> {
        let len = len as u8;
        if let Some(s) = self.bf_single.get(&(len, code)) {
            return Some(s.clone());
        }
        if let Some(r) = find_range(&self.bf_ranges, len, code) {
            let off = code - r.lo;
            match &r.value {
                BfTarget::Base(units) => {
                    let mut u = units.clone();
                    if let Some(last) = u.last_mut() {
                        *last = last.wrapping_add(off as u16);
                    }
                    return Some(String::from_utf16_lossy(&u));
                }
                BfTarget::List(list) => return list.get(off as usize).cloned(),
            }
        }
        // Some producers write ToUnicode codes with a different byte length than the font uses.
        self.bf_any.get(&code).cloned()
    }

    /// CID for a code of `len` bytes.
    pub(crate) fn cid(&self, code: u32, len: usize) -> Option<u32> {
        let len = len as u8;
        if let Some(c) = self.cid_single.get(&(len, code)) {
            return Some(*c);
        }
        find_range(&self.cid_ranges, len, code).map(|r| r.value.saturating_add(code - r.lo))
    }
}

/// Finds a range containing `code` in ranges sorted by `(len, lo)`; overlapping ranges are
/// looked at only a few deep, which bounds the work per lookup.
fn find_range<T>(ranges: &[Range<T>], len: u8, code: u32) -> Option<&Range<T>> {
    let end = ranges.partition_point(|r| (r.len, r.lo) <= (len, code));
    ranges
        .get(end.saturating_sub(8)..end)?
        .iter()
        .rev()
        .find(|r| r.len == len && r.lo <= code && code <= r.hi)
}

#[derive(Clone, Debug)]
enum Item {
    Str(Vec<u8>),
    Int(i64),
    Name(Vec<u8>),
    Array(Vec<Vec<u8>>),
    Other,
}

/// Reads tokens up to the `end` keyword, flattening arrays of strings.
fn collect_until(lex: &mut Lexer, end: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    loop {
        let tok = match lex.next_token() {
            Ok(Some(t)) => t,
            Ok(None) => return items,
            Err(_) => {
                lex.set_pos(lex.pos() + 1);
                continue;
            }
        };
        let item = match tok {
            Token::Keyword(k) if k == end => return items,
            Token::String(s) => Item::Str(s),
            Token::Int(i) => Item::Int(i),
            Token::Name(n) => Item::Name(n),
            Token::ArrayOpen => {
                let mut list = Vec::new();
                while let Ok(Some(t)) = lex.next_token() {
                    match t {
                        Token::String(s) => list.push(s),
                        Token::ArrayClose => break,
                        _ => {}
                    }
                    if list.len() > MAX_ENTRIES {
                        break;
                    }
                }
                Item::Array(list)
            }
            _ => Item::Other,
        };
        items.push(item);
        if items.len() > MAX_ENTRIES {
            return items;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOUNICODE: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
        /CMapName /Adobe-Identity-UCS def
        1 begincodespacerange <0000> <FFFF> endcodespacerange
        2 beginbfchar <0003> <0020> <0011> <D83DDE00> endbfchar
        2 beginbfrange <0024> <0026> <0041> <0030> <0031> [<0062> <00630063>] endbfrange
        endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_and_bfrange_map_codes() {
        let c = CMap::parse(TOUNICODE);
        assert_eq!(c.unicode(3, 2).as_deref(), Some(" "));
        assert_eq!(c.unicode(0x11, 2).as_deref(), Some("😀"));
        assert_eq!(c.unicode(0x25, 2).as_deref(), Some("B"));
        assert_eq!(c.unicode(0x31, 2).as_deref(), Some("cc"));
        assert_eq!(c.unicode(0x27, 2), None);
    }

    #[test]
    fn codespace_decides_code_length() {
        let c = CMap::parse(b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange");
        assert_eq!(c.next_code(&[0x41, 0x81], 1), (0x41, 1));
        assert_eq!(c.next_code(&[0x81, 0x40], 1), (0x8140, 2));
        let none = CMap::default();
        assert_eq!(none.next_code(&[0x12, 0x34], 2), (0x1234, 2));
        assert_eq!(none.next_code(&[0x12], 2), (0x12, 1));
    }

    #[test]
    fn cid_ranges_map_codes() {
        let c = CMap::parse(
            b"1 begincidrange <0000> <00ff> 100 endcidrange 1 begincidchar <0100> 7 endcidchar",
        );
        assert_eq!(c.cid(5, 2), Some(105));
        assert_eq!(c.cid(0x100, 2), Some(7));
        assert_eq!(c.cid(0x200, 2), None);
    }

    #[test]
    fn garbage_does_not_panic() {
        let _ =
            CMap::parse(b"beginbfrange <00> <ff> [ <00 endbfrange ) ( beginbfchar <> <> endbfchar");
    }
}
