//! The lazy PDF reader.
//!
//! Why a reader of our own rather than lopdf or pdf-extract: sealing must keep peak memory at
//! O(objects touched), not O(file size). lopdf loads and copies every stream when it opens a
//! file, and pdf-extract panics on hostile input. This reader parses only the trailer and the
//! cross-reference chain (classic tables, xref streams, object streams, hybrid files, /Prev
//! chains), then loads individual objects by offset on demand. Stream bodies stay in the file
//! until someone asks for them, and every decode goes through [`crate::Limits`].

pub(crate) mod document;
pub(crate) mod filters;
pub(crate) mod pages;
mod parse;
pub(crate) mod revisions;
pub(crate) mod source;
pub(crate) mod xref;

pub(crate) use document::Document;
pub(crate) use pages::{Page, pages};
pub(crate) use revisions::Revision;
