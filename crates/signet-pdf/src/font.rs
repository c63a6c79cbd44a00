//! Embedded fonts: the bundled TrueType faces, measured with `ttf-parser`, subset with
//! `subsetter` and written as Type0/CIDFontType2 (Identity-H) with /W and /ToUnicode.

pub(crate) mod layout;

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use crate::error::{PdfError, Result};
use crate::syntax::{Dict, ObjRef, Object, Stream, StreamBody};

/// The bundled faces (SIL OFL; see assets/fonts/OFL.txt).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Face {
    Sans,
    SansBold,
    Script(ScriptFont),
}

impl Face {
    fn data(self) -> &'static [u8] {
        match self {
            Face::Sans => include_bytes!("../assets/fonts/NotoSans-Regular.ttf"),
            Face::SansBold => include_bytes!("../assets/fonts/NotoSans-Bold.ttf"),
            Face::Script(font) => font.ttf(),
        }
    }
}

/// The script faces a typed signature or typed initials can be drawn in (the signer picks
/// one on the signing page, which shows them with the same files).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScriptFont {
    /// Dancing Script: a lively, connected script.
    #[default]
    DancingScript,
    /// Great Vibes: a formal, flowing script.
    GreatVibes,
    /// Caveat: plain handwriting.
    Caveat,
}

impl ScriptFont {
    /// Every script face, the default first.
    pub const ALL: [ScriptFont; 3] = [Self::DancingScript, Self::GreatVibes, Self::Caveat];

    /// The face's name on the wire (`dancing_script`, `great_vibes`, `caveat`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DancingScript => "dancing_script",
            Self::GreatVibes => "great_vibes",
            Self::Caveat => "caveat",
        }
    }

    /// The face named `name` (see [`ScriptFont::as_str`]).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The family name, as people know it.
    pub fn family(self) -> &'static str {
        match self {
            Self::DancingScript => "Dancing Script",
            Self::GreatVibes => "Great Vibes",
            Self::Caveat => "Caveat",
        }
    }

    /// The TrueType file Signet embeds (subset) when it draws this face.
    pub fn ttf(self) -> &'static [u8] {
        match self {
            Self::DancingScript => include_bytes!("../assets/fonts/DancingScript-Regular.ttf"),
            Self::GreatVibes => include_bytes!("../assets/fonts/GreatVibes-Regular.ttf"),
            Self::Caveat => include_bytes!("../assets/fonts/Caveat-Regular.ttf"),
        }
    }
}

/// Where emitted objects go (the seal's update or a new report document).
pub(crate) trait ObjectSink {
    fn alloc(&mut self) -> ObjRef;
    fn put(&mut self, r: ObjRef, obj: Object);
}

/// A face in use: measures text and records the glyphs that must be embedded.
pub(crate) struct Font {
    face: Face,
    parsed: ttf_parser::Face<'static>,
    remapper: GlyphRemapper,
    /// New glyph id → (advance in font units, text it stands for).
    used: BTreeMap<u16, (u16, String)>,
    upem: f64,
}

impl Font {
    pub(crate) fn new(face: Face) -> Result<Font> {
        let parsed =
            ttf_parser::Face::parse(face.data(), 0).map_err(|e| PdfError::Font(e.to_string()))?;
        let upem = f64::from(parsed.units_per_em().max(1));
        Ok(Font {
            face,
            parsed,
            remapper: GlyphRemapper::new(),
            used: BTreeMap::new(),
            upem,
        })
    }

    /// Ascent and descent as fractions of the em.
    pub(crate) fn ascent(&self) -> f64 {
        f64::from(self.parsed.ascender()) / self.upem
    }

    pub(crate) fn descent(&self) -> f64 {
        f64::from(self.parsed.descender()) / self.upem
    }

    fn glyph(&self, c: char) -> u16 {
        self.parsed.glyph_index(c).map_or(0, |g| g.0)
    }

    fn advance(&self, gid: u16) -> u16 {
        self.parsed
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(0)
    }

    /// Width of `text` in ems (no kerning or shaping).
    pub(crate) fn width(&self, text: &str) -> f64 {
        text.chars()
            .filter(|c| !c.is_control())
            .map(|c| f64::from(self.advance(self.glyph(c))))
            .sum::<f64>()
            / self.upem
    }

