use std::io::{Read, Seek, Write};

use time::OffsetDateTime;

/// Why a blob operation failed.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// No blob has this key.
    #[error("blob {0} not found")]
    NotFound(String),
    /// The key is not one the core generates (empty, `..`, unexpected characters).
    #[error("invalid blob key {0:?}")]
    InvalidKey(String),
    /// The underlying storage failed.
    #[error("blob storage failed: {0}")]
    Io(String),
}

/// A readable, seekable blob (the PDF engine reads through this).
pub trait BlobRead: Read + Seek + Send {}
impl<T: Read + Seek + Send> BlobRead for T {}

/// A blob being written. Nothing is visible under a key until [`StagedBlob::commit`]; dropping
/// it without committing discards what was written.
pub trait StagedBlob: Write + Send {
    /// Makes the bytes durable and visible under `key` (atomically: all or nothing).
    fn commit(self: Box<Self>, key: &str) -> Result<(), BlobError>;
}

/// Where document bytes live. Synchronous: the core calls it from blocking threads.
pub trait BlobStore: Send + Sync {
    /// Starts a new blob.
    fn stage(&self) -> Result<Box<dyn StagedBlob>, BlobError>;
    /// Opens a committed blob for reading.
    fn open(&self, key: &str) -> Result<Box<dyn BlobRead>, BlobError>;
    /// Deletes a blob; deleting a missing blob is not an error.
    fn delete(&self, key: &str) -> Result<(), BlobError>;
    /// The keys of committed blobs last written before `cutoff` (for the orphan sweep, which
    /// deletes those no row references). Only valid keys are listed; staged bytes never are.
    fn keys_written_before(&self, cutoff: OffsetDateTime) -> Result<Vec<String>, BlobError>;
}

/// True for keys the core generates: `/`-separated segments of `[a-z0-9._-]`, none of them
/// empty, `.` or `..`. Blob stores must refuse anything else.
pub fn valid_blob_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 512
        && key.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
        })
}

#[cfg(test)]
mod tests {
    use super::valid_blob_key;

    #[test]
    fn generated_keys_are_valid_and_traversal_is_not() {
        assert!(valid_blob_key("0193a/0193b/original.pdf"));
        for bad in [
            "", "/abs", "a//b", "../x", "a/../b", "a/./b", "A/b", "a b", "a\\b", "a/b/",
        ] {
            assert!(!valid_blob_key(bad), "{bad:?} must be refused");
        }
    }
}
