//! `inspect` on fixtures from several producers, cross-checked against `pdftotext -bbox`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::io::Cursor;

use common::{fixture, read_fixture, run};
use signet_pdf::{Limits, PdfInfo, inspect};

fn info(name: &str) -> PdfInfo {
    inspect(Cursor::new(read_fixture(name)), &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn tag_names(info: &PdfInfo) -> Vec<(u32, &str)> {
    info.tags.iter().map(|t| (t.page, t.tag.as_str())).collect()
}

/// One word box from `pdftotext -bbox`: (page, xmin, ymin, xmax, ymax, text), top-left origin.
struct Word {
    page: u32,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

fn attr(line: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let start = line.find(&key).unwrap() + key.len();
    line[start..].split('"').next().unwrap().parse().unwrap()
}

fn poppler_words(name: &str) -> Vec<Word> {
    let out = run(
        "pdftotext",
        &["-bbox", &fixture(name).to_string_lossy(), "-"],
    );
    let mut page = 0;
    let mut words = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if line.starts_with("<word ") {
            let text = line
                .split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_string();
            let (x0, y0, x1, y1) = (
                attr(line, "xMin"),
                attr(line, "yMin"),
                attr(line, "xMax"),
                attr(line, "yMax"),
            );
            words.push(Word {
                page,
                x0,
                y0,
                x1,
                y1,
                text,
            });
        }
    }
    words
}

/// Every tag's box matches poppler's word box within 1 pt (poppler: media-box coordinates,
/// top-left origin, rotated for display).
fn assert_matches_poppler(name: &str, media: [(f64, f64, f64, f64); 4]) {
    let info = info(name);
    let words = poppler_words(name);
    assert!(!info.tags.is_empty());
    for tag in &info.tags {
        let needle = format!("{{{{{}}}}}", tag.tag);
        let word = words
            .iter()
            .find(|w| w.page == tag.page && w.text == needle)
            .unwrap_or_else(|| panic!("{name}: poppler has no word {needle} on page {}", tag.page));
        let page = &info.pages[tag.page as usize - 1];
        let (crop_x0, crop_y0, media_y1, media_x0) = media[tag.page as usize - 1];
        let r = tag.rect;
        // back to user space
        let (ux0, uy0) = (f64::from(r.x) + crop_x0, f64::from(r.y) + crop_y0);
        let (ux1, uy1) = (ux0 + f64::from(r.width), uy0 + f64::from(r.height));
        let expected = match page.rotation {
            0 => (
                ux0 - media_x0,
                media_y1 - uy1,
                ux1 - media_x0,
                media_y1 - uy0,
            ),
            90 => (uy0, ux0 - media_x0, uy1, ux1 - media_x0),
            other => panic!("rotation {other} not covered"),
        };
        let got = (word.x0, word.y0, word.x1, word.y1);
        let close = |a: f64, b: f64| (a - b).abs() <= 1.0;
        assert!(
            close(expected.0, got.0)
                && close(expected.1, got.1)
                && close(expected.2, got.2)
                && close(expected.3, got.3),
            "{name} {needle}: ours {expected:?} vs poppler {got:?}"
        );
    }
}

const LETTER: (f64, f64, f64, f64) = (0.0, 0.0, 792.0, 0.0);

#[test]
fn reportlab_standard_fonts_match_poppler() {
    let i = info("rl_simple.pdf");
    assert_eq!(i.version, "1.3");
    assert_eq!(i.pages.len(), 2);
    assert_eq!(
        (i.pages[0].width, i.pages[0].height, i.pages[0].rotation),
        (612.0, 792.0, 0)
    );
    assert_eq!(
        tag_names(&i),
        vec![
            (1, "signature_1"),
            (1, "date_1"),
            (1, "witness.name"),
            (1, "witness:sig-2"),
            (1, "spaced_tag"),
            (2, "checkbox_1"),
            (2, "initials_1")
        ]
    );
    assert_matches_poppler("rl_simple.pdf", [LETTER; 4]);
}

#[test]
fn raw_operators_fonts_and_forms_match_poppler() {
    let i = info("raw_features.pdf");
    let names: Vec<&str> = i.tags.iter().map(|t| t.tag.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "signature_2",
            "text_1",
            "scaled",
            "spaced_1",
            "risen",
            "quote_1",
            "dquote_1",
            "cid_tag",
            "after_bi",
            "in_form",
            "tt_1"
        ]
    );
    assert_matches_poppler("raw_features.pdf", [LETTER; 4]);
}

#[test]
fn object_streams_hybrid_and_revisions_read_the_same_tags() {
    let base = tag_names(&info("raw_features.pdf"))
        .into_iter()
        .map(|(p, n)| (p, n.to_string()))
        .collect::<Vec<_>>();
    for name in ["raw_objstm.pdf", "raw_hybrid.pdf"] {
        let got: Vec<_> = tag_names(&info(name))
            .into_iter()
            .map(|(p, n)| (p, n.to_string()))
            .collect();
        assert_eq!(got, base, "{name}");
        assert_matches_poppler(name, [LETTER; 4]);
    }
    let multi = info("raw_multirev.pdf");
    assert!(
        multi
            .tags
            .iter()
            .any(|t| t.tag == "rev2_tag" && t.page == 1)
    );
    assert_matches_poppler("raw_multirev.pdf", [LETTER; 4]);
}

#[test]
fn truetype_rotated_and_cropped_pages_match_poppler() {
    let i = info("rl_ttf_rotated.pdf");
    assert_eq!(i.pages[0].rotation, 90);
    // The crop box [20 30 500 700] is clipped to the landscape media box (height 595.2756).
    assert_eq!((i.pages[1].width, i.pages[1].height), (480.0, 565.2756));
    assert_eq!(tag_names(&i), vec![(1, "signature_1"), (2, "crop_tag")]);
    let a4 = (0.0, 0.0, 841.8898, 0.0);
    assert_matches_poppler(
        "rl_ttf_rotated.pdf",
        [a4, (20.0, 30.0, 841.8898, 0.0), a4, a4],
    );
}

#[test]
fn acroform_and_signed_inputs_are_inspected() {
    assert_eq!(
        tag_names(&info("rl_acroform.pdf")),
        vec![(1, "signature_1")]
    );
    let signed = info("pyhanko_signed.pdf");
    assert_eq!(signed.tags.len(), 7);
    assert_matches_poppler("pyhanko_signed.pdf", [LETTER; 4]);
}

#[test]
fn own_report_with_embedded_cid_fonts_matches_poppler() {
    let i = info("signet_report.pdf");
    assert_eq!(
        tag_names(&i),
        vec![
            (1, "signature_1"),
            (1, "date_1"),
            (1, "initials_1"),
            (1, "check.one")
        ]
    );
    let a4 = (0.0, 0.0, 841.89, 0.0);
    assert_matches_poppler("signet_report.pdf", [a4; 4]);
}

#[test]
fn existing_signatures_and_certifications_are_reported() {
    let presigned = info("pyhanko_signed.pdf");
    assert!(presigned.signed);
    let plain = info("rl_simple.pdf");
    assert!(!plain.signed);
    assert_eq!(plain.certification, None);
    assert!(
        !info("rl_acroform.pdf").signed,
        "an unsigned signature field is not a signature"
    );
}

/// A one-page document whose catalog, page and annotation carry `extra` entries.
fn with_active(catalog: &str, page: &str, annots: &[&str]) -> Vec<u8> {
    let annot_refs: String = (0..annots.len())
        .map(|i| format!("{} 0 R ", 10 + i))
        .collect();
    let mut objects = vec![
        (1, format!("<< /Type /Catalog /Pages 2 0 R {catalog} >>").into_bytes()),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (
            3,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [{annot_refs}] {page} >>"
            )
            .into_bytes(),
        ),
    ];
    for (i, annot) in annots.iter().enumerate() {
        objects.push((10 + i as u32, annot.as_bytes().to_vec()));
    }
    common::build_pdf(&objects, "")
}

