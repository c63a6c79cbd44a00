//! Content-stream tokenizer: yields operators with their operands, skipping inline image data.

use crate::syntax::lexer::{Lexer, Token, is_whitespace};
use crate::syntax::parser::{ParseError, Parser};
use crate::syntax::{Dict, Object};

/// Operand stack cap; beyond it operands are dropped (no legitimate operator needs more).
const MAX_OPERANDS: usize = 4096;

/// Iterates `(operator, operands)` over a content stream, tolerating syntax errors.
pub(crate) struct Ops<'a> {
    parser: Parser<'a>,
}

impl<'a> Ops<'a> {
    pub(crate) fn new(data: &'a [u8], max_depth: u32) -> Self {
        Ops {
            parser: Parser::new(Lexer::new(data), max_depth),
        }
    }

    /// The next operation, `None` at the end.
    pub(crate) fn next_op(&mut self) -> Option<(&'a [u8], Vec<Object>)> {
        let mut operands = Vec::new();
        self.parser.reset_budget();
        loop {
            let pos = self.parser.lex.pos();
            let tok = match self.parser.lex.next_token() {
                Ok(Some(t)) => t,
                Ok(None) | Err(crate::syntax::lexer::LexError::Eof) => return None,
                Err(_) => {
                    self.parser.lex.set_pos(pos + 1);
                    continue;
                }
            };
            match tok {
                Token::Keyword(b"true") => operands.push(Object::Bool(true)),
                Token::Keyword(b"false") => operands.push(Object::Bool(false)),
                Token::Keyword(b"null") => operands.push(Object::Null),
                Token::Keyword(b"BI") => {
                    self.skip_inline_image();
                    return Some((b"BI", Vec::new()));
                }
                Token::Keyword(op) => return Some((op, operands)),
                Token::ArrayClose | Token::DictClose | Token::BraceOpen | Token::BraceClose => {}
                Token::Int(i) => operands.push(Object::Int(i)),
                other => match self.parser.object_from(other, 0) {
                    Ok(o) => operands.push(o),
                    Err(ParseError::TooDeep | ParseError::TooLarge | ParseError::Eof) => {
                        return None;
                    }
                    Err(ParseError::Syntax(_)) => {}
                },
            }
            if operands.len() > MAX_OPERANDS {
                operands.clear();
            }
        }
    }

    /// Skips `<dict entries> ID <binary> EI` after `BI`.
    fn skip_inline_image(&mut self) {
        let mut dict = Dict::new();
        loop {
            match self.parser.lex.next_token() {
                Ok(Some(Token::Keyword(b"ID"))) => break,
                Ok(Some(Token::Name(k))) => {
                    if let Ok(v) = self.parser.parse_object() {
                        dict.set(&k, v);
                    }
                }
                Ok(None) | Err(_) => return,
                _ => {}
            }
        }
        let buf = self.parser.lex.buf();
        let start = self.parser.lex.pos() + 1; // one whitespace byte after ID
        let mut i = start;
        while let Some(window) = buf.get(i..i + 2) {
            let before_ok = i == 0 || buf.get(i - 1).is_some_and(|b| is_whitespace(*b));
            let after_ok = buf.get(i + 2).is_none_or(|b| is_whitespace(*b));
            if window == b"EI" && before_ok && after_ok {
                self.parser.lex.set_pos(i + 2);
                return;
            }
            i += 1;
        }
        self.parser.lex.set_pos(buf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(src: &[u8]) -> Vec<(String, usize)> {
        let mut it = Ops::new(src, 64);
        let mut v = Vec::new();
        while let Some((op, args)) = it.next_op() {
            v.push((String::from_utf8_lossy(op).to_string(), args.len()));
        }
        v
    }

    #[test]
    fn operators_collect_operands() {
        let v = ops(b"BT /F1 12 Tf 1 0 0 1 72 700 Tm [(a) -20 (b)] TJ ET");
        assert_eq!(
            v,
            vec![
                ("BT".into(), 0),
                ("Tf".into(), 2),
                ("Tm".into(), 6),
                ("TJ".into(), 1),
                ("ET".into(), 0)
            ]
        );
    }

    #[test]
    fn inline_images_are_skipped() {
        let v = ops(b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00EI\xff\n EI Q (x) Tj");
        assert_eq!(
            v,
            vec![
                ("q".into(), 0),
                ("BI".into(), 0),
                ("Q".into(), 0),
                ("Tj".into(), 1)
            ]
        );
    }

    #[test]
    fn junk_is_tolerated() {
        let v = ops(b") ] >> 1 2 re } f");
        assert_eq!(v.last().map(|x| x.0.as_str()), Some("f"));
    }
}
