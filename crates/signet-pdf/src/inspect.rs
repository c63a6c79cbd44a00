//! `inspect`: page geometry and `{{tag}}` positions.

use std::io::{Read, Seek};

use crate::error::Result;
use crate::geom::Matrix;
use crate::reader::{Document, Page, pages};
use crate::syntax::{Dict, Object};
use crate::text::extract::{GState, Interpreter};
use crate::text::tags::{find_tags, reading_order};
use crate::{Limits, PageInfo, PdfInfo, Rect, TagHit};

/// Decodes and concatenates a page's content streams.
pub(crate) fn page_content<R: Read + Seek>(doc: &mut Document<R>, page: &Page) -> Result<Vec<u8>> {
    let contents = match page.dict.get(b"Contents") {
        Some(c) => doc.resolve(c)?,
        None => return Ok(Vec::new()),
    };
    let parts = match contents {
        Object::Array(items) => items,
        other => vec![other],
    };
    let mut out = Vec::new();
    for part in parts.iter().take(100_000) {
        if let Object::Stream(s) = doc.resolve(part)? {
            out.extend_from_slice(&doc.decode_stream(&s)?);
            out.push(b'\n');
        }
    }
    Ok(out)
}

/// The page's effective resources as a dictionary.
pub(crate) fn page_resources<R: Read + Seek>(doc: &mut Document<R>, page: &Page) -> Result<Dict> {
    Ok(match &page.resources {
        Some(r) => doc.resolve_dict(r)?.unwrap_or_default(),
        None => Dict::new(),
    })
}

pub(crate) fn page_info(number: u32, page: &Page) -> PageInfo {
    PageInfo {
        number,
        width: page.crop_box.width() as f32,
        height: page.crop_box.height() as f32,
        rotation: page.rotate,
    }
}

/// Tags on one page, in reading order, relative to the crop box.
fn page_tags<R: Read + Seek>(
    interp: &mut Interpreter<'_, R>,
    number: u32,
    page: &Page,
) -> Result<Vec<TagHit>> {
    interp.start_page();
    let content = page_content(interp.doc(), page)?;
    let resources = page_resources(interp.doc(), page)?;
    interp.run(&content, &resources, GState::new(Matrix::IDENTITY), 0)?;
    let mut found = find_tags(&interp.glyphs);
    reading_order(&mut found);
    let (ox, oy) = (page.crop_box.x0, page.crop_box.y0);
    Ok(found
        .into_iter()
        .map(|t| TagHit {
            tag: t.name,
            page: number,
            rect: Rect {
                x: (t.bbox[0] - ox) as f32,
                y: (t.bbox[1] - oy) as f32,
                width: (t.bbox[2] - t.bbox[0]) as f32,
                height: (t.bbox[3] - t.bbox[1]) as f32,
            },
        })
        .collect())
}

pub(crate) fn inspect_document<R: Read + Seek>(input: R, limits: &Limits) -> Result<PdfInfo> {
    let mut doc = Document::open(input, limits)?;
    let pages = pages(&mut doc)?;
    let catalog = doc.catalog()?;
    let signed = crate::seal::form::form_state(&mut doc, &catalog)?.signed;
    let certification =
        crate::seal::form::docmdp_level(&mut doc, &catalog)?.and_then(|p| u8::try_from(p).ok());
    let active_content = crate::active::find(&mut doc, &catalog, &pages)?;
    let mut info = PdfInfo {
        version: doc.version.clone(),
        pages: Vec::with_capacity(pages.len()),
        tags: Vec::new(),
        signed,
        certification,
        active_content,
    };
    // One interpreter for all pages, so fonts shared between pages are parsed once.
    let mut interp = Interpreter::new(&mut doc);
    for (i, page) in pages.iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        info.pages.push(page_info(number, page));
        info.tags.extend(page_tags(&mut interp, number, page)?);
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Cursor;

    const FIXTURE: &[u8] = include_bytes!("../tests/fixtures/raw_features.pdf");

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        // Runs without the catch_unwind guard: any panic fails the property.
        #[test]
        fn arbitrary_bytes_after_a_header_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let mut pdf = b"%PDF-1.7\n".to_vec();
            pdf.extend_from_slice(&body);
            let _ = inspect_document(Cursor::new(pdf), &Limits::default());
        }

        #[test]
        fn mutated_fixture_never_panics(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12)) {
            let mut pdf = FIXTURE.to_vec();
            for (at, byte) in edits {
                let i = at.index(pdf.len());
                pdf[i] = byte;
            }
            let _ = inspect_document(Cursor::new(pdf), &Limits::default());
        }
    }
}
