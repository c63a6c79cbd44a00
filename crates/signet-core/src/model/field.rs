use serde::{Deserialize, Serialize};

use crate::id::{DocumentId, FieldId, SignerId};
use crate::model::text_enum;

/// A box on a page in PDF points: origin at the page's bottom-left, y up, (x, y) the box's
/// lower-left corner.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Bottom edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// What a field collects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// The signer's adopted signature.
    Signature,
    /// The signer's initials.
    Initials,
    /// The signing date, filled in automatically.
    Date,
    /// Free text typed by the signer.
    Text,
    /// A checkbox.
    Checkbox,
}
text_enum!(FieldKind {
    Signature => "signature",
    Initials => "initials",
    Date => "date",
    Text => "text",
    Checkbox => "checkbox",
});

/// The value a field received when its signer signed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldValue {
    /// Filled with the signer's adopted signature.
    Signature,
    /// Filled with the signer's initials (typed text, or the drawn signature image).
    Initials {
        /// The initials as text, when the signature was typed.
        text: Option<String>,
    },
    /// The signing date as shown on the page.
    Date {
        /// The date, formatted for the signer's language.
        text: String,
    },
    /// Free text.
    Text {
        /// What the signer typed.
        text: String,
    },
    /// A checkbox state.
    Checkbox {
        /// Checked or not.
        checked: bool,
    },
}

/// A field a signer fills in, placed on a page of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Its id.
    pub id: FieldId,
    /// The signer who fills it.
    pub signer_id: SignerId,
    /// The document it is on.
    pub document_id: DocumentId,
    /// What it collects.
    pub kind: FieldKind,
    /// Whether the signer must fill it.
    pub required: bool,
    /// 1-based page number.
    pub page: u32,
    /// Where it is on the page.
    pub rect: Rect,
    /// The `{{tag}}` it was placed on, if it was placed by tag.
    pub tag: Option<String>,
    /// Where the tag's text is (covered in the signed output), if placed by tag.
    pub tag_rect: Option<Rect>,
    /// The value, once signed.
    pub value: Option<FieldValue>,
}
