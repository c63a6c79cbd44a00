//! Resource limits applied to untrusted input.

use std::cell::Cell;

use crate::error::{PdfError, Result};

/// Bounds on the work the engine does for one document; exceeding one is
/// [`PdfError::LimitExceeded`]. The defaults follow pyHanko's `DecodeLimits`.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Maximum decoded size of a single stream, in bytes (default 256 MiB).
    pub max_stream_decoded: u64,
    /// Maximum ratio of decoded to encoded size for one stream (default 1100).
    pub max_decompression_ratio: u64,
    /// The ratio check applies only once a stream has decoded more than this many bytes (default 1 MiB).
    pub ratio_floor: u64,
    /// Total decoded bytes allowed across all streams of one document (default 1 GiB).
    pub max_document_decoded: u64,
    /// Maximum number of cross-reference entries (default 1,000,000).
    pub max_objects: u64,
    /// Maximum number of pages (default 10,000).
    pub max_pages: u32,
    /// Maximum nesting depth of arrays/dictionaries, page trees and form XObjects (default 64).
    pub max_depth: u32,
    /// Maximum number of cross-reference sections followed through /Prev (default 4,096).
    pub max_revisions: u32,
    /// Maximum number of content-stream operators interpreted per page (default 20,000,000).
    pub max_operators: u64,
    /// Maximum number of glyphs collected on one page while finding tags (default 1,000,000).
    pub max_glyphs_per_page: usize,
    /// Maximum size of an input PDF for any operation, in bytes (default 4 GiB).
    pub max_file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_stream_decoded: 256 * 1024 * 1024,
            max_decompression_ratio: 1100,
            ratio_floor: 1024 * 1024,
            max_document_decoded: 1024 * 1024 * 1024,
            max_objects: 1_000_000,
            max_pages: 10_000,
            max_depth: 64,
            max_revisions: 4096,
            max_operators: 20_000_000,
            max_glyphs_per_page: 1_000_000,
            max_file_size: 4 * 1024 * 1024 * 1024,
        }
    }
}

/// Tracks the per-document decode budget across streams.
#[derive(Debug)]
pub(crate) struct DecodeBudget {
    remaining: Cell<u64>,
}

impl DecodeBudget {
    pub(crate) fn new(limits: &Limits) -> Self {
        DecodeBudget {
            remaining: Cell::new(limits.max_document_decoded),
        }
    }

    /// Takes `n` bytes from the budget or fails.
    pub(crate) fn spend(&self, n: u64) -> Result<()> {
        let left = self.remaining.get();
        if n > left {
            return Err(PdfError::limit("total decoded bytes for this document"));
        }
        self.remaining.set(left - n);
        Ok(())
    }
}
