//! Fonts as far as text positions need them: code splitting, advance widths, Unicode, extents.

use std::collections::HashMap;
use std::io::{Read, Seek};

use super::cmap::CMap;
use super::encoding::{self, Std14};
use crate::error::{PdfError, Result};
use crate::reader::Document;
use crate::syntax::{Dict, Object};

/// One decoded glyph of a shown string.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Glyph {
    /// Horizontal advance in text space for a font size of 1 (before Tc/Tw/Tz).
    pub width: f64,
    /// Unicode text (may be empty when unknown).
    pub text: String,
    /// True for the single-byte code 32, which receives word spacing.
    pub word_space: bool,
}

#[derive(Debug)]
enum Kind {
    Simple {
        widths: Vec<f64>,
        text: Vec<Option<String>>,
    },
    Composite {
        encoding: Option<Box<CMap>>,
        default_width: f64,
        widths: HashMap<u32, f64>,
        ranges: Vec<(u32, u32, f64)>,
    },
}

/// A loaded font.
#[derive(Debug)]
pub(crate) struct Font {
    kind: Kind,
    to_unicode: Option<CMap>,
    /// Ascent and descent for a font size of 1.
    pub ascent: f64,
    pub descent: f64,
}

/// Cap on /W and /Widths entries read from one font.
const MAX_WIDTH_ENTRIES: usize = 100_000;

impl Font {
    /// A stand-in for fonts that cannot be loaded: half-em glyphs, Latin-1 text.
    pub(crate) fn fallback() -> Font {
        Font {
            kind: Kind::Simple {
                widths: vec![0.5; 256],
                text: (0..=255u8)
                    .map(|b| Some(char::from(b).to_string()))
                    .collect(),
            },
            to_unicode: None,
            ascent: 0.75,
            descent: -0.25,
        }
    }

    /// Loads a font from its (resolved) dictionary.
    pub(crate) fn load<R: Read + Seek>(doc: &mut Document<R>, dict: &Dict) -> Result<Font> {
        let to_unicode = match dict.get(b"ToUnicode") {
            Some(o) => match doc.resolve(o)? {
                Object::Stream(s) => Some(CMap::parse(&doc.decode_stream(&s)?)),
                _ => None,
            },
            None => None,
        };
        if dict.name(b"Subtype") == Some(b"Type0") {
            return load_composite(doc, dict, to_unicode);
        }
        load_simple(doc, dict, to_unicode)
    }

    /// Splits a shown string into glyphs.
    pub(crate) fn glyphs(&self, s: &[u8]) -> Vec<Glyph> {
        let mut out = Vec::with_capacity(s.len());
        match &self.kind {
            Kind::Simple { widths, text } => {
                for &b in s {
                    let code = usize::from(b);
                    let uni = self
                        .to_unicode
                        .as_ref()
                        .and_then(|c| c.unicode(u32::from(b), 1));
                    let text = uni
                        .or_else(|| text.get(code).cloned().flatten())
                        .unwrap_or_default();
                    out.push(Glyph {
                        width: widths.get(code).copied().unwrap_or(0.0),
                        text,
                        word_space: b == 32,
                    });
                }
            }
            Kind::Composite {
                encoding,
                default_width,
                widths,
                ranges,
            } => {
                let mut rest = s;
                while !rest.is_empty() {
                    let (code, n) = match encoding {
                        Some(cm) => cm.next_code(rest, 2),
                        None => CMap::default().next_code(rest, 2),
                    };
                    let cid = encoding
                        .as_ref()
                        .and_then(|cm| cm.cid(code, n))
                        .unwrap_or(code);
                    let w = widths
                        .get(&cid)
                        .copied()
                        .or_else(|| range_width(ranges, cid))
                        .unwrap_or(*default_width);
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|c| c.unicode(code, n))
                        .unwrap_or_default();
                    out.push(Glyph {
                        width: w,
                        text,
                        word_space: n == 1 && code == 32,
                    });
                    rest = rest.get(n..).unwrap_or_default();
                }
            }
        }
        out
    }
}

fn descriptor<R: Read + Seek>(doc: &mut Document<R>, dict: &Dict) -> Result<Dict> {
    Ok(match dict.get(b"FontDescriptor") {
        Some(o) => doc.resolve_dict(o)?.unwrap_or_default(),
        None => Dict::new(),
    })
}

