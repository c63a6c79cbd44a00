//! One streaming pass over the file: its SHA-256, where every `%%EOF` is, and the SHA-256 of
//! every signature's signed ranges. A signature's hasher is a clone of the whole-file hasher
//! taken at the start of its gap, so the prefix it shares with the file is hashed once, and a
//! B-LTA file costs about one hash of the file instead of three.

use std::io::{Read, Seek};

use sha2::{Digest, Sha256};

use super::structure::{ByteRange, FileShape};
use crate::error::Result;
use crate::reader::Document;

/// The file's shape and the SHA-256 of each of `ranges`, in their order.
pub(super) fn file_shape<R: Read + Seek>(
    doc: &mut Document<R>,
    ranges: &[ByteRange],
) -> Result<(FileShape, Vec<Vec<u8>>)> {
    let len = doc.src.len();
    let mut pass = Pass::new(ranges);
    let mut pos = 0u64;
    doc.src.copy_range(0, len, |chunk| {
        pass.feed(pos, chunk);
        pos += chunk.len() as u64;
        Ok(())
    })?;
    let digests = pass
        .tails
        .into_iter()
        .map(|t| t.map(|h| h.finalize().to_vec()).unwrap_or_default())
        .collect();
    let (revision_ends, eof_lines) = revision_ends(doc, &pass.marks)?;
    let shape = FileShape {
        sha256: pass.file.finalize().into(),
        len,
        revision_ends,
        eof_lines,
    };
    Ok((shape, digests))
}

struct Pass<'a> {
    file: Sha256,
    ranges: &'a [ByteRange],
    /// Indices of `ranges` by gap start.
    order: Vec<usize>,
    /// Each range's hasher, from its gap start on.
    tails: Vec<Option<Sha256>>,
    marks: Vec<u64>,
    /// The last bytes of the previous chunk, to find a `%%EOF` across the seam.
    seam: Vec<u8>,
}

impl<'a> Pass<'a> {
    fn new(ranges: &'a [ByteRange]) -> Self {
        let mut order: Vec<usize> = (0..ranges.len()).collect();
        order.sort_by_key(|i| ranges.get(*i).map(|r| r.gap_start));
        Self {
            file: Sha256::new(),
            ranges,
            order,
            tails: vec![None; ranges.len()],
            marks: Vec::new(),
            seam: Vec::new(),
        }
    }

    /// `chunk` is the file's bytes from `pos` on.
    fn feed(&mut self, pos: u64, chunk: &[u8]) {
        let end = pos + chunk.len() as u64;
        let slice = |from: u64, to: u64| {
            chunk
                .get(
                    usize::try_from(from - pos).unwrap_or(0)
                        ..usize::try_from(to - pos).unwrap_or(0),
                )
                .unwrap_or_default()
        };
        let mut hashed = pos;
        for &i in &self.order {
            let (Some(range), Some(tail)) = (self.ranges.get(i), self.tails.get_mut(i)) else {
                continue;
            };
            if tail.is_none() && range.gap_start >= hashed && range.gap_start <= end {
                self.file.update(slice(hashed, range.gap_start));
                hashed = range.gap_start;
                *tail = Some(self.file.clone());
            }
        }
        self.file.update(slice(hashed, end));
        for (range, tail) in self.ranges.iter().zip(self.tails.iter_mut()) {
            let (from, to) = (range.gap_end.max(pos), range.end.min(end));
            if let Some(hasher) = tail
                && from < to
            {
                hasher.update(slice(from, to));
            }
        }
        self.find_marks(pos, chunk);
    }

    fn find_marks(&mut self, pos: u64, chunk: &[u8]) {
        let mut seam = std::mem::take(&mut self.seam);
        let seam_start = pos - seam.len() as u64;
        seam.extend_from_slice(chunk.get(..chunk.len().min(4)).unwrap_or_default());
        let across = memchr::memmem::find_iter(&seam, b"%%EOF").map(|i| seam_start + i as u64);
        let inside = memchr::memmem::find_iter(chunk, b"%%EOF").map(|i| pos + i as u64);
        self.marks.extend(across.chain(inside));
        // Keep the stream's last four bytes (a short chunk keeps some of the old seam too).
        let tail = if chunk.len() >= 4 {
            chunk
        } else {
            seam.as_slice()
        };
        self.seam = tail
            .get(tail.len().saturating_sub(4)..)
            .unwrap_or_default()
            .to_vec();
    }
}

/// Where revisions end: after each `%%EOF`, with and without its end-of-line (a signature may
/// stop at either); and the ends with the end-of-line alone.
fn revision_ends<R: Read + Seek>(
    doc: &mut Document<R>,
    marks: &[u64],
) -> Result<(Vec<u64>, Vec<u64>)> {
    let mut revision_ends = Vec::with_capacity(marks.len() * 2);
    let mut eof_lines = Vec::with_capacity(marks.len());
    for &at in marks {
        let after = at + 5;
        let eol = doc.src.read_at(after, 2)?;
        let skip = match eol.as_slice() {
            [b'\r', b'\n', ..] => 2,
            [b'\n' | b'\r', ..] => 1,
            _ => 0,
        };
        if skip > 0 {
            revision_ends.push(after);
        }
        revision_ends.push(after + skip);
        eof_lines.push(after + skip);
    }
    Ok((revision_ends, eof_lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the chunking, the range digests equal hashing each range directly and every
    /// `%%EOF` is found, including across chunk seams.
    #[test]
    fn one_pass_matches_direct_hashing_for_any_chunk_size() {
        let data: Vec<u8> = (0..5000u32)
            .flat_map(|i| {
                if i % 997 == 0 {
                    b"%%EOF".to_vec()
                } else {
                    vec![(i % 251) as u8]
                }
            })
            .collect();
        let len = data.len() as u64;
        let ranges = [
            ByteRange {
                gap_start: 3000,
                gap_end: 3100,
                end: len,
            },
            ByteRange {
                gap_start: 10,
                gap_end: 20,
                end: 500,
            },
            ByteRange {
                gap_start: 499,
                gap_end: 700,
                end: 4000,
            },
        ];
        let direct = |r: &ByteRange| {
            let mut h = Sha256::new();
            h.update(&data[..r.gap_start as usize]);
            h.update(&data[r.gap_end as usize..r.end as usize]);
            h.finalize().to_vec()
        };
        let expected_marks: Vec<u64> = memchr::memmem::find_iter(&data, b"%%EOF")
            .map(|i| i as u64)
            .collect();
        for size in [1, 3, 7, 64, 4096, data.len()] {
            let mut pass = Pass::new(&ranges);
            let mut pos = 0u64;
            for chunk in data.chunks(size) {
                pass.feed(pos, chunk);
                pos += chunk.len() as u64;
            }
            assert_eq!(pass.marks, expected_marks, "chunk size {size}");
            for (r, tail) in ranges.iter().zip(pass.tails) {
                assert_eq!(
                    tail.unwrap().finalize().to_vec(),
                    direct(r),
                    "chunk size {size}"
                );
            }
            assert_eq!(
                pass.file.finalize().to_vec(),
                Sha256::digest(&data).to_vec()
            );
        }
    }
}
