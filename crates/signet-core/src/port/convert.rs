//! Converting office documents (DOC, DOCX) to PDF, e.g. with LibreOffice.

use std::io::{Read, Write};

/// Why a conversion failed.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The converter ran but the document could not be converted (damaged, unsupported,
    /// protected): the client's problem.
    #[error("the document could not be converted to PDF: {0}")]
    Rejected(String),
    /// The conversion took longer than allowed and was stopped.
    #[error("converting the document took longer than {0} s and was stopped")]
    TimedOut(u64),
    /// The converter could not be run at all.
    #[error("the document converter failed: {0}")]
    Failed(String),
}

/// Turns an office document into a PDF. Blocking: the core calls it on a blocking thread.
pub trait DocumentConverter: Send + Sync {
    /// Reads a document in the format `extension` names (`doc`, `docx`) from `input` and
    /// writes the PDF to `output`.
    fn convert_to_pdf(
        &self,
        input: &mut dyn Read,
        extension: &str,
        output: &mut dyn Write,
    ) -> Result<(), ConvertError>;
}
