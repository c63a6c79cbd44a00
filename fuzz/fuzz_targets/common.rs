//! What every target shares: limits tight enough that one input cannot exhaust the fuzzer's
//! memory or time, the rule that an internal error is a crash, and the test PKI.
#![allow(dead_code)] // each target uses a different part

use signet_pdf::{InstancePki, KeyAlgorithm, Limits, PdfError, PkiSubject, generate_instance_pki};
use time::OffsetDateTime;

/// The fixture every target can seal at start-up (a one-page reportlab document).
pub const SIMPLE_PDF: &[u8] =
    include_bytes!("../../crates/signet-pdf/tests/fixtures/rl_simple.pdf");

/// Far below the defaults: 1 MiB per stream and 8 MiB per document decoded, 10,000 objects,
/// 200 pages. Inputs are at most a few hundred kB, so every fixture still fits.
pub fn limits() -> Limits {
    Limits {
        max_stream_decoded: 1 << 20,
        max_decompression_ratio: 1100,
        ratio_floor: 64 << 10,
        max_document_decoded: 8 << 20,
        max_objects: 10_000,
        max_pages: 200,
        max_depth: 32,
        max_revisions: 64,
        max_operators: 200_000,
        max_glyphs_per_page: 20_000,
        max_file_size: 4 << 20,
    }
}

/// The engine catches panics and reports them as [`PdfError::Internal`], as it does for
/// broken invariants; for the fuzzer both are crashes. (libfuzzer-sys's panic hook already
/// aborts before `catch_unwind` sees a panic; this covers the invariant errors.)
pub fn checked<T>(what: &str, result: Result<T, PdfError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(PdfError::Internal(message)) => panic!("{what}: internal error: {message}"),
        Err(_) => None,
    }
}

/// A fresh instance PKI (ECDSA P-256), made once per fuzzing process.
pub fn pki(now: OffsetDateTime) -> InstancePki {
    let subject = PkiSubject {
        organization: "Signet Fuzzing".into(),
        common_name: "Signet Fuzz Instance".into(),
    };
    generate_instance_pki(&subject, KeyAlgorithm::EcdsaP256, now).expect("test PKI")
}
