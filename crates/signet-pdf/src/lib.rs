//! Signet's PDF engine: inspect documents and find `{{tags}}`, stamp field values, seal with
//! PAdES (B-B, B-T, B-LT or B-LTA; ECDSA P-256 or RSA-3072) in incremental updates, and render
//! proof reports.
//!
//! Synchronous and free of I/O policy: it reads from `Read + Seek` or `&[u8]`, writes to
//! `Write`, and must not depend on an async runtime, a database, HTTP, the file system or any
//! other Signet crate. Untrusted input never panics the caller: parsing is written not to panic,
//! every public entry point also runs under `catch_unwind`, and [`Limits`] bounds the work.
//!
//! Layout: `syntax` (lexer, object parser, serialiser) feeds `reader` (a lazy document: xref
//! chain, objects loaded by offset, stream filters under limits, the page tree). `text` (content
//! interpreter, fonts, encodings, CMaps, tag finder) powers [`inspect`]. [`seal`] is `seal` (PKI,
//! identity, CMS, signature dictionary, form edits, update writer) plus `stamp`, `font` (bundled
//! subset fonts) and `image` (PNG). [`render_report`] is `report` (layout and a fresh-document
//! writer). Coordinates everywhere are PDF points in the page's unrotated default user space,
//! measured from the lower-left corner of its CropBox (see [`Rect`]).

// Unit tests may unwrap; library code may not (workspace lints).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod active;
mod error;
mod font;
mod geom;
mod guard;
mod image;
mod inspect;
mod limits;
mod reader;
mod report;
mod seal;
mod stamp;
mod syntax;
mod text;
mod verify;

use std::io::{Read, Seek, Write};

pub use error::{PdfError, Result};
pub use font::ScriptFont;
pub use limits::Limits;
pub use report::{Block, Report};
pub use seal::ca::{
    CertificateRole, IssuedCertificate, RevokedCertificate, RootCa, issue_certificate, issue_crl,
};
pub use seal::identity::SealIdentity;
pub use seal::import::{ImportedSeal, SealSummary, check_seal_import};
pub use seal::pki::{
    InstancePki, KeyAlgorithm, PkiOptions, PkiSubject, der_to_pem, generate_instance_pki,
    generate_instance_pki_with,
};
pub use seal::revocation::{CrlStatus, certificate_crl_urls, check_crl};
pub use seal::tsa::{
    BuiltinTsa, TimestampAuthority, TsaClock, crl_urls, timestamp_request,
    timestamp_token_from_response,
};
pub use seal::widgets::FormField;
pub use seal::{PadesLevel, PadesOptions, SealOptions, SealOutcome, SignatureKind, ValidationData};
pub use stamp::{Stamp, StampContent};
pub use verify::VerifyOptions;
pub use verify::report::{
    Coverage, Modification, SignatureReport, SignatureRole, TimestampReport, Verdict, VerifyReport,
};

/// A rectangle in PDF points, relative to the lower-left corner of the page's CropBox (else
/// MediaBox) in default user space, unrotated, y up; (`x`, `y`) is the lower-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Bottom edge.
    pub y: f32,
    /// Width (positive).
    pub width: f32,
    /// Height (positive).
    pub height: f32,
}

/// Geometry of one page.
#[derive(Clone, Debug, PartialEq)]
pub struct PageInfo {
    /// 1-based page number.
    pub number: u32,
    /// CropBox (else MediaBox) width in points, unrotated.
    pub width: f32,
    /// CropBox (else MediaBox) height in points, unrotated.
    pub height: f32,
    /// /Rotate normalised to 0, 90, 180 or 270 (clockwise, as viewers display it).
    pub rotation: u16,
}

/// A `{{tag}}` found in the page text.
#[derive(Clone, Debug, PartialEq)]
pub struct TagHit {
    /// The name between the braces, e.g. `signature_1`.
    pub tag: String,
    /// 1-based page number.
    pub page: u32,
    /// Bounding box of the whole `{{...}}` text.
    pub rect: Rect,
}

/// What [`inspect`] reports about a document.
#[derive(Clone, Debug, PartialEq)]
pub struct PdfInfo {
    /// PDF version from the header (or the catalog's /Version when newer), e.g. "1.7".
    pub version: String,
    /// All pages in order.
    pub pages: Vec<PageInfo>,
    /// All tags, ordered by page and then reading order.
    pub tags: Vec<TagHit>,
    /// True when the document already carries a signed signature field (stamping it would
    /// invalidate that signature).
    pub signed: bool,
    /// The DocMDP level of an existing certification signature (1 = no changes, 2 = form
    /// filling and signing, 3 = also annotations), if the document is certified.
    pub certification: Option<u8>,
    /// Active content found (JavaScript, launch actions, embedded files), each with where it
    /// is, e.g. `"an action run when the document opens"`; empty when there is none.
    pub active_content: Vec<String>,
}

/// Reads page geometry and finds every `{{name}}` tag (name = `[A-Za-z0-9_.:-]+`).
pub fn inspect<R: Read + Seek>(input: R, limits: &Limits) -> Result<PdfInfo> {
    guard::shielded("inspect", || inspect::inspect_document(input, limits))
}

/// Applies `stamps` and seals the document with a PAdES B-B signature (ETSI.CAdES.detached) in
/// one incremental update written to `output`; the input stays a byte-exact prefix. Only the
/// objects that change are loaded, and the signed ranges are hashed while streaming.
pub fn seal<R: Read + Seek, W: Write>(
    input: R,
    output: W,
    stamps: &[Stamp],
    identity: &SealIdentity,
    options: &SealOptions,
    limits: &Limits,
) -> Result<SealOutcome> {
    seal_pades(
        input,
        output,
        stamps,
        identity,
        options,
        &PadesOptions::default(),
        limits,
    )
}

/// Like [`seal`], at the PAdES baseline level and with the signature kind of `pades`: B-T adds
/// a signature time-stamp from `pades.tsa`; B-LT then appends an update with a DSS holding the
/// seal and TSA chains and `pades.validation` (revocation data); B-LTA then appends a document
/// time-stamp over everything before it. Each update is incremental, so every earlier
/// signature stays valid.
pub fn seal_pades<R: Read + Seek, W: Write>(
    input: R,
    output: W,
    stamps: &[Stamp],
    identity: &SealIdentity,
    options: &SealOptions,
    pades: &PadesOptions<'_>,
    limits: &Limits,
) -> Result<SealOutcome> {
    guard::shielded("seal", || {
        seal::sign::seal_document(input, output, stamps, identity, options, pades, limits)
    })
}

/// Verifies every signature of a PDF: integrity, cryptographic validity, trust against
/// `options.trust_roots` only, coverage, later changes against DocMDP, PAdES level and
/// time-stamps, with a bottom line per signature and for the file.
pub fn verify<R: Read + Seek>(
    input: R,
    options: &VerifyOptions,
    limits: &Limits,
) -> Result<VerifyReport> {
    guard::shielded("verify", || verify::verify_document(input, options, limits))
}

/// Renders a report as a fresh, deterministic multi-page A4 PDF (embedded Noto Sans, wrapped
/// text, tables split across pages, "Page n of m" and the footer on every page).
pub fn render_report(report: &Report) -> Result<Vec<u8>> {
    guard::shielded("render_report", || report::render(report))
}
