//! Stream filters (decoding only) with decompression-bomb protection.

use flate2::{Decompress, FlushDecompress, Status};

use crate::error::{PdfError, Result};
use crate::limits::Limits;
use crate::syntax::{Dict, Object};

/// Enforces the per-stream size and ratio limits while output grows.
pub(crate) struct Guard<'l> {
    limits: &'l Limits,
    encoded_len: u64,
}

impl<'l> Guard<'l> {
    pub(crate) fn new(limits: &'l Limits, encoded_len: u64) -> Self {
        Guard {
            limits,
            encoded_len,
        }
    }

    pub(crate) fn check(&self, decoded: u64) -> Result<()> {
        if decoded > self.limits.max_stream_decoded {
            return Err(PdfError::limit("decoded size of a stream"));
        }
        let ratio_cap = self
            .encoded_len
            .max(1)
            .saturating_mul(self.limits.max_decompression_ratio);
        if decoded > self.limits.ratio_floor && decoded > ratio_cap {
            return Err(PdfError::limit(
                "decompression ratio of a stream (decompression bomb)",
            ));
        }
        Ok(())
    }
}

/// Decodes `data` through the stream's /Filter chain.
pub(crate) fn decode(data: Vec<u8>, dict: &Dict, limits: &Limits) -> Result<Vec<u8>> {
    let filters: Vec<Object> = match dict.get(b"Filter") {
        None => return Ok(data),
        Some(Object::Name(n)) => vec![Object::Name(n.clone())],
        Some(Object::Array(a)) => a.clone(),
        Some(_) => return Err(PdfError::malformed("invalid /Filter")),
    };
    let parms: Vec<Option<&Dict>> = match dict.get(b"DecodeParms") {
        Some(Object::Dict(d)) => vec![Some(d)],
        Some(Object::Array(a)) => a.iter().map(Object::as_dict).collect(),
        _ => vec![],
    };
    if filters.len() > 8 {
        return Err(PdfError::limit("number of filters on a stream"));
    }
    let guard = Guard::new(limits, data.len() as u64);
    let mut cur = data;
    for (i, f) in filters.iter().enumerate() {
        let name = f
            .as_name()
            .ok_or_else(|| PdfError::malformed("filter is not a name"))?;
        let parm = parms.get(i).copied().flatten();
        cur = match name {
            b"FlateDecode" | b"Fl" => predict(inflate(&cur, &guard)?, parm, &guard)?,
            b"LZWDecode" | b"LZW" => {
                let early = parm.and_then(|p| p.int(b"EarlyChange")).unwrap_or(1) != 0;
                predict(lzw(&cur, early, &guard)?, parm, &guard)?
            }
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(&cur),
            b"ASCII85Decode" | b"A85" => ascii85(&cur)?,
            b"RunLengthDecode" | b"RL" => run_length(&cur, &guard)?,
            other => {
                return Err(PdfError::Unsupported(format!(
                    "stream filter /{}",
                    String::from_utf8_lossy(other)
                )));
            }
        };
        guard.check(cur.len() as u64)?;
    }
    Ok(cur)
}

fn inflate(data: &[u8], guard: &Guard) -> Result<Vec<u8>> {
    match inflate_with(data, true, guard) {
        Ok(v) => Ok(v),
        Err(e @ PdfError::LimitExceeded { .. }) => Err(e),
        Err(e) => inflate_with(data, false, guard).map_err(|_| e),
    }
}

/// Inflates; a corrupt tail after some good output is tolerated (as in other readers).
fn inflate_with(data: &[u8], zlib_header: bool, guard: &Guard) -> Result<Vec<u8>> {
    let mut d = Decompress::new(zlib_header);
    let mut out: Vec<u8> = Vec::with_capacity(data.len().saturating_mul(4).min(1 << 20));
    loop {
        if out.capacity() - out.len() < 32 * 1024 {
            out.reserve(64 * 1024);
        }
        let in_pos = usize::try_from(d.total_in()).unwrap_or(usize::MAX);
        let input = data.get(in_pos..).unwrap_or_default();
        let before_out = d.total_out();
        let status = d.decompress_vec(input, &mut out, FlushDecompress::None);
        guard.check(out.len() as u64)?;
        match status {
            Ok(Status::StreamEnd) => return Ok(out),
            Ok(_) => {
                let progressed = d.total_out() != before_out
                    || usize::try_from(d.total_in()).unwrap_or(usize::MAX) != in_pos;
                if !progressed {
                    // Truncated stream: keep what we have.
                    return finish_partial(out);
                }
            }
            Err(_) => return finish_partial(out),
        }
    }
}