/// Ascent/descent in 1/1000 em from a descriptor, if plausible.
fn extents(desc: &Dict) -> Option<(f64, f64)> {
    let a = desc.get(b"Ascent").and_then(Object::as_f64)?;
    let d = desc.get(b"Descent").and_then(Object::as_f64).unwrap_or(0.0);
    (a > 0.0 && a < 3000.0 && d <= 0.0 && d > -3000.0).then_some((a, d))
}

fn load_simple<R: Read + Seek>(
    doc: &mut Document<R>,
    dict: &Dict,
    to_unicode: Option<CMap>,
) -> Result<Font> {
    let std: Option<Std14> = dict.name(b"BaseFont").and_then(encoding::std14);
    let desc = descriptor(doc, dict)?;
    let symbolic_flag = desc.int(b"Flags").is_some_and(|f| f & 4 != 0);
    let names = glyph_names(doc, dict, std.as_ref(), symbolic_flag)?;
    let scale = match (dict.name(b"Subtype"), dict.get(b"FontMatrix")) {
        (Some(b"Type3"), Some(m)) => doc
            .resolve(m)?
            .as_array()
            .and_then(|a| a.first())
            .and_then(Object::as_f64)
            .unwrap_or(0.001),
        _ => 0.001,
    };
    let widths = simple_widths(doc, dict, &desc, std.as_ref(), &names, scale)?;
    let text = names
        .iter()
        .enumerate()
        .map(|(code, n)| match n {
            Some(n) => encoding::glyph_to_unicode(n).or_else(|| latin1_guess(code, true)),
            None => latin1_guess(
                code,
                symbolic_flag || std.as_ref().is_some_and(|s| s.symbolic),
            ),
        })
        .collect();
    let (ascent, descent) = extents(&desc)
        .or_else(|| std.as_ref().map(|s| (s.ascent, s.descent)))
        .unwrap_or((950.0, -350.0)); // poppler's defaults
    Ok(Font {
        kind: Kind::Simple { widths, text },
        to_unicode,
        ascent: ascent / 1000.0,
        descent: descent / 1000.0,
    })
}

/// Per-code advance widths: /Widths, else /MissingWidth, else the standard-14 AFM metrics.
fn simple_widths<R: Read + Seek>(
    doc: &mut Document<R>,
    dict: &Dict,
    desc: &Dict,
    std: Option<&Std14>,
    names: &[Option<String>],
    scale: f64,
) -> Result<Vec<f64>> {
    let first = dict.int(b"FirstChar").unwrap_or(0);
    let widths_arr = match dict.get(b"Widths") {
        Some(o) => doc.resolve(o)?.as_array().map(<[Object]>::to_vec),
        None => None,
    };
    let missing = desc.get(b"MissingWidth").and_then(Object::as_f64);
    let mut widths = vec![0.0; 256];
    for (code, slot) in widths.iter_mut().enumerate() {
        let from_array = widths_arr.as_ref().and_then(|a| {
            let idx = usize::try_from(code as i64 - first).ok()?;
            a.get(idx).and_then(Object::as_f64)
        });
        let from_afm = || {
            std.and_then(|s| {
                names
                    .get(code)
                    .and_then(|n| n.as_deref())
                    .and_then(|n| s.width(n))
            })
        };
        *slot = from_array
            .or(missing.filter(|_| widths_arr.is_some()))
            .or_else(from_afm)
            .or(missing)
            .unwrap_or(0.0)
            * scale;
    }
    Ok(widths)
}

/// Unicode guess for a code without a glyph name: printable ASCII maps to itself.
fn latin1_guess(code: usize, allowed: bool) -> Option<String> {
    let c = u8::try_from(code).ok()?;
    (allowed && (0x20..0x7f).contains(&c)).then(|| char::from(c).to_string())
}

