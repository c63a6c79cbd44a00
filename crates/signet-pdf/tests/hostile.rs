//! Hostile inputs: every entry point returns an error (never panics, never hangs, never
//! balloons memory), and mutated real files never reach the panic guard.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use common::*;
use flate2::Compression;
use flate2::write::ZlibEncoder;
use signet_pdf::{KeyAlgorithm, Limits, PdfError, inspect, seal};

/// Runs inspect and seal on `pdf`; both must fail quickly, and `check` must accept the error.
fn both_fail(name: &str, pdf: &[u8], check: impl Fn(&PdfError) -> bool) {
    let started = Instant::now();
    let e1 = inspect(Cursor::new(pdf), &Limits::default()).expect_err(name);
    assert!(check(&e1), "{name}: inspect gave {e1:?}");
    let e2 = seal(
        Cursor::new(pdf),
        Vec::new(),
        &[],
        &identity(KeyAlgorithm::EcdsaP256),
        &options(false),
        &Limits::default(),
    )
    .expect_err(name);
    assert!(check(&e2), "{name}: seal gave {e2:?}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{name} took {:?}",
        started.elapsed()
    );
}

fn malformed(e: &PdfError) -> bool {
    matches!(e, PdfError::Malformed { .. })
}

fn limit(e: &PdfError) -> bool {
    matches!(e, PdfError::LimitExceeded { .. })
}

fn zlib(chunks: impl Iterator<Item = Vec<u8>>) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
    for c in chunks {
        e.write_all(&c).unwrap();
    }
    e.finish().unwrap()
}

#[test]
fn garbage_and_non_pdfs_are_rejected() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let garbage: Vec<u8> = (0..10_000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect();
    both_fail("garbage", &garbage, |e| matches!(e, PdfError::NotPdf));
    let mut after_header = b"%PDF-1.7\n".to_vec();
    after_header.extend_from_slice(&garbage);
    both_fail("garbage after header", &after_header, malformed);
    both_fail("empty", b"", |e| matches!(e, PdfError::NotPdf));
}

#[test]
fn broken_xref_is_malformed() {
    let good = read_fixture("rl_simple.pdf");
    let rfind = |needle: &[u8]| {
        good.windows(needle.len())
            .rposition(|w| w == needle)
            .unwrap()
    };
    let sx = rfind(b"startxref") + 10;
    // startxref pointing into the middle of an object
    let mut bad = good[..sx].to_vec();
    bad.extend_from_slice(b"15\n%%EOF\n");
    both_fail("startxref into an object", &bad, malformed);
    // xref entries shifted so they point at the wrong objects
    let x = rfind(b"\nxref");
    let mut shifted = good[..x].to_vec();
    shifted.extend_from_slice(
        String::from_utf8_lossy(&good[x..])
            .replace(" 00000 n", "1 00000 n")
            .replace("\n0000", "\n000")
            .as_bytes(),
    );
    both_fail("shifted xref offsets", &shifted, malformed);
    // huge subsection count
    let huge = build_pdf(&[(1, b"<< /Type /Catalog >>".to_vec())], "")
        .split(|b| *b == b'\n')
        .map(|l| {
            if l.starts_with(b"0 2") {
                b"0 99999999".to_vec()
            } else {
                l.to_vec()
            }
        })
        .collect::<Vec<_>>()
        .join(&b'\n');
    both_fail("huge xref count", &huge, |e| malformed(e) || limit(e));
}

#[test]
fn truncated_files_are_malformed() {
    let good = read_fixture("raw_objstm.pdf");
    for cut in [good.len() / 3, good.len() / 2, good.len() - 40] {
        both_fail(&format!("truncated at {cut}"), &good[..cut], malformed);
    }
}

