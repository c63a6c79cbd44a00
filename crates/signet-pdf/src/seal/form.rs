//! Objects an update rewrites: the signature field, /AcroForm, page /Annots, the catalog.

use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Seek};

use crate::error::{PdfError, Result};
use crate::reader::{Document, Page};
use crate::syntax::{Dict, ObjRef, Object};

/// Objects written by the update (new ones and new versions of existing ones).
pub(crate) struct Edits {
    pub objects: BTreeMap<u32, (ObjRef, Object)>,
    /// Objects written by earlier updates of this run (newer than the input, not rewritten).
    base: BTreeMap<u32, (ObjRef, Object)>,
    next: u32,
}

impl Edits {
    pub(crate) fn new(first_free: u32) -> Self {
        Edits {
            objects: BTreeMap::new(),
            base: BTreeMap::new(),
            next: first_free,
        }
    }

    /// Starts the next update on top of this one: its objects become the base.
    pub(crate) fn next_revision(self) -> Self {
        let mut base = self.base;
        base.extend(self.objects);
        Edits {
            objects: BTreeMap::new(),
            base,
            next: self.next,
        }
    }

    /// One more than the highest object number allocated so far.
    pub(crate) fn next_free(&self) -> u32 {
        self.next
    }

    /// Object `r` as edited so far (this update, then earlier ones), else as in the document.
    pub(crate) fn object<R: Read + Seek>(
        &self,
        doc: &mut Document<R>,
        r: ObjRef,
    ) -> Result<Object> {
        match self.objects.get(&r.num).or_else(|| self.base.get(&r.num)) {
            Some((_, o)) => Ok(o.clone()),
            None => doc.get(r),
        }
    }

    /// A fresh object number.
    pub(crate) fn alloc(&mut self) -> ObjRef {
        let r = ObjRef::new(self.next, 0);
        self.next += 1;
        r
    }

    pub(crate) fn put(&mut self, r: ObjRef, obj: Object) {
        self.objects.insert(r.num, (r, obj));
    }

    /// The dictionary of `r` as edited so far, else as in the document.
    pub(crate) fn dict<R: Read + Seek>(&self, doc: &mut Document<R>, r: ObjRef) -> Result<Dict> {
        self.object(doc, r)?
            .as_dict()
            .cloned()
            .ok_or_else(|| PdfError::malformed(format!("object {} is not a dictionary", r.num)))
    }
}

/// Cap on form fields visited when looking for names and existing signatures.
const MAX_FIELDS: usize = 100_000;

/// What the document's form already contains.
pub(crate) struct FormState {
    pub names: HashSet<String>,
    pub signed: bool,
    /// The strictest /P of a signed field's /Lock (PDF 2.0), if any.
    pub locked: Option<i64>,
}

/// Walks /AcroForm /Fields (with /Kids) collecting top-level names and signed signature fields.
pub(crate) fn form_state<R: Read + Seek>(
    doc: &mut Document<R>,
    catalog: &Dict,
) -> Result<FormState> {
    let mut state = FormState {
        names: HashSet::new(),
        signed: false,
        locked: None,
    };
    walk_fields(doc, catalog, |doc, field| {
        if field.depth == 0 && field.dict.contains(b"T") {
            state.names.insert(field.name.clone());
        }
        if field.dict.name(b"FT") == Some(b"Sig") && field.dict.contains(b"V") {
            state.signed = true;
            if let Some(p) = lock_permission(doc, &field.dict)? {
                state.locked = Some(state.locked.map_or(p, |q| q.min(p)));
            }
        }
        Ok(())
    })?;
    Ok(state)
}

/// A form field met by [`walk_fields`].
pub(crate) struct FieldVisit {
    /// How the field was referenced (usually an indirect reference).
    pub object: Object,
    /// The field dictionary.
    pub dict: Dict,
    /// Its fully qualified name (`parent.child`).
    pub name: String,
    /// 0 for the fields listed in /AcroForm /Fields.
    pub depth: u32,
}

/// Visits every field of /AcroForm /Fields and their /Kids, parents before children, in
/// document order, each once; bounded by [`MAX_FIELDS`] and the depth limit.
pub(crate) fn walk_fields<R: Read + Seek>(
    doc: &mut Document<R>,
    catalog: &Dict,
    mut visit: impl FnMut(&mut Document<R>, &FieldVisit) -> Result<()>,
) -> Result<()> {
    let Some(form) = doc.resolve_dict(catalog.get(b"AcroForm").unwrap_or(&Object::Null))? else {
        return Ok(());
    };
    let fields = doc.resolve(form.get(b"Fields").unwrap_or(&Object::Null))?;
    let mut stack: Vec<(Object, String, u32)> = fields
        .as_array()
        .unwrap_or_default()
        .iter()
        .rev()
        .map(|f| (f.clone(), String::new(), 0))
        .collect();
    let mut seen = HashSet::new();
    let mut visited = 0usize;
    while let Some((object, parent, depth)) = stack.pop() {
        visited += 1;
        if visited > MAX_FIELDS || depth > doc.limits.max_depth {
            return Err(PdfError::limit("form field tree size"));
        }
        if let Object::Ref(r) = object
            && !seen.insert(r)
        {
            continue;
        }
        let Some(dict) = doc.resolve_dict(&object)? else {
            continue;
        };
        let name = match dict.get(b"T").and_then(Object::as_string) {
            Some(t) if parent.is_empty() => String::from_utf8_lossy(t).into_owned(),
            Some(t) => format!("{parent}.{}", String::from_utf8_lossy(t)),
            None => parent.clone(),
        };
        let kids = doc.resolve(dict.get(b"Kids").unwrap_or(&Object::Null))?;
        for kid in kids.as_array().unwrap_or_default().iter().rev() {
            stack.push((kid.clone(), name.clone(), depth + 1));
        }
        visit(
            doc,
            &FieldVisit {
                object,
                dict,
                name,
                depth,
            },
        )?;
    }
    Ok(())
}

