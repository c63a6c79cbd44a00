//! A content-stream interpreter that records every shown glyph with its position.

use std::collections::HashMap;
use std::io::{Read, Seek};
use std::rc::Rc;

use super::content::Ops;
use super::font::Font;
use crate::error::{PdfError, Result};
use crate::geom::Matrix;
use crate::reader::Document;
use crate::syntax::{Dict, ObjRef, Object};

/// A glyph placed in default user space.
#[derive(Clone, Debug)]
pub(crate) struct PlacedGlyph {
    pub text: String,
    /// Baseline start and end of the advance, in user space.
    pub origin: (f64, f64),
    pub end: (f64, f64),
    /// Axis-aligned box of the glyph cell (advance × ascent..descent).
    pub bbox: [f64; 4],
    /// Effective font size in user space.
    pub size: f64,
}

/// The graphics state parts that affect text positions.
#[derive(Clone)]
pub(crate) struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scale: f64,
    leading: f64,
    rise: f64,
}

impl GState {
    pub(crate) fn new(ctm: Matrix) -> Self {
        GState {
            ctm,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// The text matrix and text line matrix (reset by BT).
struct TextPos {
    tm: Matrix,
    tlm: Matrix,
}

impl Default for TextPos {
    fn default() -> Self {
        TextPos {
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
        }
    }
}

impl TextPos {
    /// Starts a new line at `m` (both matrices).
    fn line(&mut self, m: Matrix) {
        self.tlm = m;
        self.tm = m;
    }
}

/// Cap on nested `q` levels kept (further `q`s are ignored, as viewers do).
const MAX_STATE_STACK: usize = 256;

/// Interprets pages and forms, collecting glyphs.
pub(crate) struct Interpreter<'d, R> {
    doc: &'d mut Document<R>,
    fonts: HashMap<ObjRef, Rc<Font>>,
    forms: Vec<ObjRef>,
    operators: u64,
    pub glyphs: Vec<PlacedGlyph>,
}

fn nums(operands: &[Object]) -> Vec<f64> {
    operands.iter().filter_map(Object::as_f64).collect()
}

impl<'d, R: Read + Seek> Interpreter<'d, R> {
    /// Clears per-page state (glyphs, operator count); loaded fonts stay cached.
    pub(crate) fn start_page(&mut self) {
        self.glyphs.clear();
        self.operators = 0;
        self.forms.clear();
    }

    /// The document being read.
    pub(crate) fn doc(&mut self) -> &mut Document<R> {
        self.doc
    }

    pub(crate) fn new(doc: &'d mut Document<R>) -> Self {
        Interpreter {
            doc,
            fonts: HashMap::new(),
            forms: Vec::new(),
            operators: 0,
            glyphs: Vec::new(),
        }
    }

    /// Runs a content stream with `resources`, starting from graphics state `gs`.
    pub(crate) fn run(
        &mut self,
        content: &[u8],
        resources: &Dict,
        mut gs: GState,
        depth: u32,
    ) -> Result<()> {
        if depth > self.doc.limits.max_depth {
            return Err(PdfError::limit("form XObject nesting depth"));
        }
        let mut ops = Ops::new(content, self.doc.limits.max_depth);
        let mut stack: Vec<GState> = Vec::new();
        let mut pos = TextPos::default();
        while let Some((op, args)) = ops.next_op() {
            self.operators += 1;
            if self.operators > self.doc.limits.max_operators {
                return Err(PdfError::limit("number of content-stream operators"));
            }
            match op {
                b"q" if stack.len() < MAX_STATE_STACK => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                b"cm" => {
                    if let Some(m) = Matrix::from_slice(&nums(&args)) {
                        gs.ctm = m.then(&gs.ctm);
                    }
                }
                b"Do" => {
                    if let Some(Object::Name(name)) = args.first() {
                        self.form(resources, name, &gs, depth)?;
                    }
                }
                b"Tf" => {
                    if let (Some(Object::Name(name)), Some(size)) =
                        (args.first(), nums(&args).first())
                    {
                        gs.font = Some(self.font(resources, name)?);
                        gs.size = *size;
                    }
                }
                _ => self.text_op(op, &args, &mut gs, &mut pos)?,
            }
        }
        Ok(())
    }

    /// Text state, positioning and showing operators.
    fn text_op(
        &mut self,
        op: &[u8],
        args: &[Object],
        gs: &mut GState,
        pos: &mut TextPos,
    ) -> Result<()> {
        let n = nums(args);
        let first = |default: f64| n.first().copied().unwrap_or(default);
        match op {
            b"BT" => *pos = TextPos::default(),
            b"Tc" => gs.char_spacing = first(0.0),
            b"Tw" => gs.word_spacing = first(0.0),
            b"Tz" => gs.scale = first(100.0) / 100.0,
            b"TL" => gs.leading = first(0.0),
            b"Ts" => gs.rise = first(0.0),
            b"Td" | b"TD" => {
                if let [tx, ty] = n.as_slice() {
                    if op == b"TD" {
                        gs.leading = -ty;
                    }
                    pos.line(Matrix::translate(*tx, *ty).then(&pos.tlm));
                }
            }
            b"Tm" => {
                if let Some(m) = Matrix::from_slice(&n) {
                    pos.line(m);
                }
            }
            b"T*" => pos.line(Matrix::translate(0.0, -gs.leading).then(&pos.tlm)),
            b"Tj" | b"'" | b"\"" => {
                if op == b"\""
                    && let [aw, ac, ..] = n.as_slice()
                {
                    gs.word_spacing = *aw;
                    gs.char_spacing = *ac;
                }
                if op != b"Tj" {
                    pos.line(Matrix::translate(0.0, -gs.leading).then(&pos.tlm));
                }
                if let Some(Object::String(s)) = args.last() {
                    self.show(gs, &mut pos.tm, s)?;
                }
            }
            b"TJ" => {
                for item in args.first().and_then(Object::as_array).unwrap_or_default() {
                    match item {
                        Object::String(s) => self.show(gs, &mut pos.tm, s)?,
                        other => {
                            let tx = -other.as_f64().unwrap_or(0.0) / 1000.0 * gs.size * gs.scale;
                            pos.tm = Matrix::translate(tx, 0.0).then(&pos.tm);
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn show(&mut self, gs: &GState, tm: &mut Matrix, s: &[u8]) -> Result<()> {
        let Some(font) = gs.font.clone() else {
            return Ok(());
        };
        let glyphs = font.glyphs(s);
        if self.glyphs.len() + glyphs.len() > self.doc.limits.max_glyphs_per_page {
            return Err(PdfError::limit("number of glyphs on a page"));
        }
        for g in glyphs {
            let trm = Matrix([gs.size * gs.scale, 0.0, 0.0, gs.size, 0.0, gs.rise])
                .then(tm)
                .then(&gs.ctm);
            let origin = trm.apply(0.0, 0.0);
            let end = trm.apply(g.width, 0.0);
            let corners = [
                trm.apply(0.0, font.descent),
                trm.apply(g.width, font.descent),
                trm.apply(0.0, font.ascent),
                trm.apply(g.width, font.ascent),
            ];
            let bbox = corners
                .iter()
                .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, (x, y)| {
                    [b[0].min(*x), b[1].min(*y), b[2].max(*x), b[3].max(*y)]
                });
            let up = trm.apply(0.0, 1.0);
            let size = ((up.0 - origin.0).powi(2) + (up.1 - origin.1).powi(2)).sqrt();
            self.glyphs.push(PlacedGlyph {
                text: g.text,
                origin,
                end,
                bbox,
                size,
            });
            let spacing = gs.char_spacing + if g.word_space { gs.word_spacing } else { 0.0 };
            let tx = (g.width * gs.size + spacing) * gs.scale;
            *tm = Matrix::translate(tx, 0.0).then(tm);
        }
        Ok(())
    }

    fn font(&mut self, resources: &Dict, name: &[u8]) -> Result<Rc<Font>> {
        let fonts = match resources.get(b"Font") {
            Some(o) => self.doc.resolve_dict(o)?.unwrap_or_default(),
            None => Dict::new(),
        };
        let entry = fonts.get(name).cloned().unwrap_or(Object::Null);
        if let Object::Ref(r) = entry
            && let Some(f) = self.fonts.get(&r)
        {
            return Ok(f.clone());
        }
        let font = match self.doc.resolve_dict(&entry)? {
            Some(d) => match Font::load(self.doc, &d) {
                Ok(f) => f,
                Err(e @ PdfError::LimitExceeded { .. }) => return Err(e),
                Err(_) => Font::fallback(),
            },
            None => Font::fallback(),
        };
        let font = Rc::new(font);
        if let Object::Ref(r) = entry {
            self.fonts.insert(r, font.clone());
        }
        Ok(font)
    }

    fn form(&mut self, resources: &Dict, name: &[u8], gs: &GState, depth: u32) -> Result<()> {
        let xobjects = match resources.get(b"XObject") {
            Some(o) => self.doc.resolve_dict(o)?.unwrap_or_default(),
            None => return Ok(()),
        };
        let Some(Object::Ref(r)) = xobjects.get(name).cloned() else {
            return Ok(());
        };
        if self.forms.contains(&r) {
            return Err(PdfError::malformed("form XObject draws itself (cycle)"));
        }
        let Object::Stream(stream) = self.doc.get(r)? else {
            return Ok(());
        };
        if stream.dict.name(b"Subtype") != Some(b"Form") {
            return Ok(());
        }
        let matrix = match stream.dict.get(b"Matrix") {
            Some(m) => {
                Matrix::from_slice(&nums(self.doc.resolve(m)?.as_array().unwrap_or_default()))
                    .unwrap_or(Matrix::IDENTITY)
            }
            None => Matrix::IDENTITY,
        };
        let own = match stream.dict.get(b"Resources") {
            Some(o) => self.doc.resolve_dict(o)?,
            None => None,
        };
        let data = self.doc.decode_stream(&stream)?;
        self.forms.push(r);
        // A form runs with the caller's graphics state (text state included), plus /Matrix.
        let mut inner = gs.clone();
        inner.ctm = matrix.then(&gs.ctm);
        let result = self.run(&data, own.as_ref().unwrap_or(resources), inner, depth + 1);
        self.forms.pop();
        result
    }
}
