//! The signature dictionary with fixed-width /ByteRange and /Contents placeholders.

use crate::syntax::Object;
use crate::syntax::serialize::{text_string, write_object, write_string};
use crate::{SealOptions, SignatureKind};

/// Width reserved for the four /ByteRange numbers (enough for files up to ~10 TB).
const BYTERANGE_WIDTH: usize = 48;

/// A serialised signature dictionary and where its placeholders are (offsets into `bytes`).
pub(crate) struct SigBody {
    pub bytes: Vec<u8>,
    /// Start of the /ByteRange number field (inside `[...]`).
    pub byterange_at: usize,
    /// Offset of `<` and one past `>` of /Contents.
    pub contents_start: usize,
    pub contents_end: usize,
}

/// `D:YYYYMMDDHHmmSS+00'00'` in UTC.
pub(crate) fn pdf_date(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}+00'00'",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn text(out: &mut Vec<u8>, key: &str, value: &str) {
    out.extend_from_slice(format!("/{key} ").as_bytes());
    write_string(out, &text_string(value));
    out.push(b'\n');
}

/// Writes `/ByteRange [...]` and `/Contents <00...>` placeholders; returns their offsets.
fn placeholders(b: &mut Vec<u8>, reserve: usize) -> (usize, usize, usize) {
    b.extend_from_slice(b"/ByteRange [");
    let byterange_at = b.len();
    b.extend_from_slice(format!("{:<width$}", "0 0 0 0", width = BYTERANGE_WIDTH).as_bytes());
    b.extend_from_slice(b"]\n/Contents ");
    let contents_start = b.len();
    b.push(b'<');
    b.resize(b.len() + reserve * 2, b'0');
    b.push(b'>');
    let contents_end = b.len();
    b.push(b'\n');
    (byterange_at, contents_start, contents_end)
}

/// A document time-stamp dictionary (PAdES B-LTA): `/Type /DocTimeStamp`, `/SubFilter /ETSI.RFC3161`.
pub(crate) fn build_doc_timestamp(reserve: usize) -> SigBody {
    let mut b = Vec::with_capacity(reserve * 2 + 256);
    b.extend_from_slice(
        b"<<\n/Type /DocTimeStamp\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.RFC3161\n",
    );
    let (byterange_at, contents_start, contents_end) = placeholders(&mut b, reserve);
    b.extend_from_slice(b">>");
    SigBody {
        bytes: b,
        byterange_at,
        contents_start,
        contents_end,
    }
}

/// Builds the dictionary; `reserve` is the number of CMS bytes /Contents can hold. A
/// certification carries its DocMDP reference. A locking signature carries no FieldMDP
/// reference: its field's /Lock (P=1) already forbids every change, and pyHanko (0.38)
/// misreads the unchanged appearance streams of FieldMDP-locked fields as in-place updates
/// and rejects the validation data added after the seal.
pub(crate) fn build(options: &SealOptions, kind: SignatureKind, reserve: usize) -> SigBody {
    let mut b = Vec::with_capacity(reserve * 2 + 1024);
    b.extend_from_slice(
        b"<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n",
    );
    let (byterange_at, contents_start, contents_end) = placeholders(&mut b, reserve);
    b.extend_from_slice(b"/M ");
    write_string(&mut b, pdf_date(options.signing_time).as_bytes());
    b.push(b'\n');
    if !options.signer_name.is_empty() {
        text(&mut b, "Name", &options.signer_name);
    }
    for (key, value) in [
        ("Reason", &options.reason),
        ("Location", &options.location),
        ("ContactInfo", &options.contact_info),
    ] {
        if let Some(v) = value {
            text(&mut b, key, v);
        }
    }
    if let SignatureKind::Certification { p } = kind {
        b.extend_from_slice(b"/Reference [");
        write_object(&mut b, &docmdp_reference(p));
        b.extend_from_slice(b"]\n");
    }
    b.extend_from_slice(b">>");
    SigBody {
        bytes: b,
        byterange_at,
        contents_start,
        contents_end,
    }
}

fn docmdp_reference(p: u8) -> Object {
    let mut params = crate::syntax::Dict::new();
    params.set(b"Type", Object::name("TransformParams"));
    params.set(b"P", Object::Int(i64::from(p)));
    params.set(b"V", Object::name("1.2"));
    let mut r = crate::syntax::Dict::new();
    r.set(b"Type", Object::name("SigRef"));
    r.set(b"TransformMethod", Object::name("DocMDP"));
    r.set(b"TransformParams", Object::Dict(params));
    Object::Dict(r)
}

/// A signature field's lock dictionary: all fields, and DocMDP permissions `p` from now on.
pub(crate) fn lock(p: u8) -> Object {
    let mut d = crate::syntax::Dict::new();
    d.set(b"Type", Object::name("SigFieldLock"));
    d.set(b"Action", Object::name("All"));
    d.set(b"P", Object::Int(i64::from(p)));
    Object::Dict(d)
}

/// Writes `[0 a b c]` into the placeholder; `false` if it does not fit.
pub(crate) fn patch_byterange(body: &mut [u8], at: usize, range: [u64; 4]) -> bool {
    let text = format!("{} {} {} {}", range[0], range[1], range[2], range[3]);
    let padded = format!("{text:<width$}", width = BYTERANGE_WIDTH);
    match body.get_mut(at..at + BYTERANGE_WIDTH) {
        Some(slot) if text.len() <= BYTERANGE_WIDTH => {
            slot.copy_from_slice(padded.as_bytes());
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> SealOptions {
        SealOptions {
            signing_time: time::macros::datetime!(2026-03-04 05:06:07 +02:00),
            signer_name: "Zoë".into(),
            reason: Some("Agreed (final)".into()),
            location: None,
            contact_info: None,
            certify: true,
        }
    }

    #[test]
    fn placeholders_are_where_recorded() {
        let mut s = build(&options(), SignatureKind::Certification { p: 1 }, 10);
        assert_eq!(s.bytes[s.contents_start], b'<');
        assert_eq!(s.bytes[s.contents_end - 1], b'>');
        assert_eq!(s.contents_end - s.contents_start, 22);
        assert!(patch_byterange(
            &mut s.bytes,
            s.byterange_at,
            [0, 10, 20, 30]
        ));
        let text = String::from_utf8_lossy(&s.bytes).to_string();
        assert!(text.contains("/ByteRange [0 10 20 30 "));
        assert!(text.contains("/M (D:20260304030607+00'00')"));
        assert!(text.contains("/Name <FEFF005A006F00EB>"));
        assert!(text.contains("/Reason (Agreed \\(final\\))"));
        assert!(text.contains("/TransformMethod /DocMDP"));
    }
}