    /// Encodes `text` as 2-byte CIDs (hex string body) and records its glyphs.
    pub(crate) fn encode(&mut self, text: &str) -> String {
        let mut hex = String::with_capacity(text.len() * 4);
        for c in text.chars().filter(|c| !c.is_control()) {
            let gid = self.glyph(c);
            let cid = self.remapper.remap(gid);
            let adv = self.advance(gid);
            self.used.entry(cid).or_insert_with(|| (adv, c.to_string()));
            hex.push_str(&format!("{cid:04X}"));
        }
        hex
    }

    /// Writes the Type0 font and its parts at `r`.
    pub(crate) fn emit(&self, sink: &mut dyn ObjectSink, r: ObjRef) -> Result<()> {
        let program = subsetter::subset(self.face.data(), 0, &self.remapper)
            .map_err(|e| PdfError::Font(e.to_string()))?;
        let name = format!("{}+{}", self.subset_tag(), self.postscript_name());
        let (file, desc, cid, tounicode) = (sink.alloc(), sink.alloc(), sink.alloc(), sink.alloc());
        let mut file_dict = Dict::new();
        file_dict.set(b"Length1", Object::Int(program.len() as i64));
        sink.put(file, compressed_stream(file_dict, &program));
        sink.put(desc, Object::Dict(self.descriptor(&name, file)));
        sink.put(cid, Object::Dict(self.cid_font(&name, desc)));
        sink.put(
            tounicode,
            compressed_stream(Dict::new(), self.to_unicode().as_bytes()),
        );
        let mut d = Dict::new();
        d.set(b"Type", Object::name("Font"));
        d.set(b"Subtype", Object::name("Type0"));
        d.set(b"BaseFont", Object::Name(name.into_bytes()));
        d.set(b"Encoding", Object::name("Identity-H"));
        d.set(b"DescendantFonts", Object::Array(vec![Object::Ref(cid)]));
        d.set(b"ToUnicode", Object::Ref(tounicode));
        sink.put(r, Object::Dict(d));
        Ok(())
    }

    fn postscript_name(&self) -> String {
        self.parsed
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| format!("{:?}", self.face))
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect()
    }

    /// Six capital letters derived from the glyph set (deterministic).
    fn subset_tag(&self) -> String {
        let mut h = Sha256::new();
        for cid in self.used.keys() {
            h.update(cid.to_be_bytes());
        }
        h.update(format!("{:?}", self.face));
        h.finalize()
            .iter()
            .take(6)
            .map(|b| char::from(b'A' + b % 26))
            .collect()
    }

    fn scaled(&self, v: f64) -> Object {
        Object::Int((v * 1000.0 / self.upem).round() as i64)
    }

    fn descriptor(&self, name: &str, file: ObjRef) -> Dict {
        let bb = self.parsed.global_bounding_box();
        let mut d = Dict::new();
        d.set(b"Type", Object::name("FontDescriptor"));
        d.set(b"FontName", Object::Name(name.as_bytes().to_vec()));
        d.set(
            b"Flags",
            Object::Int(
                4 + if matches!(self.face, Face::Script(_)) {
                    8
                } else {
                    0
                },
            ),
        );
        d.set(
            b"FontBBox",
            Object::Array(
                [bb.x_min, bb.y_min, bb.x_max, bb.y_max]
                    .iter()
                    .map(|v| self.scaled(f64::from(*v)))
                    .collect(),
            ),
        );
        d.set(
            b"ItalicAngle",
            Object::Real(f64::from(self.parsed.italic_angle())),
        );
        d.set(b"Ascent", self.scaled(f64::from(self.parsed.ascender())));
        d.set(b"Descent", self.scaled(f64::from(self.parsed.descender())));
        d.set(
            b"CapHeight",
            self.scaled(f64::from(self.parsed.capital_height().unwrap_or(700))),
        );
        d.set(
            b"StemV",
            Object::Int(if self.face == Face::SansBold { 140 } else { 80 }),
        );
        d.set(b"FontFile2", Object::Ref(file));
        d
    }

    fn cid_font(&self, name: &str, desc: ObjRef) -> Dict {
        let mut info = Dict::new();
        info.set(b"Registry", Object::String(b"Adobe".to_vec()));
        info.set(b"Ordering", Object::String(b"Identity".to_vec()));
        info.set(b"Supplement", Object::Int(0));
        let mut widths = Vec::new();
        for (cid, (adv, _)) in &self.used {
            widths.push(Object::Int(i64::from(*cid)));
            widths.push(Object::Array(vec![self.scaled(f64::from(*adv))]));
        }
        let mut d = Dict::new();
        d.set(b"Type", Object::name("Font"));
        d.set(b"Subtype", Object::name("CIDFontType2"));
        d.set(b"BaseFont", Object::Name(name.as_bytes().to_vec()));
        d.set(b"CIDSystemInfo", Object::Dict(info));
        d.set(b"FontDescriptor", Object::Ref(desc));
        d.set(b"DW", Object::Int(0));
        d.set(b"W", Object::Array(widths));
        d.set(b"CIDToGIDMap", Object::name("Identity"));
        d
    }

    fn to_unicode(&self) -> String {
        let mut s = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<_> = self.used.iter().collect();
        for chunk in entries.chunks(100) {
            s.push_str(&format!("{} beginbfchar\n", chunk.len()));
            for (cid, (_, text)) in chunk {
                let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
                s.push_str(&format!("<{cid:04X}> <{hex}>\n"));
            }
            s.push_str("endbfchar\n");
        }
        s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        s
    }
}

