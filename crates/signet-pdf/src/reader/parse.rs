//! Parsing helpers of the reader: indirect-object headers, object-stream headers, startxref.

use std::io::{Read, Seek};

use super::source::{Source, rfind};
use crate::error::{PdfError, Result};
use crate::syntax::Object;
use crate::syntax::lexer::{Lexer, Token};
use crate::syntax::parser::{ParseError, Parser};

/// An indirect object as parsed from a window, before stream data is located.
pub(super) struct Parsed {
    pub num: u32,
    pub obj: Object,
    /// Position of the first stream data byte within the window.
    pub data_pos: Option<usize>,
}

/// Parses `num gen obj <object> [stream]` from a window.
pub(super) fn parse_indirect(
    buf: &[u8],
    partial: bool,
    max_depth: u32,
) -> std::result::Result<Parsed, ParseError> {
    let lex = if partial {
        Lexer::new_partial(buf)
    } else {
        Lexer::new(buf)
    };
    let mut p = Parser::new(lex, max_depth);
    let num = match p.lex.next_token()? {
        Some(Token::Int(n)) => {
            u32::try_from(n).map_err(|_| ParseError::Syntax("bad object number".into()))?
        }
        _ => {
            return Err(ParseError::Syntax(
                "expected an object header 'n g obj'".into(),
            ));
        }
    };
    match (p.lex.next_token()?, p.lex.next_token()?) {
        (Some(Token::Int(_)), Some(Token::Keyword(b"obj"))) => {}
        _ => {
            return Err(ParseError::Syntax(
                "expected an object header 'n g obj'".into(),
            ));
        }
    }
    let obj = p.parse_object()?;
    let save = p.lex.pos();
    let data_pos = match p.lex.next_token() {
        Ok(Some(Token::Keyword(b"stream"))) => {
            let mut pos = p.lex.pos();
            let rest = buf.get(pos..).unwrap_or_default();
            if rest.starts_with(b"\r\n") {
                pos += 2;
            } else if rest.starts_with(b"\n") || rest.starts_with(b"\r") {
                pos += 1;
            } else if rest.is_empty() && partial {
                return Err(ParseError::Eof);
            }
            Some(pos)
        }
        Err(crate::syntax::lexer::LexError::Eof) if partial && p.lex.buf().len() - save < 16 => {
            return Err(ParseError::Eof);
        }
        _ => None,
    };
    Ok(Parsed { num, obj, data_pos })
}

/// Reads the `n` (object number, offset) pairs at the start of an object stream.
pub(super) fn objstm_header(header: &[u8], n: usize) -> Result<Vec<(u32, usize)>> {
    let mut lex = Lexer::new(header);
    let mut pairs = Vec::with_capacity(n.min(4096));
    for _ in 0..n {
        match (lex.next_token(), lex.next_token()) {
            (Ok(Some(Token::Int(num))), Ok(Some(Token::Int(off)))) => {
                let num =
                    u32::try_from(num).map_err(|_| PdfError::malformed("object stream header"))?;
                let off = usize::try_from(off)
                    .map_err(|_| PdfError::malformed("object stream header"))?;
                pairs.push((num, off));
            }
            _ => break,
        }
    }
    Ok(pairs)
}

/// Finds the offset after the last `startxref` near the end of the file.
pub(super) fn find_startxref<R: Read + Seek>(src: &mut Source<R>) -> Result<u64> {
    let tail_len = 4096u64.min(src.len());
    let tail = src.read_at(src.len() - tail_len, tail_len as usize)?;
    let pos = rfind(&tail, b"startxref")
        .ok_or_else(|| PdfError::malformed("no startxref at the end of the file (truncated?)"))?;
    let mut lex = Lexer::new(tail.get(pos + 9..).unwrap_or_default());
    match lex.next_token() {
        Ok(Some(Token::Int(n))) if n >= 0 => Ok(n as u64),
        _ => Err(PdfError::malformed(
            "startxref is not followed by an offset",
        )),
    }
}
