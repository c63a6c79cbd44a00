//! Envelope statements: what the sender asks every signer to accept (set with the draft, see
//! [`NewStatement`]), and checking, when a signer completes, that they accepted each one.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::CoreError;
use crate::id::DocumentId;
use crate::model::{
    Document, MAX_STATEMENT_ID, MAX_STATEMENT_LABEL, MAX_STATEMENTS, Statement, StatementId,
};
use crate::usecase::validate;

/// A statement as the sender gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewStatement {
    /// Its id (generated when `None`); see [`StatementId`] for the rules.
    pub id: Option<String>,
    /// What the signer declares, in Markdown (1–1,000 characters).
    pub label: String,
    /// The document it is about (one of the envelope's); `None` for the whole envelope.
    pub document_id: Option<DocumentId>,
}

/// Checks `new` against the envelope's `documents` and the limits, and returns the statements.
pub(crate) fn build(
    new: &[NewStatement],
    documents: &[Document],
) -> Result<Vec<Statement>, CoreError> {
    if new.len() > MAX_STATEMENTS {
        return Err(CoreError::invalid(
            "too_many_statements",
            format!("an envelope holds at most {MAX_STATEMENTS} statements"),
        ));
    }
    let mut seen = BTreeSet::new();
    new.iter()
        .enumerate()
        .map(|(n, statement)| {
            let built = one(n, statement, documents)?;
            if !seen.insert(built.id.clone()) {
                return Err(CoreError::invalid(
                    "duplicate_statement",
                    format!("statement id {} is listed twice", built.id),
                ));
            }
            Ok(built)
        })
        .collect()
}

fn one(n: usize, new: &NewStatement, documents: &[Document]) -> Result<Statement, CoreError> {
    let id = match &new.id {
        None => StatementId::generate(),
        Some(text) => StatementId::parse(text).ok_or_else(|| {
            CoreError::invalid(
                "invalid_statement_id",
                format!(
                    "statements[{n}].id must be 1 to {MAX_STATEMENT_ID} letters, digits, '-', \
                     '_' or '.'"
                ),
            )
        })?,
    };
    let label = validate::text(
        &format!("statements[{n}].label"),
        &new.label,
        1,
        MAX_STATEMENT_LABEL,
    )?;
    if let Some(document) = new.document_id
        && !documents.iter().any(|d| d.id == document)
    {
        return Err(CoreError::invalid(
            "unknown_document",
            format!(
                "statements[{n}].document_id: document {document} is not part of this envelope"
            ),
        ));
    }
    Ok(Statement {
        id,
        label,
        document_id: new.document_id,
    })
}

/// Checks that `accepted` names every statement of the envelope and nothing else (422
/// `statements_not_accepted` or `unknown_statement`); returns what the audit trail records.
pub(crate) fn acceptance(
    statements: &[Statement],
    accepted: &[String],
) -> Result<Vec<Value>, CoreError> {
    if let Some(unknown) = accepted
        .iter()
        .find(|id| !statements.iter().any(|s| s.id.as_str() == id.as_str()))
    {
        return Err(CoreError::invalid(
            "unknown_statement",
            format!("statement {unknown:?} is not part of this envelope"),
        ));
    }
    let missing: Vec<&str> = statements
        .iter()
        .filter(|s| !accepted.iter().any(|id| id == s.id.as_str()))
        .map(|s| s.id.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(CoreError::invalid(
            "statements_not_accepted",
            format!(
                "every statement must be accepted before signing; not accepted: {}",
                missing.join(", ")
            ),
        ));
    }
    Ok(statements.iter().map(audit_entry).collect())
}

/// One accepted statement as the audit trail keeps it: the id, the exact label and its
/// SHA-256, and the document it is about.
fn audit_entry(statement: &Statement) -> Value {
    json!({
        "statement_id": statement.id,
        "label": statement.label,
        "label_sha256": statement.label_sha256(),
        "document_id": statement.document_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(id: Option<&str>, label: &str) -> NewStatement {
        NewStatement {
            id: id.map(str::to_owned),
            label: label.into(),
            document_id: None,
        }
    }

    fn code(err: CoreError) -> String {
        match err {
            CoreError::Invalid { code, .. } => code.into_owned(),
            other => panic!("expected a 422, got {other:?}"),
        }
    }

    #[test]
    fn labels_are_trimmed_and_bounded() {
        let built = build(&[new(Some("terms"), "  I **agree**  ")], &[]).unwrap();
        assert_eq!(built[0].label, "I **agree**");
        assert_eq!(built[0].id.as_str(), "terms");
        let at_limit = "x".repeat(MAX_STATEMENT_LABEL);
        assert!(build(&[new(None, &at_limit)], &[]).is_ok());
        let too_long = "x".repeat(MAX_STATEMENT_LABEL + 1);
        assert_eq!(
            code(build(&[new(None, &too_long)], &[]).unwrap_err()),
            "invalid_field"
        );
        assert_eq!(
            code(build(&[new(None, "   ")], &[]).unwrap_err()),
            "invalid_field"
        );
        assert_eq!(
            code(build(&[new(None, "a\u{0}b")], &[]).unwrap_err()),
            "invalid_field"
        );
    }

    #[test]
    fn ids_are_checked_unique_and_generated_when_missing() {
        let built = build(&[new(None, "a"), new(None, "b")], &[]).unwrap();
        assert_ne!(built[0].id, built[1].id);
        let twice = [new(Some("x"), "a"), new(Some("x"), "b")];
        assert_eq!(code(build(&twice, &[]).unwrap_err()), "duplicate_statement");
        let bad = [new(Some("not ok"), "a")];
        assert_eq!(code(build(&bad, &[]).unwrap_err()), "invalid_statement_id");
    }

    #[test]
    fn at_most_twenty_statements_about_known_documents() {
        let many: Vec<NewStatement> = (0..=MAX_STATEMENTS).map(|_| new(None, "a")).collect();
        assert_eq!(code(build(&many, &[]).unwrap_err()), "too_many_statements");
        let about = NewStatement {
            document_id: Some(DocumentId::generate()),
            ..new(None, "a")
        };
        assert_eq!(code(build(&[about], &[]).unwrap_err()), "unknown_document");
    }

    #[test]
    fn every_statement_must_be_accepted_and_nothing_else() {
        let statements = build(&[new(Some("a"), "A"), new(Some("b"), "B")], &[]).unwrap();
        let some = ["a".to_string()];
        assert_eq!(
            code(acceptance(&statements, &some).unwrap_err()),
            "statements_not_accepted"
        );
        let stranger = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(
            code(acceptance(&statements, &stranger).unwrap_err()),
            "unknown_statement"
        );
        let all = ["b".to_string(), "a".to_string()];
        let recorded = acceptance(&statements, &all).unwrap();
        assert_eq!(recorded[0]["statement_id"], "a");
        assert_eq!(recorded[1]["label"], "B");
        assert_eq!(recorded[1]["label_sha256"], statements[1].label_sha256());
        assert!(acceptance(&[], &[]).unwrap().is_empty());
    }
}
