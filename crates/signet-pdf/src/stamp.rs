//! Stamps: field values drawn into pages as appended, state-isolated content streams.

pub(crate) mod draw;

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use crate::Rect;
use crate::error::{PdfError, Result};
use crate::font::{FontSet, ObjectSink, ScriptFont, compressed_stream};
use crate::image::Png;
use crate::reader::{Document, Page};
use crate::seal::form::Edits;
use crate::syntax::{Dict, ObjRef, Object};

/// A value to draw on a page.
#[derive(Clone, Debug, PartialEq)]
pub struct Stamp {
    /// 1-based page number.
    pub page: u32,
    /// Box in the page's unrotated default user space, relative to its CropBox (see [`Rect`]).
    pub rect: Rect,
    /// What to draw.
    pub content: StampContent,
}

/// The kinds of stamp.
#[derive(Clone, Debug, PartialEq)]
pub enum StampContent {
    /// A PNG (drawn signature or initials), scaled into the box keeping its aspect ratio,
    /// transparency preserved. At most 4096x4096 pixels.
    Image(Vec<u8>),
    /// A typed signature or initials in an embedded script face, shrunk to fit the box.
    Script {
        /// The text.
        text: String,
        /// The face.
        font: ScriptFont,
    },
    /// Plain text in the embedded sans font, wrapped and clipped to the box.
    Text(String),
    /// A drawn tick in a box outline when true, the empty outline when false.
    Checkbox(bool),
    /// Paints the box white, e.g. to hide a `{{tag}}`.
    Cover,
}

impl ObjectSink for Edits {
    fn alloc(&mut self) -> ObjRef {
        Edits::alloc(self)
    }

    fn put(&mut self, r: ObjRef, obj: Object) {
        Edits::put(self, r, obj);
    }
}

/// Resources one page's stamps need, by resource name.
#[derive(Default)]
pub(crate) struct PageResources {
    pub fonts: Vec<(String, ObjRef)>,
    pub images: Vec<(String, ObjRef)>,
}

/// Adds every stamp to its page in `edits`.
pub(crate) fn apply<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &mut Edits,
    pages: &[Page],
    stamps: &[Stamp],
) -> Result<()> {
    let mut by_page: BTreeMap<usize, Vec<&Stamp>> = BTreeMap::new();
    for s in stamps {
        validate(s, pages.len())?;
        by_page.entry(s.page as usize - 1).or_default().push(s);
    }
    let mut fonts = FontSet::default();
    for (index, list) in by_page {
        let page = pages
            .get(index)
            .ok_or_else(|| PdfError::Internal("page index".into()))?;
        let mut content = Vec::new();
        let mut res = PageResources::default();
        let existing = match &page.resources {
            Some(r) => doc.resolve_dict(r)?.unwrap_or_default(),
            None => Dict::new(),
        };
        let sub = |doc: &mut Document<R>, key: &[u8]| -> Result<Dict> {
            Ok(match existing.get(key) {
                Some(o) => doc.resolve_dict(o)?.unwrap_or_default(),
                None => Dict::new(),
            })
        };
        let (existing_fonts, existing_xobjects) = (sub(doc, b"Font")?, sub(doc, b"XObject")?);
        for s in list {
            let ctx = draw::Ctx {
                page,
                fonts: &mut fonts,
                sink: &mut *edits,
                res: &mut res,
                existing_fonts: &existing_fonts,
                existing_xobjects: &existing_xobjects,
            };
            draw::stamp(ctx, s, &mut content)?;
        }
        attach(doc, edits, page, content, res)?;
    }
    fonts.emit(edits)
}

pub(crate) fn validate(s: &Stamp, pages: usize) -> Result<()> {
    if s.page == 0 || s.page as usize > pages {
        return Err(PdfError::InvalidInput(format!(
            "stamp on page {} but the document has {pages} pages",
            s.page
        )));
    }
    let r = s.rect;
    let ok = [r.x, r.y, r.width, r.height]
        .iter()
        .all(|v| v.is_finite() && v.abs() < 1.0e6)
        && r.width > 0.0
        && r.height > 0.0;
    if !ok {
        return Err(PdfError::InvalidInput(format!(
            "stamp rectangle {r:?} must be finite with a positive width and height"
        )));
    }
    if let StampContent::Image(png) = &s.content {
        Png::decode(png)?;
    }
    Ok(())
}

/// Rewrites the page: `[q, original contents…, Q + stamps]` and merged resources.
fn attach<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &mut Edits,
    page: &Page,
    content: Vec<u8>,
    res: PageResources,
) -> Result<()> {
    let mut dict = edits.dict(doc, page.obj)?;
    let mut parts = vec![];
    let open = edits.alloc();
    edits.put(open, compressed_stream(Dict::new(), b"q\n"));
    parts.push(Object::Ref(open));
    parts.extend(original_contents(doc, &dict)?);
    let close = edits.alloc();
    let mut body = b"Q\n".to_vec();
    body.extend_from_slice(&content);
    edits.put(close, compressed_stream(Dict::new(), &body));
    parts.push(Object::Ref(close));
    dict.set(b"Contents", Object::Array(parts));
    dict.set(
        b"Resources",
        Object::Dict(merged_resources(doc, page, res)?),
    );
    edits.put(page.obj, Object::Dict(dict));
    Ok(())
}

fn original_contents<R: Read + Seek>(doc: &mut Document<R>, page: &Dict) -> Result<Vec<Object>> {
    Ok(match page.get(b"Contents") {
        Some(Object::Array(items)) => items.clone(),
        Some(Object::Ref(r)) => match doc.get(*r)? {
            Object::Array(items) => items,
            _ => vec![Object::Ref(*r)],
        },
        _ => Vec::new(),
    })
}

/// The page's effective resources as a direct dictionary, plus the stamps' fonts and images.
fn merged_resources<R: Read + Seek>(
    doc: &mut Document<R>,
    page: &Page,
    res: PageResources,
) -> Result<Dict> {
    let mut dict = match &page.resources {
        Some(r) => doc.resolve_dict(r)?.unwrap_or_default(),
        None => Dict::new(),
    };
    for (category, entries) in [(&b"Font"[..], res.fonts), (b"XObject", res.images)] {
        if entries.is_empty() {
            continue;
        }
        let mut sub = match dict.get(category) {
            Some(o) => doc.resolve_dict(o)?.unwrap_or_default(),
            None => Dict::new(),
        };
        for (name, r) in entries {
            sub.set(name.as_bytes(), Object::Ref(r));
        }
        dict.set(category, Object::Dict(sub));
    }
    Ok(dict)
}

/// A resource name `prefix<n>` not present in the page's existing `category` resources.
pub(crate) fn fresh_name(existing: &Dict, taken: &[(String, ObjRef)], prefix: &str) -> String {
    (1..)
        .map(|i| format!("{prefix}{i}"))
        .find(|n| !existing.contains(n.as_bytes()) && !taken.iter().any(|(t, _)| t == n))
        .unwrap_or_else(|| prefix.to_string())
}
