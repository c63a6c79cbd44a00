//! Proof reports: a clean, deterministic multi-page A4 PDF built from blocks.

mod doc;
mod grid;
mod layout;

use doc::DocWriter;
use layout::{CONTENT_W, Layout, MARGIN_X, PAGE_H, PAGE_W, Style, n};

use crate::error::Result;
use crate::font::{Face, ObjectSink, compressed_stream};
use crate::image::Png;
use crate::syntax::serialize::text_string;
use crate::syntax::{Dict, ObjRef, Object};

/// A report document.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Large title on the first page (also the document's /Title).
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// The body, top to bottom.
    pub blocks: Vec<Block>,
    /// Optional footer text printed on every page, left of "Page n of m".
    pub footer: Option<String>,
}

/// One piece of report content.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// Wrapped body text (newlines start new lines).
    Paragraph(String),
    /// Two-column key/value list with wrapped values.
    KeyValues(Vec<(String, String)>),
    /// A table with a header row; cells wrap and rows split across pages.
    Table {
        /// Column headers.
        columns: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<String>>,
    },
    /// A PNG scaled down (never up) to fit `max_width` x `max_height` points and the page.
    Image {
        /// PNG bytes (at most 4096x4096 pixels).
        png: Vec<u8>,
        /// Largest width in points.
        max_width: f32,
        /// Largest height in points.
        max_height: f32,
    },
}

const TITLE: Style = Style {
    face: Face::SansBold,
    size: 20.0,
    gray: 0.0,
};
const SUBTITLE: Style = Style {
    face: Face::Sans,
    size: 11.0,
    gray: 0.35,
};
const HEADING: Style = Style {
    face: Face::SansBold,
    size: 13.0,
    gray: 0.1,
};
const BODY: Style = Style {
    face: Face::Sans,
    size: 10.0,
    gray: 0.0,
};
const FOOTER: Style = Style {
    face: Face::Sans,
    size: 8.0,
    gray: 0.4,
};

pub(crate) fn render(report: &Report) -> Result<Vec<u8>> {
    let mut doc = DocWriter::default();
    let (catalog, pages_ref, info) = (doc.alloc(), doc.alloc(), doc.alloc());
    let mut l = Layout::new(&mut doc);
    l.paragraph(TITLE, &report.title, 2.0)?;
    if let Some(s) = &report.subtitle {
        l.paragraph(SUBTITLE, s, 0.0)?;
    }
    l.y += 8.0;
    let top = l.y;
    l.hline(0.7, MARGIN_X, top, CONTENT_W);
    l.y += 12.0;
    for block in &report.blocks {
        block_out(&mut l, block)?;
    }
    footers(&mut l, report.footer.as_deref())?;
    let Layout { fonts, pages, .. } = l;
    let font_refs = font_resources(&fonts, &mut doc)?;
    let mut kids = Vec::with_capacity(pages.len());
    for page in pages {
        kids.push(Object::Ref(page_object(
            &mut doc, pages_ref, &font_refs, page,
        )));
    }
    let mut tree = Dict::new();
    tree.set(b"Type", Object::name("Pages"));
    tree.set(b"Count", Object::Int(kids.len() as i64));
    tree.set(b"Kids", Object::Array(kids));
    doc.put(pages_ref, Object::Dict(tree));
    let mut cat = Dict::new();
    cat.set(b"Type", Object::name("Catalog"));
    cat.set(b"Pages", Object::Ref(pages_ref));
    doc.put(catalog, Object::Dict(cat));
    let mut meta = Dict::new();
    meta.set(b"Title", Object::String(text_string(&report.title)));
    meta.set(b"Producer", Object::String(b"Signet".to_vec()));
    doc.put(info, Object::Dict(meta));
    Ok(doc.finish(catalog, info))
}