fn active(pdf: Vec<u8>) -> Vec<String> {
    inspect(Cursor::new(pdf), &Limits::default())
        .unwrap()
        .active_content
}

#[test]
fn scripts_launch_actions_and_embedded_files_are_found() {
    let js = "<< /S /JavaScript /JS (app.alert(1)) >>";
    let cases = [
        (
            with_active(&format!("/OpenAction {js}"), "", &[]),
            "an action run when the document opens",
        ),
        (
            with_active("/Names << /JavaScript << /Names [] >> >>", "", &[]),
            "document-level JavaScript",
        ),
        (
            with_active("/Names << /EmbeddedFiles << /Names [] >> >>", "", &[]),
            "embedded files",
        ),
        (
            with_active(&format!("/AA << /WC {js} >>"), "", &[]),
            "document event actions",
        ),
        (
            with_active("", &format!("/AA << /O {js} >>"), &[]),
            "page 1 event actions",
        ),
        (
            with_active(
                "",
                "",
                &[
                    "<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS << /F (a.exe) >> >>",
                ],
            ),
            "a file attachment on page 1",
        ),
        (
            with_active(
                "",
                "",
                &[
                    "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://example.org) /Next << /S /Launch /F (calc.exe) >> >> >>",
                ],
            ),
            "an annotation with a script or launch action on page 1",
        ),
    ];
    for (pdf, expected) in cases {
        assert_eq!(active(pdf), [expected]);
    }
    // Plain links and ordinary documents hold nothing active.
    let link = "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://example.org) >> >>";
    assert!(active(with_active("", "", &[link])).is_empty());
    for name in ["rl_simple.pdf", "rl_acroform.pdf", "pyhanko_signed.pdf"] {
        assert!(info(name).active_content.is_empty(), "{name}");
    }
}
