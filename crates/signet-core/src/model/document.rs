use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::id::{DocumentId, EnvelopeId, SignerId};
use crate::model::Rect;

/// A blob the core wrote, with the hash and size recorded when it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    /// Key of the blob in the blob store.
    pub blob_key: String,
    /// SHA-256 of its bytes.
    #[serde(with = "hex_bytes")]
    pub sha256: [u8; 32],
    /// Its size in bytes.
    pub size: u64,
}

/// The size of one page in PDF points, unrotated, and its rotation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageSize {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// Clockwise rotation in degrees (0, 90, 180, 270).
    pub rotation: u16,
}

/// A `{{tag}}` found in a document's text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// The name between the braces.
    pub name: String,
    /// 1-based page number.
    pub page: u32,
    /// Where the tag's text is, in PDF points (bottom-left origin).
    pub rect: Rect,
}

/// The file a client uploaded when it was not a PDF (a DOC or DOCX converted to the PDF that
/// is signed): kept unchanged, with its hash, as evidence of what was submitted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The stored upload.
    pub file: StoredFile,
    /// Its media type, e.g. `application/vnd.openxmlformats-officedocument.wordprocessingml.document`.
    pub media_type: String,
}

/// A document's signed revisions so far: the original plus one approval signature for each
/// signer who has signed, in the order they did (the seal adds the final one on top).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedRevision {
    /// The PDF with those signatures.
    pub file: StoredFile,
    /// Whose signatures it carries, in order.
    pub signers: Vec<SignerId>,
}

/// A PDF in an envelope: the original as uploaded and, once sealed, the signed output.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Its id.
    pub id: DocumentId,
    /// The envelope it belongs to.
    pub envelope_id: EnvelopeId,
    /// The file name the client gave (metadata only, never used as a path).
    pub filename: String,
    /// The original upload.
    pub original: StoredFile,
    /// Page sizes, in order.
    pub pages: Vec<PageSize>,
    /// The tags found in its text.
    pub tags: Vec<Tag>,
    /// Position within the envelope (0-based, upload order).
    pub position: i32,
    /// The sealed output, once the envelope is completed.
    pub signed: Option<StoredFile>,
    /// The uploaded file `original` was converted from, when the upload was not a PDF.
    pub source: Option<SourceFile>,
    /// The signers' approval signatures added so far, until the envelope is sealed.
    pub revision: Option<SignedRevision>,
    /// Upload time.
    pub created_at: OffsetDateTime,
}

/// Serde helper: 32-byte arrays as lowercase hex.
pub(crate) mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let mut out = [0u8; 32];
        hex::decode_to_slice(text, &mut out).map_err(D::Error::custom)?;
        Ok(out)
    }
}
