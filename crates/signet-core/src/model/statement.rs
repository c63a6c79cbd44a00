use std::fmt;

use serde::{Deserialize, Serialize};

use crate::id::DocumentId;

/// The most statements an envelope holds.
pub const MAX_STATEMENTS: usize = 20;
/// The longest statement label, in characters.
pub const MAX_STATEMENT_LABEL: usize = 1000;
/// The longest statement id, in bytes.
pub const MAX_STATEMENT_ID: usize = 64;

/// A statement's id: chosen by the sender (or generated), unique within its envelope. 1–64
/// ASCII letters, digits, `-`, `_` or `.`, so it can travel in URLs, HTML attributes and the
/// ids of other vendors' wire shapes unchanged.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StatementId(String);

impl StatementId {
    /// A fresh id (a UUIDv7).
    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7().to_string())
    }

    /// Parses an id; `None` when it breaks the rules above.
    pub fn parse(text: &str) -> Option<Self> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        let fits = !text.is_empty() && text.len() <= MAX_STATEMENT_ID && text.chars().all(allowed);
        fits.then(|| Self(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StatementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for StatementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StatementId({})", self.0)
    }
}

impl TryFrom<String> for StatementId {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or_else(|| format!("invalid statement id {text:?}"))
    }
}

impl From<StatementId> for String {
    fn from(id: StatementId) -> Self {
        id.0
    }
}

/// A declaration every signer of the envelope must explicitly accept before signing ("I have
/// read and approve the general terms"), about the whole envelope or one of its documents.
/// Set while the envelope is a draft; fixed once it is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Its id, unique within the envelope.
    pub id: StatementId,
    /// What the signer declares, in Markdown (the signing page renders bold, italics and line
    /// breaks, and escapes everything else).
    pub label: String,
    /// The document it is about; `None` for the envelope as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<DocumentId>,
}

impl Statement {
    /// SHA-256 of the label's UTF-8 bytes, hex: what the audit trail binds an acceptance to.
    pub fn label_sha256(&self) -> String {
        hex::encode(crate::secret::sha256(self.label.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_ids_are_short_url_safe_words() {
        assert!(StatementId::parse("st-2").is_some());
        assert!(StatementId::parse("65a1b2c3d4e5f60718293a4b").is_some());
        assert!(StatementId::parse("a.b_c-D9").is_some());
        assert!(StatementId::parse("").is_none());
        assert!(StatementId::parse("has space").is_none());
        assert!(StatementId::parse("<script>").is_none());
        assert!(StatementId::parse("é").is_none());
        assert!(StatementId::parse(&"x".repeat(64)).is_some());
        assert!(StatementId::parse(&"x".repeat(65)).is_none());
    }

    #[test]
    fn stored_statements_refuse_a_bad_id() {
        let bad = serde_json::json!({"id": "a b", "label": "x"});
        assert!(serde_json::from_value::<Statement>(bad).is_err());
        let good = serde_json::json!({"id": "terms", "label": "I agree"});
        let statement: Statement = serde_json::from_value(good).unwrap();
        assert_eq!(statement.id.as_str(), "terms");
        assert_eq!(statement.document_id, None);
    }
}