#[test]
fn decompression_bomb_hits_the_limit() {
    // 64 MiB of zeros, deflated twice: a few hundred bytes on disk.
    let inner = zlib((0..64).map(|_| vec![0u8; 1 << 20]));
    let outer = zlib(std::iter::once(inner));
    assert!(outer.len() < 8 * 1024, "bomb is {} bytes", outer.len());
    let pdf = build_pdf(
        &[
            (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
            (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
            (
                3,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>".to_vec(),
            ),
            (
                4,
                stream_body("/Filter [/FlateDecode /FlateDecode]", &outer),
            ),
        ],
        "",
    );
    let e = inspect(Cursor::new(&pdf), &Limits::default()).unwrap_err();
    assert!(limit(&e), "{e:?}");
    // With the ratio check relaxed, the absolute per-stream cap still stops it.
    let strict_size = Limits {
        max_decompression_ratio: u64::MAX,
        max_stream_decoded: 16 << 20,
        ..Limits::default()
    };
    let e = inspect(Cursor::new(&pdf), &strict_size).unwrap_err();
    assert!(limit(&e), "{e:?}");
    // Sealing never decodes page content, so the bomb does not matter to it.
    assert!(
        seal(
            Cursor::new(&pdf),
            Vec::new(),
            &[],
            &identity(KeyAlgorithm::EcdsaP256),
            &options(false),
            &Limits::default()
        )
        .is_ok()
    );
}

#[test]
fn page_tree_attacks_are_refused() {
    let huge_count = build_pdf(
        &[
            (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
            (
                2,
                b"<< /Type /Pages /Kids [3 0 R] /Count 999999999 >>".to_vec(),
            ),
            (3, b"<< /Type /Page /Parent 2 0 R >>".to_vec()),
        ],
        "",
    );
    both_fail("huge /Count", &huge_count, limit);
    let circular = build_pdf(
        &[
            (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
            (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
            (3, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>".to_vec()),
        ],
        "",
    );
    both_fail("circular /Kids", &circular, malformed);
    let wide: String = (0..20_000).map(|_| "4 0 R ").collect();
    let many = build_pdf(
        &[
            (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
            (
                2,
                format!("<< /Type /Pages /Kids [{wide}] /Count 1 >>").into_bytes(),
            ),
            (4, b"<< /Type /Page >>".to_vec()),
        ],
        "",
    );
    both_fail("20,000 kids", &many, |e| limit(e) || malformed(e));
}

#[test]
fn circular_prev_chain_is_malformed() {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let o1 = pdf.len();
    pdf.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    let x1 = pdf.len();
    // Section A points to section B, which points back to A.
    let section_a = |prev: usize| {
        format!(
            "xref\n1 1\n{o1:010} 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R /Prev {prev:010} >>\n"
        )
    };
    let x2 = x1 + section_a(0).len();
    pdf.extend_from_slice(section_a(x2).as_bytes());
    let sec_b =
        format!("xref\n1 1\n{o1:010} 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R /Prev {x1} >>\n");
    pdf.extend_from_slice(sec_b.as_bytes());
    pdf.extend_from_slice(format!("startxref\n{x1}\n%%EOF\n").as_bytes());
    both_fail("circular /Prev", &pdf, malformed);
}

#[test]
fn deep_nesting_hits_the_depth_limit() {
    let deep = format!(
        "<< /Type /Page /Parent 2 0 R /X {}{} >>",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let pdf = build_pdf(
        &[
            (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
            (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
            (3, deep.into_bytes()),
        ],
        "",
    );
    both_fail("10,000-deep arrays", &pdf, limit);
    // Deep nesting inside a content stream is bounded too (inspect only decodes content).
    let content = format!("{}{} Tj", "[".repeat(10_000), "]".repeat(10_000));
    assert!(
        inspect(
            Cursor::new(one_page(content.as_bytes())),
            &Limits::default()
        )
        .is_ok()
    );
}

#[test]
fn encrypted_documents_are_refused() {
    let pdf = build_pdf(
        &[
            (1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
            (5, b"<< /Filter /Standard /V 2 /R 3 >>".to_vec()),
        ],
        "/Encrypt 5 0 R",
    );
    both_fail("encrypted", &pdf, |e| matches!(e, PdfError::Encrypted));
}

#[test]
fn mutated_real_files_never_reach_the_panic_guard() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let id = identity(KeyAlgorithm::EcdsaP256);
    for name in [
        "rl_simple.pdf",
        "raw_features.pdf",
        "raw_objstm.pdf",
        "raw_hybrid.pdf",
        "rl_ttf_rotated.pdf",
        "pyhanko_signed.pdf",
    ] {
        let original = read_fixture(name);
        for _ in 0..150 {
            let mut m = original.clone();
            for _ in 0..(next() % 8 + 1) {
                let at = (next() as usize) % m.len();
                m[at] = (next() >> 32) as u8;
            }
            if next() % 5 == 0 {
                m.truncate((next() as usize) % m.len());
            }
            if let Err(PdfError::Internal(msg)) = inspect(Cursor::new(&m), &Limits::default()) {
                panic!("{name}: inspect panicked on a mutation: {msg}");
            }
            if let Err(PdfError::Internal(msg)) = seal(
                Cursor::new(&m),
                Vec::new(),
                &[],
                &id,
                &options(false),
                &Limits::default(),
            ) {
                panic!("{name}: seal panicked on a mutation: {msg}");
            }
            let verify_options = signet_pdf::VerifyOptions {
                trust_roots: Vec::new(),
                now: time::OffsetDateTime::now_utc(),
            };
            if let Err(PdfError::Internal(msg)) =
                signet_pdf::verify(Cursor::new(&m), &verify_options, &Limits::default())
            {
                panic!("{name}: verify panicked on a mutation: {msg}");
            }
        }
    }
}
