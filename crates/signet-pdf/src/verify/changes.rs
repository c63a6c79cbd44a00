//! What changed after a signature: every object the later revisions define, compared with
//! the object as the signed revision had it, classified from harmless (validation data,
//! document time-stamps) to anything else (content, resources, swapped objects). The
//! document information dictionary (/Info) and the catalog's /Version are metadata that
//! viewers do not render; like pyHanko, changes to them are not modifications.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Seek};

use super::report::Modification;
use crate::error::Result;
use crate::reader::xref::XrefEntry;
use crate::reader::{Document, Revision};
use crate::syntax::{Dict, Object};

/// Most change descriptions kept per signature.
const MAX_NOTES: usize = 8;

/// The changes made after the revision that ends at `signed_end`.
pub(super) struct Changes {
    pub level: Modification,
    pub notes: Vec<String>,
}

impl Changes {
    fn note(&mut self, level: Modification, what: impl FnOnce() -> String) {
        self.level = self.level.max(level);
        if level >= Modification::Annotations && self.notes.len() < MAX_NOTES {
            self.notes.push(what());
        }
    }
}

/// Compares the newest state with the state at `signed_end`.
pub(super) fn changes_after<R: Read + Seek>(
    doc: &mut Document<R>,
    revisions: &[Revision],
    signed_end: u64,
) -> Result<Changes> {
    let (signed, later): (Vec<&Revision>, Vec<&Revision>) =
        revisions.iter().partition(|r| r.xref_offset < signed_end);
    let mut changes = Changes {
        level: Modification::None,
        notes: Vec::new(),
    };
    if later.is_empty() {
        return Ok(changes);
    }
    let root = |revs: &[&Revision]| {
        revs.iter()
            .rev()
            .find_map(|r| r.trailer.get(b"Root").cloned())
    };
    let new_root = root(&later);
    if new_root.is_some() && new_root != root(&signed) {
        changes.note(Modification::Other, || {
            "the document catalog was replaced".into()
        });
    }
    let mut newest: HashMap<u32, XrefEntry> = HashMap::new();
    for rev in &later {
        newest.extend(rev.entries.iter().map(|(n, e)| (*n, *e)));
    }
    // The information dictionary is skipped only if it is the same object as when signed and
    // not the catalog (a later trailer must not be able to hide a catalog change as "metadata").
    let info_of = |revs: &[&Revision]| {
        revs.iter()
            .rev()
            .find_map(|r| match r.trailer.get(b"Info") {
                Some(Object::Ref(r)) => Some(r.num),
                _ => None,
            })
    };
    let root_num = match &new_root {
        Some(Object::Ref(r)) => Some(r.num),
        _ => None,
    };
    let info = info_of(&later).filter(|n| Some(*n) == info_of(&signed) && Some(*n) != root_num);
    let touched: BTreeSet<u32> = newest.keys().copied().collect();
    for num in touched.into_iter().filter(|n| Some(*n) != info) {
        let before = signed
            .iter()
            .rev()
            .find_map(|r| r.entries.get(&num).copied());
        let Some(before) = before.filter(|e| *e != XrefEntry::Free) else {
            continue; // a new object matters only where a changed object refers to it
        };
        let old = doc.load_entry(num, before)?;
        let new = match newest.get(&num) {
            Some(entry) => doc.load_entry(num, *entry)?,
            None => continue,
        };
        if same_object(doc, &old, &new)? {
            continue;
        }
        classify(doc, num, &old, &new, &mut changes)?;
    }
    Ok(changes)
}

/// Equal objects; streams compare by dictionary and raw bytes, wherever they sit.
fn same_object<R: Read + Seek>(doc: &mut Document<R>, a: &Object, b: &Object) -> Result<bool> {
    match (a, b) {
        (Object::Stream(x), Object::Stream(y)) => {
            let strip = |d: &Dict| {
                let mut d = d.clone();
                d.remove(b"Length");
                d
            };
            Ok(strip(&x.dict) == strip(&y.dict) && doc.raw_stream(x)? == doc.raw_stream(y)?)
        }
        _ => Ok(a == b),
    }
}

/// Keys whose values differ between two dictionaries.
fn changed_keys(old: &Dict, new: &Dict) -> Vec<Vec<u8>> {
    let mut keys: Vec<Vec<u8>> = old
        .iter()
        .chain(new.iter())
        .map(|(k, _)| k.to_vec())
        .collect();
    keys.sort();
    keys.dedup();
    keys.retain(|k| old.get(k) != new.get(k));
    keys
}

fn classify<R: Read + Seek>(
    doc: &mut Document<R>,
    num: u32,
    old: &Object,
    new: &Object,
    changes: &mut Changes,
) -> Result<()> {
    let other = |what: &str| format!("object {num} ({what}) was changed");
    match (old, new) {
        (_, Object::Null) => {
            changes.note(Modification::Other, || format!("object {num} was deleted"));
        }
        (Object::Array(a), Object::Array(b)) => grown(doc, a, b, changes, num)?,
        (Object::Dict(a), Object::Dict(b)) => classify_dict(doc, num, a, b, changes)?,
        (Object::Stream(a), Object::Stream(b))
            if is_validation_data(&a.dict) && is_validation_data(&b.dict) =>
        {
            changes.note(Modification::LongTermValidation, String::new);
        }
        (Object::Stream(_), _) => changes.note(Modification::Other, || other("a stream")),
        _ => changes.note(Modification::Other, || other("a value")),
    }
    Ok(())
}

