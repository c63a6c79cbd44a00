//! `render_report`: qpdf-clean, extractable, deterministic, paginated, readable by `inspect`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use signet_pdf::{Block, KeyAlgorithm, Limits, Report, inspect, render_report};

fn signature_png() -> Vec<u8> {
    let (w, h) = (300u32, 100u32);
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    let mut writer = enc.write_header().unwrap();
    let data: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let (x, y) = (i % w, i / w);
            let curve = (50.0 + 30.0 * ((x as f64) / 25.0).sin()) as u32;
            if curve.abs_diff(y) <= 2 {
                [10, 10, 90, 255]
            } else {
                [0, 0, 0, 0]
            }
        })
        .collect();
    writer.write_image_data(&data).unwrap();
    drop(writer);
    out
}

pub fn sample_report() -> Report {
    let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".repeat(2);
    let ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    let rows: Vec<Vec<String>> = (0..80)
        .map(|i| {
            vec![
                format!("2026-11-23T10:{:02}:00Z", i % 60),
                ["created", "sent", "viewed", "signed"][i % 4].to_string(),
                format!("signer{i}@example.org"),
                if i % 7 == 0 {
                    format!("{ua} {hash}")
                } else {
                    format!("203.0.113.{i}")
                },
            ]
        })
        .collect();
    Report {
        title: "Certificate of completion".into(),
        subtitle: Some("Envelope 0190a1b2-c3d4 · Employment agreement".into()),
        blocks: vec![
            Block::Heading("Document".into()),
            Block::KeyValues(vec![
                ("Title".into(), "Employment agreement for Zoë Łukasz Øster".into()),
                ("Original SHA-256".into(), hash.clone()),
                ("User agent".into(), ua.into()),
            ]),
            Block::Paragraph("This proof lists every event of the envelope. Placeholder {{proof_tag}} stays findable.".into()),
            Block::Image { png: signature_png(), max_width: 150.0, max_height: 50.0 },
            Block::Heading("Events".into()),
            Block::Table { columns: vec!["Time".into(), "Event".into(), "Actor".into(), "Details".into()], rows },
            Block::Paragraph("End of report.".into()),
        ],
        footer: Some("Signet · proof document · sealed with the instance certificate".into()),
    }
}

#[test]
fn report_is_clean_extractable_and_paginated() {
    let dir = scratch("report");
    let pdf = render_report(&sample_report()).unwrap();
    let path = dir.join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    assert_qpdf_clean(&path);
    let text = pdftotext(&path);
    let info = inspect(std::io::Cursor::new(&pdf), &Limits::default()).unwrap();
    let pages = info.pages.len();
    assert!(pages >= 3, "the long table should span pages, got {pages}");
    assert!(
        info.pages
            .iter()
            .all(|p| (p.width - 595.276).abs() < 0.01 && (p.height - 841.89).abs() < 0.01)
    );
    for needle in [
        "Certificate of completion",
        "Zoë Łukasz Øster",
        "signer79@example.org",
        "End of report.",
        "Events",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
    for i in 1..=pages {
        assert!(
            text.contains(&format!("Page {i} of {pages}")),
            "missing page label {i}"
        );
    }
    // Long unbreakable strings wrap by character: every hash piece is present, none is cut off.
    let squashed: String = text.split_whitespace().collect();
    assert!(
        squashed.contains(
            &"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".repeat(2)
        )
    );
    // Our own reader finds a tag in the report's embedded CID fonts.
    assert_eq!(
        info.tags.iter().map(|t| t.tag.as_str()).collect::<Vec<_>>(),
        vec!["proof_tag"]
    );
}

#[test]
fn report_output_is_deterministic() {
    assert_eq!(
        render_report(&sample_report()).unwrap(),
        render_report(&sample_report()).unwrap()
    );
}

#[test]
fn report_can_be_sealed_and_validated() {
    let dir = scratch("report_sealed");
    let pdf = render_report(&sample_report()).unwrap();
    let (out, sealed) = seal_to(&dir, "sealed.pdf", &pdf, &[], KeyAlgorithm::EcdsaP256, true);
    assert_byte_range_invariants(&pdf, &sealed);
    let root = root_pem(&dir, KeyAlgorithm::EcdsaP256);
    let (ok, text) = pyhanko_validate(&out, &[root.as_path()]);
    assert!(ok, "{text}");
}

#[test]
fn bad_report_image_is_an_error_not_a_panic() {
    let mut r = sample_report();
    r.blocks.push(Block::Image {
        png: vec![0x89, b'P', b'N', b'G'],
        max_width: 10.0,
        max_height: 10.0,
    });
    assert!(matches!(
        render_report(&r),
        Err(signet_pdf::PdfError::Image(_))
    ));
}