/// The DocMDP permission (1..3) of an existing certification signature, if any.
pub(crate) fn docmdp_level<R: Read + Seek>(
    doc: &mut Document<R>,
    catalog: &Dict,
) -> Result<Option<i64>> {
    let Some(perms) = doc.resolve_dict(catalog.get(b"Perms").unwrap_or(&Object::Null))? else {
        return Ok(None);
    };
    let Some(sig) = doc.resolve_dict(perms.get(b"DocMDP").unwrap_or(&Object::Null))? else {
        return Ok(None);
    };
    let refs = doc.resolve(sig.get(b"Reference").unwrap_or(&Object::Null))?;
    for item in refs.as_array().unwrap_or_default() {
        let Some(r) = doc.resolve_dict(item)? else {
            continue;
        };
        if r.name(b"TransformMethod") == Some(b"DocMDP") {
            let params = doc
                .resolve_dict(r.get(b"TransformParams").unwrap_or(&Object::Null))?
                .unwrap_or_default();
            return Ok(Some(params.int(b"P").unwrap_or(2)));
        }
    }
    Ok(Some(2))
}

/// The /P of a signature field's /Lock dictionary (PDF 2.0), if it has one.
pub(crate) fn lock_permission<R: Read + Seek>(
    doc: &mut Document<R>,
    field: &Dict,
) -> Result<Option<i64>> {
    let lock = doc.resolve_dict(field.get(b"Lock").unwrap_or(&Object::Null))?;
    Ok(lock.and_then(|l| l.int(b"P")))
}

/// A field name not used yet: `SignetSeal1`, `SignetSeal2`, ...
pub(crate) fn unique_field_name(names: &HashSet<String>) -> String {
    (1..)
        .map(|i| format!("SignetSeal{i}"))
        .find(|n| !names.contains(n))
        .unwrap_or_else(|| "SignetSeal".into())
}

/// Adds the invisible signature widget `widget` to `page`'s /Annots.
pub(crate) fn add_annotation<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &mut Edits,
    page: &Page,
    widget: ObjRef,
) -> Result<()> {
    let mut page_dict = edits.dict(doc, page.obj)?;
    match page_dict.get(b"Annots").cloned() {
        Some(Object::Ref(a)) => {
            if let Object::Array(mut items) = edits.object(doc, a)? {
                items.push(Object::Ref(widget));
                edits.put(a, Object::Array(items));
                return Ok(());
            }
            page_dict.set(b"Annots", Object::Array(vec![Object::Ref(widget)]));
        }
        Some(Object::Array(mut items)) => {
            items.push(Object::Ref(widget));
            page_dict.set(b"Annots", Object::Array(items));
        }
        _ => page_dict.set(b"Annots", Object::Array(vec![Object::Ref(widget)])),
    }
    edits.put(page.obj, Object::Dict(page_dict));
    Ok(())
}

/// Registers the field in /AcroForm (creating it if needed); returns the new catalog if it changed.
pub(crate) fn add_field<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &mut Edits,
    catalog: &Dict,
    widget: ObjRef,
) -> Result<Option<Dict>> {
    match catalog.get(b"AcroForm").cloned() {
        Some(Object::Ref(a)) => {
            let mut form = edits.dict(doc, a)?;
            append_field(doc, edits, &mut form, widget)?;
            edits.put(a, Object::Dict(form));
            Ok(None)
        }
        Some(Object::Dict(mut form)) => {
            append_field(doc, edits, &mut form, widget)?;
            let mut cat = catalog.clone();
            cat.set(b"AcroForm", Object::Dict(form));
            Ok(Some(cat))
        }
        _ => {
            let a = edits.alloc();
            let mut form = Dict::new();
            form.set(b"Fields", Object::Array(vec![Object::Ref(widget)]));
            form.set(b"SigFlags", Object::Int(3));
            edits.put(a, Object::Dict(form));
            let mut cat = catalog.clone();
            cat.set(b"AcroForm", Object::Ref(a));
            Ok(Some(cat))
        }
    }
}

fn append_field<R: Read + Seek>(
    doc: &mut Document<R>,
    edits: &mut Edits,
    form: &mut Dict,
    widget: ObjRef,
) -> Result<()> {
    form.set(b"SigFlags", Object::Int(3));
    match form.get(b"Fields").cloned() {
        Some(Object::Ref(f)) => {
            let mut arr = edits.object(doc, f)?;
            if let Object::Array(items) = &mut arr {
                items.push(Object::Ref(widget));
                edits.put(f, arr);
            } else {
                form.set(b"Fields", Object::Array(vec![Object::Ref(widget)]));
            }
        }
        Some(Object::Array(mut items)) => {
            items.push(Object::Ref(widget));
            form.set(b"Fields", Object::Array(items));
        }
        _ => form.set(b"Fields", Object::Array(vec![Object::Ref(widget)])),
    }
    Ok(())
}

/// The merged signature field + widget annotation (invisible: zero rectangle, print + locked).
pub(crate) fn signature_widget(name: &str, sig: ObjRef, page: ObjRef) -> Dict {
    let mut d = Dict::new();
    d.set(b"Type", Object::name("Annot"));
    d.set(b"Subtype", Object::name("Widget"));
    d.set(b"FT", Object::name("Sig"));
    d.set(b"T", Object::String(name.as_bytes().to_vec()));
    d.set(b"V", Object::Ref(sig));
    d.set(b"F", Object::Int(132));
    d.set(b"Rect", Object::Array(vec![Object::Int(0); 4]));
    d.set(b"P", Object::Ref(page));
    d
}
