//! PDF syntax: tokens, objects, parsing and serialisation.

pub(crate) mod lexer;
pub(crate) mod object;
pub(crate) mod parser;
pub(crate) mod serialize;

pub(crate) use object::{Dict, ObjRef, Object, Stream, StreamBody};
