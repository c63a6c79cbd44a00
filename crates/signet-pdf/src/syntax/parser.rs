//! Direct-object parser on top of the lexer, with a nesting-depth limit.

use super::lexer::{LexError, Lexer, Token};
use super::object::{Dict, ObjRef, Object};
use crate::error::PdfError;

/// Why parsing stopped.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ParseError {
    /// Ran out of input; a bigger window may succeed.
    Eof,
    /// Invalid syntax.
    Syntax(String),
    /// Arrays/dictionaries nested deeper than allowed.
    TooDeep,
    /// One object (or one content operation) holds too many items.
    TooLarge,
}

impl From<LexError> for ParseError {
    fn from(e: LexError) -> Self {
        match e {
            LexError::Eof => ParseError::Eof,
            LexError::Syntax(s) => ParseError::Syntax(s.to_string()),
        }
    }
}

impl From<ParseError> for PdfError {
    fn from(e: ParseError) -> Self {
        match e {
            ParseError::Eof => PdfError::malformed("unexpected end of data"),
            ParseError::Syntax(s) => PdfError::malformed(s),
            ParseError::TooDeep => PdfError::limit("object nesting depth"),
            ParseError::TooLarge => PdfError::limit("number of items in one object"),
        }
    }
}

/// Most objects one parse may create (bounds memory for hostile giant arrays).
const MAX_ITEMS: usize = 1 << 20;

/// Parses objects from a lexer.
pub(crate) struct Parser<'a> {
    pub lex: Lexer<'a>,
    max_depth: u32,
    items: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(lex: Lexer<'a>, max_depth: u32) -> Self {
        Parser {
            lex,
            max_depth,
            items: 0,
        }
    }

    /// Starts a new item budget (content streams call this per operation).
    pub(crate) fn reset_budget(&mut self) {
        self.items = 0;
    }

    /// Parses one direct object (references `n g R` included).
    pub(crate) fn parse_object(&mut self) -> Result<Object, ParseError> {
        let tok = self.lex.next_token()?.ok_or(ParseError::Eof)?;
        self.object_from(tok, 0)
    }

    /// Continues parsing an object whose first token was already read.
    pub(crate) fn object_from(&mut self, tok: Token<'a>, depth: u32) -> Result<Object, ParseError> {
        if depth > self.max_depth {
            return Err(ParseError::TooDeep);
        }
        self.items += 1;
        if self.items > MAX_ITEMS {
            return Err(ParseError::TooLarge);
        }
        Ok(match tok {
            Token::Int(i) => self.maybe_ref(i)?,
            Token::Real(r) => Object::Real(r),
            Token::String(s) => Object::String(s),
            Token::Name(n) => Object::Name(n),
            Token::ArrayOpen => self.array(depth + 1)?,
            Token::DictOpen => Object::Dict(self.dict(depth + 1)?),
            Token::Keyword(b"true") => Object::Bool(true),
            Token::Keyword(b"false") => Object::Bool(false),
            Token::Keyword(b"null") => Object::Null,
            Token::Keyword(k) => {
                return Err(ParseError::Syntax(format!(
                    "unexpected keyword '{}'",
                    String::from_utf8_lossy(k)
                )));
            }
            other => return Err(ParseError::Syntax(format!("unexpected token {other:?}"))),
        })
    }

    fn maybe_ref(&mut self, num: i64) -> Result<Object, ParseError> {
        let save = self.lex.pos();
        let generation = match self.lex.next_token() {
            Ok(Some(Token::Int(g))) => g,
            Err(LexError::Eof) if self.lex.is_partial() => return Err(ParseError::Eof),
            _ => {
                self.lex.set_pos(save);
                return Ok(Object::Int(num));
            }
        };
        match self.lex.next_token() {
            Ok(Some(Token::Keyword(b"R"))) => {
                let (Ok(n), Ok(g)) = (u32::try_from(num), u16::try_from(generation)) else {
                    return Err(ParseError::Syntax("object reference out of range".into()));
                };
                Ok(Object::Ref(ObjRef::new(n, g)))
            }
            Err(LexError::Eof) if self.lex.is_partial() => Err(ParseError::Eof),
            _ => {
                self.lex.set_pos(save);
                Ok(Object::Int(num))
            }
        }
    }

    fn array(&mut self, depth: u32) -> Result<Object, ParseError> {
        if depth > self.max_depth {
            return Err(ParseError::TooDeep);
        }
        let mut items = Vec::new();
        loop {
            let tok = self.lex.next_token()?.ok_or(ParseError::Eof)?;
            if tok == Token::ArrayClose {
                return Ok(Object::Array(items));
            }
            items.push(self.object_from(tok, depth)?);
        }
    }

    /// Parses dictionary entries after `<<` up to and including `>>`.
    pub(crate) fn dict(&mut self, depth: u32) -> Result<Dict, ParseError> {
        if depth > self.max_depth {
            return Err(ParseError::TooDeep);
        }
        let mut dict = Dict::new();
        loop {
            let tok = self.lex.next_token()?.ok_or(ParseError::Eof)?;
            let key = match tok {
                Token::DictClose => return Ok(dict),
                Token::Name(n) => n,
                _ => return Err(ParseError::Syntax("dictionary key is not a name".into())),
            };
            let tok = self.lex.next_token()?.ok_or(ParseError::Eof)?;
            if tok == Token::DictClose {
                // A key without a value: tolerated, the key is dropped.
                return Ok(dict);
            }
            let value = self.object_from(tok, depth)?;
            if value != Object::Null {
                dict.set(&key, value);
            }
        }
    }
}

/// Parses a single direct object from a complete buffer.
#[cfg(test)]
pub(crate) fn parse_one(buf: &[u8], max_depth: u32) -> Result<Object, ParseError> {
    Parser::new(Lexer::new(buf), max_depth).parse_object()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_nested_structures_and_references() {
        let o = parse_one(b"<< /A [1 2 0 R (x) /N] /B << /C 3.5 >> /D null >>", 64).unwrap();
        let d = o.as_dict().unwrap();
        let a = d.get(b"A").unwrap().as_array().unwrap();
        assert_eq!(a[0], Object::Int(1));
        assert_eq!(a[1], Object::Ref(ObjRef::new(2, 0)));
        assert_eq!(a[2], Object::String(b"x".to_vec()));
        assert_eq!(
            d.get(b"B").unwrap().as_dict().unwrap().get(b"C"),
            Some(&Object::Real(3.5))
        );
        assert!(!d.contains(b"D"));
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert_eq!(parse_one(deep.as_bytes(), 64), Err(ParseError::TooDeep));
    }

    #[test]
    fn giant_arrays_are_rejected() {
        let big = "[".to_string() + &"0 ".repeat(MAX_ITEMS + 10) + "]";
        assert_eq!(parse_one(big.as_bytes(), 64), Err(ParseError::TooLarge));
    }

    #[test]
    fn trailing_int_pair_is_not_a_reference() {
        let o = parse_one(b"[1 2]", 8).unwrap();
        assert_eq!(o, Object::Array(vec![Object::Int(1), Object::Int(2)]));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_one(&bytes, 64);
            let mut p = Parser::new(Lexer::new_partial(&bytes), 64);
            let _ = p.parse_object();
        }

        #[test]
        fn pdf_like_tokens_never_panic(s in "[<>\\[\\]()/0-9a-zR .#%\\\\\n-]{0,300}") {
            let _ = parse_one(s.as_bytes(), 64);
        }
    }
}
