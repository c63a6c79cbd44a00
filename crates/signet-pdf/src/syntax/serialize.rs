//! Writing objects back to PDF syntax.

use super::lexer::{is_delimiter, is_whitespace};
use super::object::{Dict, Object, StreamBody};

/// Formats a number compactly and deterministically (at most 4 decimals, no exponent).
pub(crate) fn fmt_num(v: f64) -> String {
    let v = if v.is_finite() {
        v.clamp(-1e9, 1e9)
    } else {
        0.0
    };
    let rounded = (v * 10_000.0).round() / 10_000.0;
    if rounded.fract() == 0.0 {
        return format!("{}", rounded as i64);
    }
    let s = format!("{rounded:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Formats a real object exactly: the shortest decimal text (no exponent, which PDF lacks)
/// that reads back as the same value, so that an object copied from the input into an
/// incremental update keeps its numbers (a page box rounded to 4 decimals would move what
/// the signer saw). Non-finite values, which no parsed file holds, become 0.
pub(crate) fn fmt_real(v: f64) -> String {
    if !v.is_finite() || v == 0.0 {
        return "0".to_string();
    }
    // `Display` for f64 is the shortest round-trip form, in positional notation.
    let s = v.to_string();
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

/// Appends `obj` in PDF syntax. Streams must have an in-memory body.
pub(crate) fn write_object(out: &mut Vec<u8>, obj: &Object) {
    match obj {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => out.extend_from_slice(fmt_real(*r).as_bytes()),
        Object::String(s) => write_string(out, s),
        Object::Name(n) => write_name(out, n),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dict(d) => write_dict(out, d),
        Object::Ref(r) => out.extend_from_slice(format!("{} {} R", r.num, r.generation).as_bytes()),
        Object::Stream(s) => {
            let data: &[u8] = match &s.body {
                StreamBody::Bytes(b) => b,
                // Never produced by the engine: streams from the input are referenced, not copied.
                StreamBody::File { .. } => &[],
            };
            let mut dict = s.dict.clone();
            dict.set(b"Length", Object::Int(data.len() as i64));
            write_dict(out, &dict);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(data);
            out.extend_from_slice(b"\nendstream");
        }
    }
}

pub(crate) fn write_dict(out: &mut Vec<u8>, d: &Dict) {
    out.extend_from_slice(b"<<");
    for (i, (k, v)) in d.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        write_name(out, k);
        out.push(b' ');
        write_object(out, v);
    }
    out.extend_from_slice(b">>");
}

pub(crate) fn write_name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &b in n {
        if b == b'#' || !(0x21..=0x7e).contains(&b) || is_delimiter(b) || is_whitespace(b) {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

/// Writes a string: literal when printable ASCII, hex otherwise.
pub(crate) fn write_string(out: &mut Vec<u8>, s: &[u8]) {
    if s.iter().all(|b| (0x20..=0x7e).contains(b)) {
        out.push(b'(');
        for &b in s {
            if matches!(b, b'(' | b')' | b'\\') {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b')');
    } else {
        out.push(b'<');
        for b in s {
            out.extend_from_slice(format!("{b:02X}").as_bytes());
        }
        out.push(b'>');
    }
}

/// Encodes a Rust string as a PDF text string: ASCII as is, anything else UTF-16BE with BOM.
pub(crate) fn text_string(s: &str) -> Vec<u8> {
    if s.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return s.as_bytes().to_vec();
    }
    let mut out = vec![0xfe, 0xff];
    for unit in s.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out
}

/// Decodes a PDF text string: UTF-16BE or UTF-8 after their byte-order marks, otherwise
/// single bytes (PDFDocEncoding, read as Latin-1, which it matches for printable text).
pub(crate) fn read_text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::super::parser::parse_one;
    use super::*;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(fmt_num(1.0), "1");
        assert_eq!(fmt_num(-0.00001), "0");
        assert_eq!(fmt_num(12.34567), "12.3457");
        assert_eq!(fmt_num(f64::NAN), "0");
    }

    #[test]
    fn reals_are_written_exactly() {
        for v in [
            0.8814898,
            -12.345678901234,
            1e-9,
            595.2756,
            72.30000305175781,
            1e12 + 0.5,
        ] {
            let text = fmt_real(v);
            assert!(!text.contains(['e', 'E']), "{text}");
            assert_eq!(
                parse_one(text.as_bytes(), 8).unwrap(),
                Object::Real(v),
                "{text}"
            );
        }
        assert_eq!(fmt_real(3.0), "3");
        assert_eq!(fmt_real(-0.0), "0");
        assert_eq!(fmt_real(f64::INFINITY), "0");
    }

    #[test]
    fn objects_round_trip_through_the_parser() {
        let src = parse_one(
            b"<< /A#20B [1 2.5 (x\\)y) <00ff> /N 3 0 R true null] /C << >> >>",
            8,
        )
        .unwrap();
        let mut out = Vec::new();
        write_object(&mut out, &src);
        assert_eq!(parse_one(&out, 8).unwrap(), src);
    }

    #[test]
    fn text_strings_read_back() {
        for text in ["Ada Lovelace", "Zoë Łódź 签名"] {
            assert_eq!(read_text_string(&text_string(text)), text);
        }
        assert_eq!(read_text_string(b"\xef\xbb\xbfJos\xc3\xa9"), "José");
        assert_eq!(read_text_string(b"Jos\xe9"), "José");
    }

    #[test]
    fn text_strings_use_utf16_for_non_ascii() {
        assert_eq!(text_string("Ab"), b"Ab".to_vec());
        assert_eq!(text_string("Ł"), vec![0xfe, 0xff, 0x01, 0x41]);
    }
}
