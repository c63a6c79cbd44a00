//! Walking the page tree with inheritance, cycle detection and limits.

use std::collections::HashSet;
use std::io::{Read, Seek};

use super::document::Document;
use crate::error::{PdfError, Result};
use crate::syntax::{Dict, ObjRef, Object};

/// An axis-aligned box `[x0 y0 x1 y1]` with x0 <= x1, y0 <= y1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct BBox {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl BBox {
    pub(crate) fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub(crate) fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    fn from_object(o: &Object) -> Option<BBox> {
        let a = o.as_array()?;
        if a.len() != 4 {
            return None;
        }
        let v: Vec<f64> = a.iter().filter_map(Object::as_f64).collect();
        let [a0, a1, a2, a3] = v.as_slice() else {
            return None;
        };
        Some(BBox {
            x0: a0.min(*a2),
            y0: a1.min(*a3),
            x1: a0.max(*a2),
            y1: a1.max(*a3),
        })
    }

    fn intersect(&self, o: &BBox) -> Option<BBox> {
        let b = BBox {
            x0: self.x0.max(o.x0),
            y0: self.y0.max(o.y0),
            x1: self.x1.min(o.x1),
            y1: self.y1.min(o.y1),
        };
        (b.x1 > b.x0 && b.y1 > b.y0).then_some(b)
    }
}

/// A leaf of the page tree with its inherited attributes resolved.
#[derive(Clone, Debug)]
pub(crate) struct Page {
    pub obj: ObjRef,
    pub dict: Dict,
    /// The effective /Resources (possibly inherited), as found (may be a reference).
    pub resources: Option<Object>,
    /// CropBox clipped to the MediaBox (the MediaBox when absent).
    pub crop_box: BBox,
    /// /Rotate normalised to 0, 90, 180 or 270.
    pub rotate: u16,
}

#[derive(Clone, Default)]
struct Inherited {
    resources: Option<Object>,
    media_box: Option<Object>,
    crop_box: Option<Object>,
    rotate: Option<Object>,
}

impl Inherited {
    fn update(&mut self, d: &Dict) {
        let pick = |slot: &mut Option<Object>, key: &[u8]| {
            if let Some(v) = d.get(key) {
                *slot = Some(v.clone());
            }
        };
        pick(&mut self.resources, b"Resources");
        pick(&mut self.media_box, b"MediaBox");
        pick(&mut self.crop_box, b"CropBox");
        pick(&mut self.rotate, b"Rotate");
    }
}

/// All pages in document order.
pub(crate) fn pages<R: Read + Seek>(doc: &mut Document<R>) -> Result<Vec<Page>> {
    let catalog = doc.catalog()?;
    let root = match catalog.get(b"Pages") {
        Some(Object::Ref(r)) => *r,
        _ => {
            return Err(PdfError::malformed(
                "the catalog has no indirect /Pages tree",
            ));
        }
    };
    let max_pages = doc.limits.max_pages as usize;
    if let Some(Object::Dict(d)) = Some(doc.get(root)?)
        && d.int(b"Count").is_some_and(|c| c > max_pages as i64)
    {
        return Err(PdfError::limit("number of pages (/Count)"));
    }
    let max_depth = doc.limits.max_depth;
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack = vec![(root, Inherited::default(), 0u32)];
    while let Some((node, mut inh, depth)) = stack.pop() {
        if depth > max_depth {
            return Err(PdfError::limit("page tree depth"));
        }
        if !seen.insert(node) {
            return Err(PdfError::malformed("cycle in the page tree (/Kids)"));
        }
        let Some(dict) = doc.get(node)?.as_dict().cloned() else {
            return Err(PdfError::malformed("page tree node is not a dictionary"));
        };
        inh.update(&dict);
        let is_pages = dict.name(b"Type") == Some(b"Pages")
            || (dict.name(b"Type") != Some(b"Page") && dict.contains(b"Kids"));
        if is_pages {
            let kids = doc.resolve(dict.get(b"Kids").unwrap_or(&Object::Null))?;
            let kids = kids.as_array().unwrap_or_default();
            if kids.len() > max_pages || out.len() + stack.len() + kids.len() > max_pages * 2 + 16 {
                return Err(PdfError::limit("number of pages"));
            }
            for kid in kids.iter().rev() {
                let Object::Ref(r) = kid else {
                    return Err(PdfError::malformed(
                        "page tree kid is not an indirect reference",
                    ));
                };
                stack.push((*r, inh.clone(), depth + 1));
            }
        } else {
            if out.len() >= max_pages {
                return Err(PdfError::limit("number of pages"));
            }
            out.push(make_page(doc, node, dict, inh)?);
        }
    }
    Ok(out)
}

fn make_page<R: Read + Seek>(
    doc: &mut Document<R>,
    obj: ObjRef,
    dict: Dict,
    inh: Inherited,
) -> Result<Page> {
    let resolve_box = |doc: &mut Document<R>, o: &Option<Object>| -> Result<Option<BBox>> {
        match o {
            Some(v) => Ok(BBox::from_object(&doc.resolve(v)?)),
            None => Ok(None),
        }
    };
    let letter = BBox {
        x0: 0.0,
        y0: 0.0,
        x1: 612.0,
        y1: 792.0,
    };
    let media_box = resolve_box(doc, &inh.media_box)?
        .filter(|b| b.width() > 0.0 && b.height() > 0.0)
        .unwrap_or(letter);
    let crop_box = resolve_box(doc, &inh.crop_box)?
        .and_then(|c| c.intersect(&media_box))
        .unwrap_or(media_box);
    let rotate = match &inh.rotate {
        Some(r) => doc.resolve(r)?.as_int().unwrap_or(0),
        None => 0,
    };
    let rotate = if rotate % 90 == 0 {
        rotate.rem_euclid(360) as u16
    } else {
        0
    };
    Ok(Page {
        obj,
        dict,
        resources: inh.resources,
        crop_box,
        rotate,
    })
}
