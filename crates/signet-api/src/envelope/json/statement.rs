//! Wire types of envelope statements: what the sender asks every signer to accept.

use serde::{Deserialize, Serialize};
use signet_core::id::DocumentId;
use signet_core::model::Statement;
use signet_core::usecase::statement::NewStatement;
use utoipa::ToSchema;
use uuid::Uuid;

/// A statement every signer must tick before signing ("I have read and approve the general
/// terms"). At most 20 per envelope; they can change only while the envelope is a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementRequest {
    /// Your id for it (1–64 letters, digits, `-`, `_`, `.`; unique in the envelope); generated
    /// when missing. Signers accept statements by these ids.
    #[serde(default)]
    pub id: Option<String>,
    /// What the signer declares, in Markdown (1–1,000 characters). The signing page shows
    /// `**bold**`, `*italics*` and line breaks; everything else is shown as plain text.
    pub label: String,
    /// The document it is about (one of the envelope's); omit for the whole envelope. A
    /// statement about a document goes when the document is removed.
    #[serde(default)]
    pub document_id: Option<Uuid>,
}

impl From<StatementRequest> for NewStatement {
    fn from(r: StatementRequest) -> Self {
        NewStatement {
            id: r.id,
            label: r.label,
            document_id: r.document_id.map(DocumentId::from_uuid),
        }
    }
}

/// A statement of the envelope.
#[derive(Serialize, ToSchema)]
pub struct StatementResponse {
    /// Its id: what `accepted_statements` names when a signer completes.
    pub id: String,
    /// The label, in Markdown, as given.
    pub label: String,
    /// The document it is about; null for the whole envelope.
    pub document_id: Option<Uuid>,
}

impl From<&Statement> for StatementResponse {
    fn from(s: &Statement) -> Self {
        Self {
            id: s.id.to_string(),
            label: s.label.clone(),
            document_id: s.document_id.map(|d| d.as_uuid()),
        }
    }
}