fn finish_partial(out: Vec<u8>) -> Result<Vec<u8>> {
    if out.is_empty() {
        Err(PdfError::malformed("corrupt Flate stream"))
    } else {
        Ok(out)
    }
}

/// Applies PNG (10..15) or TIFF (2) predictors from /DecodeParms.
fn predict(data: Vec<u8>, parm: Option<&Dict>, guard: &Guard) -> Result<Vec<u8>> {
    let Some(p) = parm else { return Ok(data) };
    let predictor = p.int(b"Predictor").unwrap_or(1);
    if predictor <= 1 {
        return Ok(data);
    }
    let colors = p.int(b"Colors").unwrap_or(1).clamp(1, 32) as usize;
    let bpc = p.int(b"BitsPerComponent").unwrap_or(8).clamp(1, 16) as usize;
    let columns = p.int(b"Columns").unwrap_or(1).clamp(1, 1 << 24) as usize;
    let bits = colors * bpc * columns;
    let row = bits.div_ceil(8);
    let bpp = (colors * bpc).div_ceil(8).max(1);
    if predictor == 2 {
        return Ok(tiff_predict(data, row, bpp, bpc));
    }
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let Some((&kind, body)) = chunk.split_first() else {
            break;
        };
        let mut cur = body.to_vec();
        cur.resize(row, 0);
        for i in 0..row {
            let left = if i >= bpp { cur[i - bpp] } else { 0 };
            let up = prev[i];
            let up_left = if i >= bpp { prev[i - bpp] } else { 0 };
            cur[i] = match kind {
                0 => cur[i],
                1 => cur[i].wrapping_add(left),
                2 => cur[i].wrapping_add(up),
                3 => cur[i].wrapping_add(((u16::from(left) + u16::from(up)) / 2) as u8),
                4 => cur[i].wrapping_add(paeth(left, up, up_left)),
                _ => return Err(PdfError::malformed("invalid PNG predictor row type")),
            };
        }
        out.extend_from_slice(&cur);
        guard.check(out.len() as u64)?;
        prev = cur;
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (i16::from(a), i16::from(b), i16::from(c));
    let p = ia + ib - ic;
    let (pa, pb, pc) = ((p - ia).abs(), (p - ib).abs(), (p - ic).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn tiff_predict(mut data: Vec<u8>, row: usize, bpp: usize, bpc: usize) -> Vec<u8> {
    if bpc != 8 || row == 0 {
        return data;
    }
    for line in data.chunks_mut(row) {
        for i in bpp..line.len() {
            line[i] = line[i].wrapping_add(line[i - bpp]);
        }
    }
    data
}

fn lzw(data: &[u8], early: bool, guard: &Guard) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut table: Vec<Vec<u8>> = Vec::new();
    let reset = |t: &mut Vec<Vec<u8>>| {
        t.clear();
        t.extend((0..=255u8).map(|b| vec![b]));
        t.push(Vec::new());
        t.push(Vec::new());
    };
    reset(&mut table);
    let mut width = 9u32;
    let (mut acc, mut nbits) = (0u32, 0u32);
    let mut prev: Option<Vec<u8>> = None;
    for &byte in data {
        acc = (acc << 8) | u32::from(byte);
        nbits += 8;
        while nbits >= width {
            let code = ((acc >> (nbits - width)) & ((1 << width) - 1)) as usize;
            nbits -= width;
            acc &= (1u32 << nbits).wrapping_sub(1);
            match code {
                256 => {
                    reset(&mut table);
                    width = 9;
                    prev = None;
                    continue;
                }
                257 => return Ok(out),
                _ => {}
            }
            let entry = match (table.get(code), &prev) {
                (Some(e), _) if code < table.len() && !(code > 257 && e.is_empty()) => e.clone(),
                (_, Some(p)) if code == table.len() => {
                    let mut e = p.clone();
                    e.push(*p.first().unwrap_or(&0));
                    e
                }
                _ => return finish_partial(out),
            };
            out.extend_from_slice(&entry);
            guard.check(out.len() as u64)?;
            if let Some(p) = prev.take()
                && table.len() < 4096
            {
                let mut n = p;
                n.push(*entry.first().unwrap_or(&0));
                table.push(n);
            }
            let next = table.len() + usize::from(early);
            width = if next >= 2048 {
                12
            } else if next >= 1024 {
                11
            } else if next >= 512 {
                10
            } else {
                9
            };
            prev = Some(entry);
        }
    }
    Ok(out)
}

fn ascii_hex(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut hi: Option<u8> = None;
    for &b in data {
        if b == b'>' {
            break;
        }
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => continue,
        };
        match hi.take() {
            Some(h) => out.push(h << 4 | v),
            None => hi = Some(v),
        }
    }
    if let Some(h) = hi {
        out.push(h << 4);
    }
    out
}

