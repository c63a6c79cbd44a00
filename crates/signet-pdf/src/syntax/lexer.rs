//! PDF tokenizer over a byte slice. Never panics; all indexing is checked.

/// One lexical token.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Token<'a> {
    Int(i64),
    Real(f64),
    String(Vec<u8>),
    Name(Vec<u8>),
    ArrayOpen,
    ArrayClose,
    DictOpen,
    DictClose,
    /// `{` / `}` (only meaningful in PostScript calculator functions and CMaps).
    BraceOpen,
    BraceClose,
    /// Any other run of regular characters: `obj`, `R`, `true`, operators, ...
    Keyword(&'a [u8]),
}

/// Why tokenizing stopped.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum LexError {
    /// The input ended inside a token (a larger window may help).
    Eof,
    /// The bytes are not valid PDF syntax.
    Syntax(&'static str),
}

pub(crate) fn is_whitespace(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

pub(crate) fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

pub(crate) fn is_regular(b: u8) -> bool {
    !is_whitespace(b) && !is_delimiter(b)
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// A cursor over `buf`. `partial` says the buffer is a window that may continue beyond its end,
/// so a token touching the end is reported as [`LexError::Eof`] rather than accepted.
pub(crate) struct Lexer<'a> {
    buf: &'a [u8],
    pos: usize,
    partial: bool,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Lexer {
            buf,
            pos: 0,
            partial: false,
        }
    }

    /// A lexer over a window of a larger file.
    pub(crate) fn new_partial(buf: &'a [u8]) -> Self {
        Lexer {
            buf,
            pos: 0,
            partial: true,
        }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.buf.len());
    }

    pub(crate) fn buf(&self) -> &'a [u8] {
        self.buf
    }

    pub(crate) fn is_partial(&self) -> bool {
        self.partial
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Skips whitespace and comments.
    pub(crate) fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if is_whitespace(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token, `Ok(None)` at the end of the buffer.
    pub(crate) fn next_token(&mut self) -> Result<Option<Token<'a>>, LexError> {
        self.skip_ws();
        let Some(b) = self.peek() else {
            return if self.partial {
                Err(LexError::Eof)
            } else {
                Ok(None)
            };
        };
        let tok = match b {
            b'[' => {
                self.pos += 1;
                Token::ArrayOpen
            }
            b']' => {
                self.pos += 1;
                Token::ArrayClose
            }
            b'{' => {
                self.pos += 1;
                Token::BraceOpen
            }
            b'}' => {
                self.pos += 1;
                Token::BraceClose
            }
            b'<' => {
                if self.buf.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    Token::DictOpen
                } else if self.pos + 1 >= self.buf.len() && self.partial {
                    return Err(LexError::Eof);
                } else {
                    self.pos += 1;
                    Token::String(self.hex_string()?)
                }
            }
            b'>' => {
                if self.buf.get(self.pos + 1) == Some(&b'>') {
                    self.pos += 2;
                    Token::DictClose
                } else if self.pos + 1 >= self.buf.len() && self.partial {
                    return Err(LexError::Eof);
                } else {
                    return Err(LexError::Syntax("unexpected '>'"));
                }
            }
            b'(' => {
                self.pos += 1;
                Token::String(self.literal_string()?)
            }
            b')' => return Err(LexError::Syntax("unbalanced ')'")),
            b'/' => {
                self.pos += 1;
                Token::Name(self.name()?)
            }
            _ => self.regular()?,
        };
        Ok(Some(tok))
    }

    fn regular(&mut self) -> Result<Token<'a>, LexError> {
        let start = self.pos;
        while self.peek().is_some_and(is_regular) {
            self.pos += 1;
        }
        if self.pos == self.buf.len() && self.partial {
            return Err(LexError::Eof);
        }
        let word = self.buf.get(start..self.pos).unwrap_or_default();
        Ok(parse_number(word).unwrap_or(Token::Keyword(word)))
    }

    fn name(&mut self) -> Result<Vec<u8>, LexError> {
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            if !is_regular(b) {
                break;
            }
            self.pos += 1;
            if b == b'#' {
                let hi = self.buf.get(self.pos).copied().and_then(hex_val);
                let lo = self.buf.get(self.pos + 1).copied().and_then(hex_val);
                if let (Some(h), Some(l)) = (hi, lo) {
                    out.push(h << 4 | l);
                    self.pos += 2;
                    continue;
                }
            }
            out.push(b);
        }
        if self.pos == self.buf.len() && self.partial {
            return Err(LexError::Eof);
        }
        Ok(out)
    }

    fn hex_string(&mut self) -> Result<Vec<u8>, LexError> {
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        loop {
            let Some(b) = self.peek() else {
                return Err(LexError::Eof);
            };
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if is_whitespace(b) {
                continue;
            }
            let v = hex_val(b).ok_or(LexError::Syntax("invalid hex string"))?;
            match hi.take() {
                Some(h) => out.push(h << 4 | v),
                None => hi = Some(v),
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        Ok(out)
    }

    fn literal_string(&mut self) -> Result<Vec<u8>, LexError> {
        let mut out = Vec::new();
        let mut depth = 1u32;
        loop {
            let Some(b) = self.peek() else {
                return Err(LexError::Eof);
            };
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(out);
                    }
                    out.push(b);
                }
                b'\\' => self.escape(&mut out)?,
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), LexError> {
        let Some(c) = self.peek() else {
            return Err(LexError::Eof);
        };
        self.pos += 1;
        match c {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            b'\n' => {}
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            other => out.push(other),
        }
        Ok(())
    }
}

