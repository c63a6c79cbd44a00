//! Ignisign statements on the core's: the dialect keeps each statement's wire shape (`_id`,
//! `appId`, `appEnv`, `target`, ...) in its attributes; the core holds the label and the
//! document it is about, shows it to signers and refuses a signature without it.

use serde_json::Value;
use signet_core::id::DocumentId;
use signet_core::model::{EnvelopeRecord, Statement};
use signet_core::usecase::statement::NewStatement;

use super::stored::Stored;

/// The core statements for the stored ones. A `DOCUMENT` statement whose document has no file
/// yet (so no core document) waits: publishing requires every file and brings the core up to
/// date first ([`needs_sync`]).
pub(crate) fn core_statements(record: &EnvelopeRecord, stored: &Stored) -> Vec<NewStatement> {
    stored
        .statements
        .iter()
        .filter_map(|s| {
            let text = |key: &str| s.get(key).and_then(Value::as_str);
            let document_id = match text("target") {
                Some("DOCUMENT") => Some(core_document(record, stored, text("documentId")?)?),
                _ => None,
            };
            Some(NewStatement {
                id: text("_id").map(str::to_owned),
                label: text("labelMd").unwrap_or_default().to_owned(),
                document_id,
            })
        })
        .collect()
}

/// True when the core's statements differ from what the stored ones map to.
pub(crate) fn needs_sync(record: &EnvelopeRecord, wanted: &[NewStatement]) -> bool {
    let same = |core: &Statement, new: &NewStatement| {
        new.id.as_deref() == Some(core.id.as_str())
            && new.label.trim() == core.label
            && new.document_id == core.document_id
    };
    let current = &record.envelope.statements;
    current.len() != wanted.len() || current.iter().zip(wanted).any(|(c, w)| !same(c, w))
}

/// The core document an Ignisign document id (`{signatureRequestId}.{key}`) names, once its
/// file is uploaded (and while the request still has it).
fn core_document(record: &EnvelopeRecord, stored: &Stored, id: &str) -> Option<DocumentId> {
    let prefix = format!("{}.", record.envelope.id);
    let key = id.strip_prefix(&prefix).unwrap_or(id);
    let core = match stored.document(key) {
        Some(pending) => pending.document_id.as_deref()?,
        None => key,
    };
    let document: DocumentId = core.parse().ok()?;
    record.document(document).map(|d| d.id)
}