fn block_out(l: &mut Layout<'_>, block: &Block) -> Result<()> {
    match block {
        Block::Heading(text) => {
            l.y += 6.0;
            // Keep a heading with at least two lines of what follows.
            l.ensure(HEADING.leading() + 2.0 * BODY.leading());
            l.paragraph(HEADING, text, 4.0)
        }
        Block::Paragraph(text) => l.paragraph(BODY, text, 8.0),
        Block::KeyValues(pairs) => grid::key_values(l, pairs),
        Block::Table { columns, rows } => grid::table(l, columns, rows),
        Block::Image {
            png,
            max_width,
            max_height,
        } => image(l, png, f64::from(*max_width), f64::from(*max_height)),
    }
}

fn image(l: &mut Layout<'_>, bytes: &[u8], max_w: f64, max_h: f64) -> Result<()> {
    let png = Png::decode(bytes)?;
    let (pw, ph) = (f64::from(png.width), f64::from(png.height));
    let usable_h = PAGE_H - layout::MARGIN_TOP - layout::MARGIN_BOTTOM;
    let scale = (max_w.min(CONTENT_W) / pw)
        .min(max_h.min(usable_h) / ph)
        .clamp(1e-3, 1.0);
    let (w, h) = (pw * scale, ph * scale);
    l.ensure(h);
    let r = l.sink.alloc();
    png.emit(l.sink, r);
    let page = l.page();
    let name = format!("Im{}", page.images.len() + 1);
    page.images.push((name.clone(), r));
    let top = l.y;
    let op = format!(
        "q {} 0 0 {} {} {} cm /{name} Do Q\n",
        n(w),
        n(h),
        n(MARGIN_X),
        n(PAGE_H - top - h)
    );
    l.page().content.push_str(&op);
    l.y += h + 10.0;
    Ok(())
}

fn footers(l: &mut Layout<'_>, footer: Option<&str>) -> Result<()> {
    let total = l.pages.len();
    let top = PAGE_H - 44.0;
    for i in 0..total {
        l.current = i;
        let label = format!("Page {} of {total}", i + 1);
        let w = l.text_width(FOOTER, &label)?;
        l.hline(0.8, MARGIN_X, top - 6.0, CONTENT_W);
        if let Some(text) = footer {
            let lines = l.lines(FOOTER, text, CONTENT_W - w - 20.0)?;
            for (k, line) in lines.iter().take(2).enumerate() {
                l.draw_line(FOOTER, MARGIN_X, top + k as f64 * FOOTER.leading(), line)?;
            }
        }
        l.draw_line(FOOTER, PAGE_W - MARGIN_X - w, top, &label)?;
    }
    Ok(())
}

fn font_resources(fonts: &crate::font::FontSet, doc: &mut DocWriter) -> Result<Dict> {
    fonts.emit(doc)?;
    let mut d = Dict::new();
    for (face, r) in fonts.refs() {
        d.set(Layout::font_name(face).as_bytes(), Object::Ref(r));
    }
    Ok(d)
}

fn page_object(doc: &mut DocWriter, parent: ObjRef, fonts: &Dict, page: layout::PageOut) -> ObjRef {
    let content = doc.alloc();
    doc.put(
        content,
        compressed_stream(Dict::new(), page.content.as_bytes()),
    );
    let mut res = Dict::new();
    res.set(b"Font", Object::Dict(fonts.clone()));
    if !page.images.is_empty() {
        let xo: Dict = page
            .images
            .into_iter()
            .map(|(k, r)| (k.into_bytes(), Object::Ref(r)))
            .collect();
        res.set(b"XObject", Object::Dict(xo));
    }
    let mut d = Dict::new();
    d.set(b"Type", Object::name("Page"));
    d.set(b"Parent", Object::Ref(parent));
    d.set(
        b"MediaBox",
        Object::Array(
            [0.0, 0.0, PAGE_W, PAGE_H]
                .iter()
                .map(|v| Object::Real(*v))
                .collect(),
        ),
    );
    d.set(b"Resources", Object::Dict(res));
    d.set(b"Contents", Object::Ref(content));
    let r = doc.alloc();
    doc.put(r, Object::Dict(d));
    r
}
