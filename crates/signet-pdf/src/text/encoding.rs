//! Simple-font encodings, glyph names and the standard 14 fonts.

use super::std14_data as data;

/// A base encoding (code to glyph name) by its PDF name.
pub(crate) fn base_encoding(name: &[u8]) -> Option<&'static [&'static str; 256]> {
    match name {
        b"StandardEncoding" => Some(&data::STANDARD),
        b"WinAnsiEncoding" => Some(&data::WIN_ANSI),
        b"MacRomanEncoding" => Some(&data::MAC_ROMAN),
        // MacExpert is rare and only used for expert glyph sets; Standard is a safe stand-in.
        b"MacExpertEncoding" => Some(&data::STANDARD),
        _ => None,
    }
}

/// Unicode text for a glyph name (Adobe Glyph List subset plus `uniXXXX`/`uXXXX` forms).
pub(crate) fn glyph_to_unicode(name: &str) -> Option<String> {
    if let Ok(i) = data::GLYPH_UNICODE.binary_search_by(|(n, _)| (*n).cmp(name)) {
        return data::GLYPH_UNICODE.get(i).map(|(_, c)| c.to_string());
    }
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
    {
        let units: Option<Vec<u16>> = (0..hex.len() / 4)
            .map(|i| {
                hex.get(i * 4..i * 4 + 4)
                    .and_then(|h| u16::from_str_radix(h, 16).ok())
            })
            .collect();
        return units.map(|u| String::from_utf16_lossy(&u));
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
    {
        return Some(c.to_string());
    }
    if let Some((base, _suffix)) = name.split_once('.')
        && !base.is_empty()
    {
        return glyph_to_unicode(base);
    }
    if name.contains('_') {
        let parts: Option<String> = name.split('_').map(glyph_to_unicode).collect();
        return parts;
    }
    None
}

/// Metrics of one of the standard 14 fonts.
pub(crate) struct Std14 {
    widths: Option<&'static [(&'static str, u16)]>,
    /// Ascent and descent in 1/1000 em.
    pub ascent: f64,
    pub descent: f64,
    /// The font's built-in encoding.
    pub builtin: &'static [&'static str; 256],
    /// Symbolic fonts (Symbol, ZapfDingbats) ignore text encodings.
    pub symbolic: bool,
}

impl Std14 {
    /// Width of `glyph` in 1/1000 em.
    pub(crate) fn width(&self, glyph: &str) -> Option<f64> {
        let Some(table) = self.widths else {
            return Some(600.0); // Courier family: monospaced
        };
        table
            .binary_search_by(|(n, _)| (*n).cmp(glyph))
            .ok()
            .and_then(|i| table.get(i))
            .map(|(_, w)| f64::from(*w))
    }
}

/// The standard-14 font a /BaseFont name refers to (with common aliases such as Arial).
pub(crate) fn std14(base_font: &[u8]) -> Option<Std14> {
    let name = String::from_utf8_lossy(base_font);
    // Drop a subset tag "ABCDEF+".
    let name = match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 => rest.to_string(),
        _ => name.to_string(),
    };
    let norm: String = name
        .chars()
        .filter(|c| *c != ' ' && *c != '-' && *c != ',')
        .collect::<String>()
        .to_ascii_lowercase();
    let bold = norm.contains("bold");
    let italic = norm.contains("italic") || norm.contains("oblique");
    let text = |widths, ascent, descent| Std14 {
        widths,
        ascent,
        descent,
        builtin: &data::STANDARD,
        symbolic: false,
    };
    let family = if norm.starts_with("courier") {
        "courier"
    } else if norm.starts_with("helvetica") || norm.starts_with("arial") {
        "helvetica"
    } else if norm.starts_with("times") {
        "times"
    } else if norm.starts_with("symbol") {
        return Some(Std14 {
            widths: Some(data::SYMBOL),
            ascent: 1010.0,
            descent: -293.0,
            builtin: &data::SYMBOL_ENC,
            symbolic: true,
        });
    } else if norm.starts_with("zapfdingbats") {
        return Some(Std14 {
            widths: Some(data::ZAPF_DINGBATS),
            ascent: 820.0,
            descent: -143.0,
            builtin: &data::ZAPF_ENC,
            symbolic: true,
        });
    } else {
        return None;
    };
    Some(match (family, bold, italic) {
        ("courier", true, _) => text(None, 626.0, -142.0),
        ("courier", false, _) => text(None, 629.0, -157.0),
        ("helvetica", true, _) => text(Some(data::HELVETICA_BOLD), 718.0, -207.0),
        ("helvetica", false, _) => text(Some(data::HELVETICA), 718.0, -207.0),
        ("times", true, true) => text(Some(data::TIMES_BOLD_ITALIC), 699.0, -205.0),
        ("times", true, false) => text(Some(data::TIMES_BOLD), 676.0, -205.0),
        ("times", false, true) => text(Some(data::TIMES_ITALIC), 683.0, -205.0),
        _ => text(Some(data::TIMES_ROMAN), 683.0, -217.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names_map_to_unicode() {
        assert_eq!(glyph_to_unicode("braceleft").as_deref(), Some("{"));
        assert_eq!(glyph_to_unicode("underscore").as_deref(), Some("_"));
        assert_eq!(glyph_to_unicode("Lslash").as_deref(), Some("Ł"));
        assert_eq!(glyph_to_unicode("uni0041").as_deref(), Some("A"));
        assert_eq!(glyph_to_unicode("u1F600").as_deref(), Some("😀"));
        assert_eq!(glyph_to_unicode("a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_to_unicode("f_i").as_deref(), Some("fi"));
        assert_eq!(glyph_to_unicode("g123"), None);
    }

    #[test]
    fn encodings_have_expected_slots() {
        assert_eq!(base_encoding(b"WinAnsiEncoding").unwrap()[0x80], "Euro");
        assert_eq!(
            base_encoding(b"StandardEncoding").unwrap()[0x27],
            "quoteright"
        );
        assert_eq!(
            base_encoding(b"MacRomanEncoding").unwrap()[0x80],
            "Adieresis"
        );
    }

    #[test]
    fn standard_fonts_and_aliases_resolve() {
        let h = std14(b"Helvetica").unwrap();
        assert_eq!(h.width("braceleft"), Some(334.0));
        assert_eq!(std14(b"ABCDEF+Arial,Bold").unwrap().width("A"), Some(722.0));
        assert_eq!(std14(b"Courier-Oblique").unwrap().width("x"), Some(600.0));
        assert_eq!(std14(b"Times-Roman").unwrap().width("space"), Some(250.0));
        assert!(std14(b"DejaVuSans").is_none());
    }
}