/// Parses a PDF number (`12`, `-3.5`, `.5`, `4.`); `None` if `word` is not one.
pub(crate) fn parse_number(word: &[u8]) -> Option<Token<'static>> {
    let first = *word.first()?;
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return None;
    }
    let body = match first {
        b'+' | b'-' => word.get(1..)?,
        _ => word,
    };
    if body.is_empty() || !body.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
        return None;
    }
    let dots = body.iter().filter(|b| **b == b'.').count();
    if dots > 1 || body == b"." {
        return None;
    }
    let text = std::str::from_utf8(word).ok()?;
    if dots == 0 {
        match text.parse::<i64>() {
            Ok(i) => Some(Token::Int(i)),
            // Integers too large for i64 degrade to reals, as other readers do.
            Err(_) => text.parse::<f64>().ok().map(Token::Real),
        }
    } else {
        let text = text.strip_suffix('.').unwrap_or(text);
        let fixed = if text.starts_with('.') || text.starts_with("-.") || text.starts_with("+.") {
            text.replacen('.', "0.", 1)
        } else {
            text.to_string()
        };
        fixed.parse::<f64>().ok().map(Token::Real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(src: &[u8]) -> Vec<Token<'_>> {
        let mut lx = Lexer::new(src);
        let mut v = Vec::new();
        while let Some(t) = lx.next_token().unwrap() {
            v.push(t);
        }
        v
    }

    #[test]
    fn numbers_names_and_strings_are_tokenized() {
        let toks = all(b"12 -3.5 .5 4. +7 /Na#20me (a\\(b\\)\\101) <48 65 6> << >> [ ] R % c\nobj");
        assert_eq!(toks[0], Token::Int(12));
        assert_eq!(toks[1], Token::Real(-3.5));
        assert_eq!(toks[2], Token::Real(0.5));
        assert_eq!(toks[3], Token::Real(4.0));
        assert_eq!(toks[4], Token::Int(7));
        assert_eq!(toks[5], Token::Name(b"Na me".to_vec()));
        assert_eq!(toks[6], Token::String(b"a(b)A".to_vec()));
        assert_eq!(toks[7], Token::String(b"He`".to_vec()));
        assert_eq!(toks[8], Token::DictOpen);
        assert_eq!(toks[9], Token::DictClose);
        assert_eq!(toks[12], Token::Keyword(b"R"));
        assert_eq!(toks[13], Token::Keyword(b"obj"));
    }

    #[test]
    fn nested_parens_and_line_continuations_in_strings() {
        let toks = all(b"(a(b)c\\\nd\r\ne)");
        assert_eq!(toks[0], Token::String(b"a(b)cd\ne".to_vec()));
    }

    #[test]
    fn partial_window_reports_eof_for_cut_tokens() {
        let mut lx = Lexer::new_partial(b"12 34");
        assert_eq!(lx.next_token(), Ok(Some(Token::Int(12))));
        assert_eq!(lx.next_token(), Err(LexError::Eof));
        let mut lx = Lexer::new(b"(unterminated");
        assert_eq!(lx.next_token(), Err(LexError::Eof));
    }

    #[test]
    fn malformed_numbers_become_keywords() {
        assert_eq!(all(b"1.2.3")[0], Token::Keyword(b"1.2.3"));
        assert_eq!(all(b"--5")[0], Token::Keyword(b"--5"));
        assert_eq!(all(b"99999999999999999999")[0], Token::Real(1e20));
    }
}
