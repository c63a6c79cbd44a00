//! A minimal writer for a fresh PDF: numbered objects, classic xref, deterministic /ID.

use sha2::{Digest, Sha256};

use crate::font::ObjectSink;
use crate::syntax::serialize::write_object;
use crate::syntax::{Dict, ObjRef, Object};

/// Objects of a new document, written in number order.
#[derive(Default)]
pub(crate) struct DocWriter {
    objects: Vec<Option<Object>>,
}

impl ObjectSink for DocWriter {
    fn alloc(&mut self) -> ObjRef {
        self.objects.push(None);
        ObjRef::new(self.objects.len() as u32, 0)
    }

    fn put(&mut self, r: ObjRef, obj: Object) {
        if let Some(slot) = (r.num as usize)
            .checked_sub(1)
            .and_then(|i| self.objects.get_mut(i))
        {
            *slot = Some(obj);
        }
    }
}

impl DocWriter {
    /// Serialises the document with `root` as catalog and `info` as document information.
    pub(crate) fn finish(self, root: ObjRef, info: ObjRef) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::with_capacity(self.objects.len());
        for (i, obj) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            write_object(&mut out, obj.as_ref().unwrap_or(&Object::Null));
            out.extend_from_slice(b"\nendobj\n");
        }
        let id: Vec<u8> = Sha256::digest(&out).get(..16).unwrap_or_default().to_vec();
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f\r\n", offsets.len() + 1).as_bytes(),
        );
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n\r\n").as_bytes());
        }
        let mut trailer = Dict::new();
        trailer.set(b"Size", Object::Int(self.objects.len() as i64 + 1));
        trailer.set(b"Root", Object::Ref(root));
        trailer.set(b"Info", Object::Ref(info));
        trailer.set(
            b"ID",
            Object::Array(vec![Object::String(id.clone()), Object::String(id)]),
        );
        out.extend_from_slice(b"trailer\n");
        write_object(&mut out, &Object::Dict(trailer));
        out.extend_from_slice(format!("\nstartxref\n{xref}\n%%EOF\n").as_bytes());
        out
    }
}