/// The fonts of one document update or report, shared by all pages, written once at the end.
#[derive(Default)]
pub(crate) struct FontSet {
    fonts: BTreeMap<Face, (ObjRef, Font)>,
}

impl FontSet {
    pub(crate) fn get(
        &mut self,
        face: Face,
        sink: &mut dyn ObjectSink,
    ) -> Result<(ObjRef, &mut Font)> {
        if let std::collections::btree_map::Entry::Vacant(e) = self.fonts.entry(face) {
            let r = sink.alloc();
            e.insert((r, Font::new(face)?));
        }
        let (r, f) = self
            .fonts
            .get_mut(&face)
            .ok_or_else(|| PdfError::Internal("font set".into()))?;
        Ok((*r, f))
    }

    /// The faces in use and their font object references.
    pub(crate) fn refs(&self) -> Vec<(Face, ObjRef)> {
        self.fonts.iter().map(|(f, (r, _))| (*f, *r)).collect()
    }

    pub(crate) fn emit(&self, sink: &mut dyn ObjectSink) -> Result<()> {
        for (r, font) in self.fonts.values() {
            font.emit(sink, *r)?;
        }
        Ok(())
    }
}

/// A FlateDecode stream object (deterministic compression).
pub(crate) fn compressed_stream(mut dict: Dict, data: &[u8]) -> Object {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2 + 64),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail; fall back to an uncompressed stream if it somehow does.
    let body = match enc.write_all(data).and_then(|()| enc.finish()) {
        Ok(z) => {
            dict.set(b"Filter", Object::name("FlateDecode"));
            z
        }
        Err(_) => data.to_vec(),
    };
    Object::Stream(Box::new(Stream {
        dict,
        body: StreamBody::Bytes(body),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Sink(Vec<(ObjRef, Object)>, u32);
    impl ObjectSink for Sink {
        fn alloc(&mut self) -> ObjRef {
            self.1 += 1;
            ObjRef::new(self.1, 0)
        }
        fn put(&mut self, r: ObjRef, obj: Object) {
            self.0.push((r, obj));
        }
    }

    #[test]
    fn fonts_measure_encode_and_emit() {
        let mut f = Font::new(Face::Sans).unwrap();
        assert!(f.ascent() > 0.9 && f.descent() < -0.2);
        assert!(f.width("Hello") > 2.0);
        let hex = f.encode("Zoë Ł");
        assert_eq!(hex.len(), 5 * 4);
        let mut sink = Sink(Vec::new(), 0);
        let r = sink.alloc();
        f.emit(&mut sink, r).unwrap();
        assert_eq!(sink.0.len(), 5);
        assert!(f.to_unicode().contains("<0141>"));
    }
}
