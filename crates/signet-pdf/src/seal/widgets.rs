//! Field values drawn as read-only form fields (a widget's appearance) instead of page content.
//! A placeholder made before the first signature can be filled by a later revision that only
//! replaces its appearance: form filling, which earlier approval signatures permit, where new
//! page content would break them.

use std::collections::HashMap;
use std::io::{Read, Seek};

use super::form::{self, Edits};
use crate::error::{PdfError, Result};
use crate::font::{FontSet, compressed_stream};
use crate::reader::{Document, Page};
use crate::stamp::{self, PageResources, Stamp, StampContent};
use crate::syntax::{Dict, ObjRef, Object};

/// Field flags: read-only (bit 1) and push-button (bit 17): a field that only shows its
/// appearance and that no viewer lets anyone edit.
const READ_ONLY_PUSH_BUTTON: i64 = 1 | (1 << 16);

/// A form field that shows a value, or an empty placeholder for one.
#[derive(Clone, Debug, PartialEq)]
pub struct FormField {
    /// Its name (`/T`): unique in the document, without periods.
    pub name: String,
    /// Where it sits; `content` of the stamp is ignored (see `value`).
    pub page: u32,
    /// Its box (see [`crate::Rect`]).
    pub rect: crate::Rect,
    /// What it shows; `None` makes an empty placeholder a later revision can fill.
    pub value: Option<StampContent>,
}

impl FormField {
    fn as_stamp(&self, content: StampContent) -> Stamp {
        Stamp {
            page: self.page,
            rect: self.rect,
            content,
        }
    }
}

/// Creates each field that does not exist yet and gives each its appearance; returns the
/// catalog when adding fields changed it.
pub(crate) fn apply<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &mut Edits,
    pages: &[Page],
    fields: &[FormField],
    catalog: &Dict,
) -> Result<Option<Dict>> {
    if fields.is_empty() {
        return Ok(None);
    }
    let existing = existing_fields(doc, catalog)?;
    let mut fonts = FontSet::default();
    let mut current = catalog.clone();
    let mut changed = false;
    for field in fields {
        check_name(&field.name)?;
        let placed = field.as_stamp(field.value.clone().unwrap_or(StampContent::Cover));
        stamp::validate(&placed, pages.len())?;
        let page = pages
            .get(field.page as usize - 1)
            .ok_or_else(|| PdfError::Internal("page index".into()))?;
        let appearance = appearance(edits, &mut fonts, page, field)?;
        match existing.get(&field.name) {
            Some(&r) => fill(doc, edits, r, appearance)?,
            None => {
                let widget = edits.alloc();
                edits.put(widget, new_widget(field, page, appearance));
                form::add_annotation(doc, edits, page, widget)?;
                if let Some(updated) = form::add_field(doc, edits, &current, widget)? {
                    current = updated;
                    changed = true;
                }
            }
        }
    }
    fonts.emit(edits)?;
    Ok(changed.then_some(current))
}

fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name.contains('.') || name.len() > 200 {
        return Err(PdfError::InvalidInput(format!(
            "form field name {name:?} must be 1 to 200 bytes without periods"
        )));
    }
    Ok(())
}

/// Top-level fields by name, where they are indirect objects.
fn existing_fields<R: Read + Seek>(
    doc: &mut Document<R>,
    catalog: &Dict,
) -> Result<HashMap<String, ObjRef>> {
    let mut found = HashMap::new();
    form::walk_fields(doc, catalog, |_, field| {
        if let (0, Object::Ref(r)) = (field.depth, &field.object) {
            found.insert(field.name.clone(), *r);
        }
        Ok(())
    })?;
    Ok(found)
}

/// A new appearance stream: the value drawn in the field's box (empty for a placeholder).
fn appearance(
    edits: &mut Edits,
    fonts: &mut FontSet,
    page: &Page,
    field: &FormField,
) -> Result<ObjRef> {
    let mut ops = Vec::new();
    let mut res = PageResources::default();
    if let Some(value) = &field.value {
        let empty = Dict::new();
        let ctx = stamp::draw::Ctx {
            page,
            fonts,
            sink: &mut *edits,
            res: &mut res,
            existing_fonts: &empty,
            existing_xobjects: &empty,
        };
        stamp::draw::stamp(ctx, &field.as_stamp(value.clone()), &mut ops)?;
    }
    let mut dict = Dict::new();
    dict.set(b"Type", Object::name("XObject"));
    dict.set(b"Subtype", Object::name("Form"));
    dict.set(b"BBox", user_space_box(page, field));
    dict.set(b"Resources", Object::Dict(resources(res)));
    let r = edits.alloc();
    edits.put(r, compressed_stream(dict, &ops));
    Ok(r)
}

fn resources(res: PageResources) -> Dict {
    let mut dict = Dict::new();
    for (category, entries) in [(&b"Font"[..], res.fonts), (b"XObject", res.images)] {
        if entries.is_empty() {
            continue;
        }
        let mut sub = Dict::new();
        for (name, r) in entries {
            sub.set(name.as_bytes(), Object::Ref(r));
        }
        dict.set(category, Object::Dict(sub));
    }
    dict
}

/// The field's box in default user space: the widget's /Rect and its appearance's /BBox, so
/// the appearance maps onto the page unscaled (the drawing already uses page coordinates).
fn user_space_box(page: &Page, field: &FormField) -> Object {
    let (x, y) = (
        page.crop_box.x0 + f64::from(field.rect.x),
        page.crop_box.y0 + f64::from(field.rect.y),
    );
    let (w, h) = (f64::from(field.rect.width), f64::from(field.rect.height));
    Object::Array([x, y, x + w, y + h].into_iter().map(Object::Real).collect())
}

fn appearance_dict(appearance: ObjRef) -> Object {
    let mut ap = Dict::new();
    ap.set(b"N", Object::Ref(appearance));
    Object::Dict(ap)
}

fn new_widget(field: &FormField, page: &Page, appearance: ObjRef) -> Object {
    let mut d = Dict::new();
    d.set(b"Type", Object::name("Annot"));
    d.set(b"Subtype", Object::name("Widget"));
    d.set(b"FT", Object::name("Btn"));
    d.set(b"Ff", Object::Int(READ_ONLY_PUSH_BUTTON));
    d.set(b"T", Object::String(field.name.as_bytes().to_vec()));
    d.set(b"Rect", user_space_box(page, field));
    d.set(b"F", Object::Int(4));
    d.set(b"P", Object::Ref(page.obj));
    d.set(b"AP", appearance_dict(appearance));
    Object::Dict(d)
}

/// Gives an existing field a new appearance and nothing else.
fn fill<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &mut Edits,
    field: ObjRef,
    appearance: ObjRef,
) -> Result<()> {
    let mut dict = edits.dict(doc, field)?;
    if dict.name(b"FT") == Some(b"Sig") {
        return Err(PdfError::InvalidInput(
            "a signature field cannot be filled as a form field".into(),
        ));
    }
    dict.set(b"AP", appearance_dict(appearance));
    edits.put(field, Object::Dict(dict));
    Ok(())
}
