//! Active content: JavaScript (document-level scripts, actions run on opening the document,
//! on page or field events, or by links) and embedded files (the /EmbeddedFiles name tree and
//! file-attachment annotations). A document to be signed should show the same thing to every
//! signer and hold nothing that is signed unseen, so the core refuses such uploads; this
//! finds them and says where.

use std::io::{Read, Seek};

use crate::error::Result;
use crate::reader::{Document, Page};
use crate::seal::form::walk_fields;
use crate::syntax::{Dict, Object};

/// Most annotations looked at per page.
const MAX_ANNOTATIONS: usize = 10_000;
/// Most findings reported (the first few say enough).
const MAX_FINDINGS: usize = 10;

/// Action types that run code or leave the document.
const ACTIVE_ACTIONS: [&[u8]; 3] = [b"JavaScript", b"Launch", b"ImportData"];

/// What the document holds of active content, e.g. `"JavaScript run when the document opens"`;
/// empty when nothing.
pub(crate) fn find<R: Read + Seek>(
    doc: &mut Document<R>,
    catalog: &Dict,
    pages: &[Page],
) -> Result<Vec<String>> {
    let mut found = Vec::new();
    if let Some(names) = doc.resolve_dict(catalog.get(b"Names").unwrap_or(&Object::Null))? {
        if names.contains(b"JavaScript") {
            found.push("document-level JavaScript".to_string());
        }
        if names.contains(b"EmbeddedFiles") {
            found.push("embedded files".to_string());
        }
    }
    if is_active_action(doc, catalog.get(b"OpenAction"))? {
        found.push("an action run when the document opens".into());
    }
    if has_active_actions(doc, catalog.get(b"AA"))? {
        found.push("document event actions".into());
    }
    for (index, page) in pages.iter().enumerate() {
        if found.len() >= MAX_FINDINGS {
            break;
        }
        page_findings(doc, index + 1, page, &mut found)?;
    }
    walk_fields(doc, catalog, |doc, field| {
        if found.len() < MAX_FINDINGS
            && (has_active_actions(doc, field.dict.get(b"AA"))?
                || is_active_action(doc, field.dict.get(b"A"))?)
        {
            found.push(format!("actions on form field {:?}", field.name));
        }
        Ok(())
    })?;
    found.truncate(MAX_FINDINGS);
    Ok(found)
}

fn page_findings<R: Read + Seek>(
    doc: &mut Document<R>,
    number: usize,
    page: &Page,
    found: &mut Vec<String>,
) -> Result<()> {
    if has_active_actions(doc, page.dict.get(b"AA"))? {
        found.push(format!("page {number} event actions"));
    }
    let annots = doc.resolve(page.dict.get(b"Annots").unwrap_or(&Object::Null))?;
    for annot in annots
        .as_array()
        .unwrap_or_default()
        .iter()
        .take(MAX_ANNOTATIONS)
    {
        let Some(annot) = doc.resolve_dict(annot)? else {
            continue;
        };
        if annot.name(b"Subtype") == Some(b"FileAttachment") {
            found.push(format!("a file attachment on page {number}"));
        } else if is_active_action(doc, annot.get(b"A"))?
            || has_active_actions(doc, annot.get(b"AA"))?
        {
            found.push(format!(
                "an annotation with a script or launch action on page {number}"
            ));
        }
    }
    Ok(())
}

/// An /AA (additional actions) dictionary with an active action among its entries.
fn has_active_actions<R: Read + Seek>(doc: &mut Document<R>, aa: Option<&Object>) -> Result<bool> {
    let Some(actions) = doc.resolve_dict(aa.unwrap_or(&Object::Null))? else {
        return Ok(false);
    };
    for (_, action) in actions.iter() {
        if is_active_action(doc, Some(action))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// An action (or chain of /Next actions, followed a few steps) that runs code or launches.
fn is_active_action<R: Read + Seek>(
    doc: &mut Document<R>,
    action: Option<&Object>,
) -> Result<bool> {
    let mut next = action.cloned();
    for _ in 0..16 {
        let Some(object) = next.take() else {
            return Ok(false);
        };
        let Some(action) = doc.resolve_dict(&object)? else {
            return Ok(false);
        };
        let kind = action.name(b"S").unwrap_or_default();
        if ACTIVE_ACTIONS.contains(&kind) || action.contains(b"JS") {
            return Ok(true);
        }
        next = match action.get(b"Next") {
            Some(Object::Array(items)) => items.first().cloned(),
            other => other.cloned(),
        };
    }
    Ok(false)
}
