//! Random access to the input (`Read + Seek`) with bounded, windowed reads.

use std::io::{Read, Seek, SeekFrom};

use crate::error::{PdfError, Result};
use crate::syntax::parser::ParseError;

/// The input file. Every read is bounded; nothing is loaded wholesale.
pub(crate) struct Source<R> {
    inner: R,
    len: u64,
}

/// Chunk size for streaming copies and scans.
pub(crate) const CHUNK: usize = 64 * 1024;

impl<R: Read + Seek> Source<R> {
    pub(crate) fn new(mut inner: R) -> Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        Ok(Source { inner, len })
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Reads up to `max` bytes at `offset` (fewer at the end of the file).
    pub(crate) fn read_at(&mut self, offset: u64, max: usize) -> Result<Vec<u8>> {
        if offset >= self.len {
            return Ok(Vec::new());
        }
        let avail = self.len - offset;
        let n = usize::try_from(avail.min(max as u64)).unwrap_or(max);
        let mut buf = vec![0u8; n];
        self.inner.seek(SeekFrom::Start(offset))?;
        self.inner.read_exact(&mut buf)?;
        Ok(buf)
    }

    /// Streams `len` bytes starting at `offset` to `sink`, chunk by chunk.
    pub(crate) fn copy_range(
        &mut self,
        offset: u64,
        len: u64,
        mut sink: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        let end = offset
            .checked_add(len)
            .filter(|e| *e <= self.len)
            .ok_or_else(|| PdfError::malformed("range beyond the end of the file"))?;
        self.inner.seek(SeekFrom::Start(offset))?;
        let mut buf = vec![0u8; CHUNK];
        let mut pos = offset;
        while pos < end {
            let n = usize::try_from((end - pos).min(CHUNK as u64)).unwrap_or(CHUNK);
            let slice = buf
                .get_mut(..n)
                .ok_or_else(|| PdfError::Internal("chunk".into()))?;
            self.inner.read_exact(slice)?;
            sink(slice)?;
            pos += n as u64;
        }
        Ok(())
    }

    /// Finds the first occurrence of `needle` at or after `from`, scanning at most `max_scan` bytes.
    pub(crate) fn find_forward(
        &mut self,
        from: u64,
        needle: &[u8],
        max_scan: u64,
    ) -> Result<Option<u64>> {
        let mut pos = from;
        let stop = from.saturating_add(max_scan).min(self.len);
        while pos < stop {
            let want = usize::try_from((stop - pos).min(CHUNK as u64 + needle.len() as u64))
                .unwrap_or(CHUNK);
            let buf = self.read_at(pos, want)?;
            if let Some(i) = find(&buf, needle) {
                return Ok(Some(pos + i as u64));
            }
            if buf.len() < needle.len() || buf.is_empty() {
                break;
            }
            pos += (buf.len() - needle.len() + 1) as u64;
        }
        Ok(None)
    }

    /// Runs `parse` on a window starting at `offset`, growing the window (up to `max`) while the
    /// parser reports that it ran out of data.
    pub(crate) fn with_window<T>(
        &mut self,
        offset: u64,
        max: usize,
        mut parse: impl FnMut(&[u8], bool) -> std::result::Result<T, ParseError>,
    ) -> Result<T> {
        let mut size = 4096usize.min(max.max(1));
        loop {
            let buf = self.read_at(offset, size)?;
            let partial = offset + (buf.len() as u64) < self.len;
            match parse(&buf, partial) {
                Err(ParseError::Eof) if partial && size < max => {
                    size = size.saturating_mul(4).min(max);
                }
                Err(ParseError::Eof) if partial => {
                    return Err(PdfError::limit(
                        "size of a single object or cross-reference section",
                    ));
                }
                other => return other.map_err(PdfError::from),
            }
        }
    }
}

/// Position of `needle` in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    memchr::memmem::find(hay, needle)
}

/// Position of the last occurrence of `needle` in `hay`.
pub(crate) fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    memchr::memmem::rfind(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn find_forward_crosses_chunk_boundaries() {
        let mut data = vec![b'x'; CHUNK * 2 + 10];
        data.extend_from_slice(b"endstream");
        let mut src = Source::new(Cursor::new(data)).unwrap();
        assert_eq!(
            src.find_forward(5, b"endstream", u64::MAX).unwrap(),
            Some((CHUNK * 2 + 10) as u64)
        );
        assert_eq!(src.find_forward(5, b"nothere", u64::MAX).unwrap(), None);
    }

    #[test]
    fn copy_range_rejects_out_of_bounds() {
        let mut src = Source::new(Cursor::new(vec![0u8; 10])).unwrap();
        assert!(src.copy_range(5, 6, |_| Ok(())).is_err());
        let mut n = 0;
        src.copy_range(2, 8, |c| {
            n += c.len();
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 8);
    }
}
