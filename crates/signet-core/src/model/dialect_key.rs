use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::id::{AccountId, EnvelopeId, SignerId};

/// A core object a dialect names with a key of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyedObject {
    /// An envelope.
    Envelope(EnvelopeId),
    /// A signer.
    Signer(SignerId),
}

impl KeyedObject {
    /// The kind as stored: `envelope` or `signer`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Envelope(_) => "envelope",
            Self::Signer(_) => "signer",
        }
    }

    /// The object's id.
    pub fn uuid(&self) -> Uuid {
        match self {
            Self::Envelope(id) => id.as_uuid(),
            Self::Signer(id) => id.as_uuid(),
        }
    }

    /// Rebuilds an object from its stored kind and id; `None` for an unknown kind.
    pub fn from_parts(kind: &str, id: Uuid) -> Option<Self> {
        match kind {
            "envelope" => Some(Self::Envelope(EnvelopeId::from_uuid(id))),
            "signer" => Some(Self::Signer(SignerId::from_uuid(id))),
            _ => None,
        }
    }
}

/// The key a dialect gives a core object (for example Stiply's 50-character sign-request key),
/// with what that dialect records about the object beyond the core model.
#[derive(Clone, Debug, PartialEq)]
pub struct DialectKey {
    /// The owning account.
    pub account_id: AccountId,
    /// The dialect's name (`stiply`, ...).
    pub dialect: String,
    /// The object named.
    pub object: KeyedObject,
    /// The key; unique per (account, dialect, kind).
    pub key: String,
    /// The dialect's own attributes of the object (a JSON object).
    pub data: Value,
    /// When the key was minted.
    pub created_at: OffsetDateTime,
}