fn ascii85(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    let mut group = [0u32; 5];
    let mut n = 0usize;
    let iter = data.iter().copied();
    for b in iter {
        match b {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0, 0, 0, 0]),
            b'!'..=b'u' => {
                group[n] = u32::from(b - b'!');
                n += 1;
                if n == 5 {
                    let v = group.iter().fold(0u64, |a, d| a * 85 + u64::from(*d));
                    let v =
                        u32::try_from(v).map_err(|_| PdfError::malformed("bad ASCII85 group"))?;
                    out.extend_from_slice(&v.to_be_bytes());
                    n = 0;
                }
            }
            _ if b.is_ascii_whitespace() || b == 0 => {}
            _ => return Err(PdfError::malformed("invalid ASCII85 data")),
        }
    }
    if n > 1 {
        for slot in group.iter_mut().skip(n) {
            *slot = 84;
        }
        let v = group.iter().fold(0u64, |a, d| a * 85 + u64::from(*d));
        let bytes = (v.min(u64::from(u32::MAX)) as u32).to_be_bytes();
        out.extend_from_slice(bytes.get(..n - 1).unwrap_or_default());
    }
    Ok(out)
}

fn run_length(data: &[u8], guard: &Guard) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0usize;
    while let Some(&len) = data.get(i) {
        i += 1;
        match len {
            128 => break,
            0..=127 => {
                let n = usize::from(len) + 1;
                let Some(s) = data.get(i..i + n) else { break };
                out.extend_from_slice(s);
                i += n;
            }
            _ => {
                let Some(&b) = data.get(i) else { break };
                out.extend(std::iter::repeat_n(b, 257 - usize::from(len)));
                i += 1;
            }
        }
        guard.check(out.len() as u64)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::ZlibEncoder};
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn dict(filter: &str) -> Dict {
        let mut d = Dict::new();
        d.set(b"Filter", Object::name(filter));
        d
    }

    #[test]
    fn flate_round_trips() {
        let data = b"hello hello hello".repeat(10);
        assert_eq!(
            decode(zlib(&data), &dict("FlateDecode"), &Limits::default()).unwrap(),
            data
        );
    }

    #[test]
    fn flate_bomb_hits_the_ratio_limit() {
        // Single-layer deflate tops out near 1030:1, so bombs stack filters.
        let bomb = zlib(&zlib(&vec![0u8; 8 * 1024 * 1024]));
        let mut d = Dict::new();
        d.set(
            b"Filter",
            Object::Array(vec![
                Object::name("FlateDecode"),
                Object::name("FlateDecode"),
            ]),
        );
        let err = decode(bomb, &d, &Limits::default()).unwrap_err();
        assert!(matches!(err, PdfError::LimitExceeded { .. }), "{err}");
    }

    #[test]
    fn png_up_predictor_is_undone() {
        let raw = [2u8, 1, 2, 2, 1, 1];
        let mut d = dict("FlateDecode");
        let mut p = Dict::new();
        p.set(b"Predictor", Object::Int(12));
        p.set(b"Columns", Object::Int(2));
        d.set(b"DecodeParms", Object::Dict(p));
        assert_eq!(
            decode(zlib(&raw), &d, &Limits::default()).unwrap(),
            vec![1, 2, 2, 3]
        );
    }

    #[test]
    fn ascii_filters_decode() {
        assert_eq!(ascii_hex(b"48 65 6C6C6f>"), b"Hello");
        assert_eq!(ascii85(b"87cURD]i,\"Ebo80~>").unwrap(), b"Hello World!");
    }

    #[test]
    fn lzw_decodes_the_spec_example() {
        let data = [0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01];
        let g = Limits::default();
        let out = lzw(&data, true, &Guard::new(&g, 9)).unwrap();
        assert_eq!(out, vec![45, 45, 45, 45, 45, 65, 45, 45, 45, 66]);
    }
}