/// Glyph name per code from the base encoding and /Differences.
fn glyph_names<R: Read + Seek>(
    doc: &mut Document<R>,
    dict: &Dict,
    std: Option<&Std14>,
    symbolic: bool,
) -> Result<Vec<Option<String>>> {
    let enc = match dict.get(b"Encoding") {
        Some(o) => doc.resolve(o)?,
        None => Object::Null,
    };
    let default_base: Option<&[&str; 256]> = match std {
        Some(s) => Some(s.builtin),
        None if symbolic => None,
        None => encoding::base_encoding(b"StandardEncoding"),
    };
    let (base, diffs) = match &enc {
        Object::Name(n) => (encoding::base_encoding(n).or(default_base), None),
        Object::Dict(d) => {
            let base = d
                .name(b"BaseEncoding")
                .and_then(encoding::base_encoding)
                .or(default_base);
            let diffs = match d.get(b"Differences") {
                Some(o) => doc.resolve(o)?.as_array().map(<[Object]>::to_vec),
                None => None,
            };
            (base, diffs)
        }
        _ => (default_base, None),
    };
    let mut names: Vec<Option<String>> = (0..256)
        .map(|i| {
            base.and_then(|b| b.get(i))
                .filter(|n| !n.is_empty())
                .map(|n| (*n).to_string())
        })
        .collect();
    let mut code: i64 = 0;
    for item in diffs.unwrap_or_default().iter().take(MAX_WIDTH_ENTRIES) {
        match item {
            Object::Int(c) => code = *c,
            Object::Name(n) => {
                if let Some(slot) = usize::try_from(code).ok().and_then(|c| names.get_mut(c)) {
                    *slot = Some(String::from_utf8_lossy(n).to_string());
                }
                code += 1;
            }
            _ => {}
        }
    }
    Ok(names)
}

fn load_composite<R: Read + Seek>(
    doc: &mut Document<R>,
    dict: &Dict,
    to_unicode: Option<CMap>,
) -> Result<Font> {
    let encoding = match dict.get(b"Encoding") {
        Some(o) => match doc.resolve(o)? {
            Object::Stream(s) => Some(Box::new(CMap::parse(&doc.decode_stream(&s)?))),
            // Identity-H/V and other predefined CMaps: two-byte codes, CID = code.
            _ => None,
        },
        None => None,
    };
    let descendant = match dict.get(b"DescendantFonts") {
        Some(o) => doc.resolve(o)?.as_array().and_then(|a| a.first().cloned()),
        None => None,
    };
    let cid_font = match descendant {
        Some(d) => doc.resolve_dict(&d)?.unwrap_or_default(),
        None => return Err(PdfError::malformed("Type0 font without /DescendantFonts")),
    };
    let default_width = cid_font
        .get(b"DW")
        .and_then(Object::as_f64)
        .unwrap_or(1000.0)
        / 1000.0;
    let w = match cid_font.get(b"W") {
        Some(o) => doc
            .resolve(o)?
            .as_array()
            .map(<[Object]>::to_vec)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let (widths, ranges) = parse_w(doc, &w)?;
    let desc = descriptor(doc, &cid_font)?;
    let (ascent, descent) = extents(&desc).unwrap_or((950.0, -350.0));
    Ok(Font {
        kind: Kind::Composite {
            encoding,
            default_width,
            widths,
            ranges,
        },
        to_unicode,
        ascent: ascent / 1000.0,
        descent: descent / 1000.0,
    })
}

type CidWidths = (HashMap<u32, f64>, Vec<(u32, u32, f64)>);

/// Width from /W ranges sorted by start (the last range starting at or before `cid` wins).
fn range_width(ranges: &[(u32, u32, f64)], cid: u32) -> Option<f64> {
    let end = ranges.partition_point(|r| r.0 <= cid);
    ranges
        .get(end.checked_sub(1)?)
        .filter(|r| cid <= r.1)
        .map(|r| r.2)
}

/// Parses a CIDFont /W array: `c [w1 w2 ...]` and `c_first c_last w`.
fn parse_w<R: Read + Seek>(doc: &mut Document<R>, w: &[Object]) -> Result<CidWidths> {
    let mut single = HashMap::new();
    let mut ranges = Vec::new();
    let mut i = 0usize;
    while let Some(first) = w.get(i).and_then(Object::as_int) {
        let Ok(first) = u32::try_from(first) else {
            break;
        };
        match w.get(i + 1) {
            Some(list @ (Object::Array(_) | Object::Ref(_))) => {
                let list = doc.resolve(list)?;
                for (k, v) in list
                    .as_array()
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .take(MAX_WIDTH_ENTRIES)
                {
                    if let Some(v) = v.as_f64() {
                        single.insert(first.saturating_add(k as u32), v / 1000.0);
                    }
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(v)) = (last.as_int(), w.get(i + 2).and_then(Object::as_f64))
                else {
                    break;
                };
                let Ok(last) = u32::try_from(last) else { break };
                ranges.push((first, last, v / 1000.0));
                i += 3;
            }
            None => break,
        }
        if single.len() + ranges.len() > MAX_WIDTH_ENTRIES {
            return Err(PdfError::limit("font width entries"));
        }
    }
    ranges.sort_by_key(|r| r.0);
    Ok((single, ranges))
}