fn is_validation_data(d: &Dict) -> bool {
    matches!(d.name(b"Type"), Some(b"DSS" | b"VRI"))
}

fn classify_dict<R: Read + Seek>(
    doc: &mut Document<R>,
    num: u32,
    old: &Dict,
    new: &Dict,
    changes: &mut Changes,
) -> Result<()> {
    let keys = changed_keys(old, new);
    let only = |allowed: &[&[u8]]| keys.iter().all(|k| allowed.contains(&k.as_slice()));
    let kind = old.name(b"Type").unwrap_or_default();
    if kind == b"Catalog" {
        for key in &keys {
            match key.as_slice() {
                b"Version" => {}
                b"DSS" | b"Extensions" => {
                    changes.note(Modification::LongTermValidation, String::new)
                }
                b"AcroForm" => match (old.get(b"AcroForm"), new.get(b"AcroForm")) {
                    (Some(Object::Dict(a)), Some(Object::Dict(b))) => {
                        classify_dict(doc, num, a, b, changes)?;
                    }
                    (None, Some(_)) => changes.note(Modification::FormFilling, String::new),
                    _ => changes.note(Modification::Other, || {
                        "the catalog's /AcroForm was replaced".into()
                    }),
                },
                other => {
                    let key = String::from_utf8_lossy(other).into_owned();
                    changes.note(Modification::Other, || {
                        format!("the catalog's /{key} was changed")
                    });
                }
            }
        }
        return Ok(());
    }
    if is_validation_data(old) || (old.contains(b"Certs") && old.contains(b"VRI")) {
        changes.note(Modification::LongTermValidation, String::new);
        return Ok(());
    }
    if old.contains(b"Fields") && only(&[b"Fields", b"SigFlags", b"DR", b"DA", b"NeedAppearances"])
    {
        return match (old.get(b"Fields"), new.get(b"Fields")) {
            (Some(Object::Array(a)), Some(Object::Array(b))) => grown(doc, a, b, changes, num),
            _ => {
                changes.note(Modification::FormFilling, String::new);
                Ok(())
            }
        };
    }
    if kind == b"Page" && only(&[b"Annots"]) {
        return match (old.get(b"Annots"), new.get(b"Annots")) {
            (Some(Object::Array(a)), Some(Object::Array(b))) => grown(doc, a, b, changes, num),
            (None, Some(Object::Array(b))) => grown(doc, &[], b, changes, num),
            _ => {
                changes.note(Modification::Other, || {
                    format!("the /Annots of page object {num} were replaced")
                });
                Ok(())
            }
        };
    }
    if (old.contains(b"FT") || old.name(b"Subtype") == Some(b"Widget"))
        && only(&[b"V", b"AP", b"AS", b"M"])
    {
        changes.note(Modification::FormFilling, String::new);
        return Ok(());
    }
    if old.contains(b"Subtype") && old.contains(b"Rect") {
        changes.note(Modification::Annotations, || {
            format!("annotation object {num} was changed")
        });
        return Ok(());
    }
    let what = if kind.is_empty() {
        "a dictionary".to_string()
    } else {
        format!("/{}", String::from_utf8_lossy(kind))
    };
    changes.note(Modification::Other, || {
        format!("object {num} ({what}) was changed")
    });
    Ok(())
}

/// An array that may only grow: what was there stays, and each addition is classified.
fn grown<R: Read + Seek>(
    doc: &mut Document<R>,
    old: &[Object],
    new: &[Object],
    changes: &mut Changes,
    num: u32,
) -> Result<()> {
    if !old.iter().all(|o| new.contains(o)) {
        changes.note(Modification::Other, || {
            format!("entries were removed from array object {num}")
        });
        return Ok(());
    }
    for added in new.iter().filter(|n| !old.contains(n)) {
        let Some(item) = doc.resolve_dict(added)? else {
            changes.note(Modification::Other, || {
                format!("array object {num} gained a non-dictionary")
            });
            continue;
        };
        let level = added_item_level(doc, &item)?;
        changes.note(level, || {
            format!("an annotation was added (array object {num})")
        });
    }
    Ok(())
}

/// A new signature field or widget is signing (a document time-stamp is validation data); any
/// other annotation is an annotation change; anything else is other.
fn added_item_level<R: Read + Seek>(doc: &mut Document<R>, item: &Dict) -> Result<Modification> {
    let parent = doc.resolve_dict(item.get(b"Parent").unwrap_or(&Object::Null))?;
    let field = if item.contains(b"FT") {
        Some(item.clone())
    } else {
        parent
    };
    if let Some(field) = field.filter(|f| f.name(b"FT") == Some(b"Sig")) {
        let value = doc.resolve_dict(field.get(b"V").unwrap_or(&Object::Null))?;
        let stamp = value.is_some_and(|v| v.name(b"Type") == Some(b"DocTimeStamp"));
        return Ok(if stamp {
            Modification::LongTermValidation
        } else {
            Modification::FormFilling
        });
    }
    Ok(if item.contains(b"Subtype") {
        Modification::Annotations
    } else {
        Modification::Other
    })
}
