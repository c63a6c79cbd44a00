//! Reading an S3 blob as `Read + Seek`: ranged GETs pinned to the ETag seen when it was
//! opened, through a read-ahead buffer. The buffer starts at [`MIN_READ`] after a seek and
//! doubles (up to [`MAX_READ`]) while reads go on where the last GET ended, so parsing a PDF
//! (a few scattered reads) fetches little and a download streams in large GETs.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::Arc;

use bytes::Bytes;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectMeta, ObjectStore};

use super::{Inner, store_error};

/// The first GET after opening or seeking.
pub const MIN_READ: u64 = 64 * 1024;
/// The largest GET (and so the most memory one reader holds).
pub const MAX_READ: u64 = 8 * 1024 * 1024;

/// A committed S3 blob, read through ranged GETs.
pub(crate) struct S3Reader {
    inner: Arc<Inner>,
    path: Path,
    size: u64,
    /// The version being read: a blob replaced under the same key fails the next GET instead
    /// of mixing two versions' bytes.
    e_tag: Option<String>,
    pos: u64,
    /// Bytes `buf_start..buf_start + buf.len()` of the blob.
    buf: Bytes,
    buf_start: u64,
    /// Size of the next GET if reading stays sequential.
    next_read: u64,
}

impl S3Reader {
    pub(crate) fn new(inner: Arc<Inner>, path: Path, meta: ObjectMeta) -> Self {
        Self {
            inner,
            path,
            size: meta.size,
            e_tag: meta.e_tag,
            pos: 0,
            buf: Bytes::new(),
            buf_start: 0,
            next_read: MIN_READ,
        }
    }

    /// Fetches the range starting at `pos` into the buffer.
    fn fill(&mut self) -> io::Result<()> {
        let sequential = !self.buf.is_empty() && self.pos == self.buf_start + self.buf.len() as u64;
        let length = if sequential {
            self.next_read.saturating_mul(2).min(MAX_READ)
        } else {
            MIN_READ
        };
        let end = self.pos.saturating_add(length).min(self.size);
        let options = GetOptions {
            range: Some(GetRange::Bounded(self.pos..end)),
            if_match: self.e_tag.clone(),
            ..GetOptions::default()
        };
        let (store, path): (Arc<dyn ObjectStore>, Path) =
            (Arc::clone(&self.inner.store), self.path.clone());
        let fetched = self
            .inner
            .run(async move {
                match store.get_opts(&path, options).await {
                    Ok(result) => result.bytes().await,
                    Err(err) => Err(err),
                }
            })
            .map_err(io::Error::other)?;
        let bytes = fetched.map_err(|err| {
            io::Error::other(store_error("reading a blob", self.path.as_ref(), err))
        })?;
        if bytes.len() as u64 != end - self.pos {
            return Err(io::Error::other("the object store returned a short range"));
        }
        self.buf = bytes;
        self.buf_start = self.pos;
        self.next_read = length;
        Ok(())
    }
}

impl Read for S3Reader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.size || out.is_empty() {
            return Ok(0);
        }
        let buffered = self.buf_start..self.buf_start + self.buf.len() as u64;
        if !buffered.contains(&self.pos) {
            self.fill()?;
        }
        let offset = usize::try_from(self.pos - self.buf_start).map_err(io::Error::other)?;
        let available = &self.buf[offset..];
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for S3Reader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(delta) => self.size.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.pos.checked_add_signed(delta),
        };
        self.pos = target.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of a blob",
            )
        })?;
        Ok(self.pos)
    }
}
