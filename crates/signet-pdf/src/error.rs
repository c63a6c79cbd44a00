//! The engine's single error type.

use thiserror::Error;

/// Everything that can go wrong in the PDF engine.
///
/// Every public entry point returns this; hostile input never panics the caller.
#[derive(Debug, Error)]
pub enum PdfError {
    /// The input does not start with a `%PDF-` header within its first 1024 bytes.
    #[error("not a PDF: no %PDF- header in the first 1024 bytes; upload a PDF file")]
    NotPdf,
    /// The document is encrypted (has an /Encrypt dictionary); Signet cannot read or seal it.
    #[error(
        "the PDF is encrypted or password-protected; remove the protection and upload it again"
    )]
    Encrypted,
    /// The file structure is damaged (broken cross-reference data, bad objects, truncation).
    #[error("the PDF is damaged ({reason}); re-save it with a PDF tool and upload it again")]
    Malformed {
        /// What was wrong, for logs and support.
        reason: String,
    },
    /// A resource limit (`Limits`) was exceeded; the file is too large, too deep or a decompression bomb.
    #[error("the PDF exceeds a processing limit ({what}); simplify or split the document")]
    LimitExceeded {
        /// Which limit was hit.
        what: String,
    },
    /// A PDF feature the engine does not implement was required to complete the request.
    #[error("unsupported PDF feature: {0}")]
    Unsupported(String),
    /// A caller-supplied argument was invalid (page out of range, bad rectangle, empty chain, ...).
    #[error("invalid request: {0}")]
    InvalidInput(String),
    /// An image given for a stamp or report could not be used (not a PNG, too large, corrupt).
    #[error("invalid image: {0}; use a PNG of at most 4096x4096 pixels")]
    Image(String),
    /// A font could not be loaded or subset (should not happen with the bundled fonts).
    #[error("font error: {0}")]
    Font(String),
    /// A key or certificate could not be parsed, generated or does not match.
    #[error("key or certificate problem: {0}")]
    Crypto(String),
    /// The document forbids further changes (DocMDP certification) or is in a state that cannot be sealed.
    #[error("the document cannot be sealed: {0}")]
    Forbidden(String),
    /// The CMS signature did not fit into the space reserved in /Contents.
    #[error(
        "signature container of {needed} bytes does not fit the {reserved} bytes reserved; this is a bug in placeholder sizing, please report it"
    )]
    SignatureTooLarge {
        /// Bytes the CMS needed.
        needed: usize,
        /// Bytes that were reserved.
        reserved: usize,
    },
    /// The time-stamping authority could not be reached or gave no usable token (transient:
    /// the caller should retry later rather than seal at a lower level).
    #[error("the time-stamping authority failed: {0}")]
    Timestamp(String),
    /// Reading the input or writing the output failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// An internal invariant broke (a caught panic); the input was probably hostile. Please report it.
    #[error("internal error in the PDF engine ({0}); the input may be hostile, please report it")]
    Internal(String),
}

impl PdfError {
    /// Shorthand for [`PdfError::Malformed`].
    pub(crate) fn malformed(reason: impl Into<String>) -> Self {
        PdfError::Malformed {
            reason: reason.into(),
        }
    }

    /// Shorthand for [`PdfError::LimitExceeded`].
    pub(crate) fn limit(what: impl Into<String>) -> Self {
        PdfError::LimitExceeded { what: what.into() }
    }
}

/// The engine's result type.
pub type Result<T, E = PdfError> = std::result::Result<T, E>;
