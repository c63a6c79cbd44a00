//! Stamps: rendered with pdftoppm (pixels change inside the box only), text extractable with
//! pdftotext, upright on rotated pages, and still a valid seal.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::raster::*;
use common::*;
use signet_pdf::{KeyAlgorithm, Limits, Rect, Stamp, StampContent, inspect};

fn grow(r: Rect, by: f32) -> Rect {
    Rect {
        x: r.x - by,
        y: r.y - by,
        width: r.width + 2.0 * by,
        height: r.height + 2.0 * by,
    }
}

#[test]
fn stamps_change_pixels_only_inside_their_boxes_and_text_is_extractable() {
    let dir = scratch("stamps_unrotated");
    let original = read_fixture("rl_simple.pdf");
    let info = inspect(std::io::Cursor::new(&original), &Limits::default()).unwrap();
    let tag = |name: &str| info.tags.iter().find(|t| t.tag == name).unwrap().rect;
    let stamps = vec![
        Stamp {
            page: 1,
            rect: grow(tag("signature_1"), 1.0),
            content: StampContent::Cover,
        },
        Stamp {
            page: 1,
            rect: Rect {
                x: 72.0,
                y: 420.0,
                width: 180.0,
                height: 40.0,
            },
            content: StampContent::Image(sample_png()),
        },
        Stamp {
            page: 1,
            rect: Rect {
                x: 300.0,
                y: 420.0,
                width: 200.0,
                height: 40.0,
            },
            content: StampContent::Script {
                text: "Zoë Łukasz Øster".into(),
                font: signet_pdf::ScriptFont::GreatVibes,
            },
        },
        Stamp {
            page: 1,
            rect: Rect {
                x: 72.0,
                y: 300.0,
                width: 150.0,
                height: 60.0,
            },
            content: StampContent::Text(
                "Approved by Zoë Łukasz Øster on behalf of the board, see annex 3".into(),
            ),
        },
        Stamp {
            page: 1,
            rect: Rect {
                x: 300.0,
                y: 300.0,
                width: 14.0,
                height: 14.0,
            },
            content: StampContent::Checkbox(true),
        },
        Stamp {
            page: 1,
            rect: Rect {
                x: 330.0,
                y: 300.0,
                width: 14.0,
                height: 14.0,
            },
            content: StampContent::Checkbox(false),
        },
    ];
    let (out, sealed) = seal_to(
        &dir,
        "sealed.pdf",
        &original,
        &stamps,
        KeyAlgorithm::EcdsaP256,
        true,
    );
    assert_byte_range_invariants(&original, &sealed);
    assert_qpdf_clean(&out);
    let root = root_pem(&dir, KeyAlgorithm::EcdsaP256);
    let (ok, text) = pyhanko_validate(&out, &[root.as_path()]);
    assert!(ok, "{text}");

    let before_path = dir.join("original.pdf");
    std::fs::write(&before_path, &original).unwrap();
    let (before, after) = (render(&before_path, 1), render(&out, 1));
    let boxes: Vec<_> = stamps.iter().map(|s| pixel_box(s.rect, 792.0)).collect();
    let (inside, outside) = diff(&before, &after, &boxes);
    assert_eq!(outside, 0, "pixels changed outside the stamp boxes");
    for (i, n) in inside.iter().enumerate() {
        assert!(*n > 10, "stamp {i} changed only {n} pixels");
    }
    // The cover is white all over: no dark pixel left of the tag text.
    let (x0, y0, x1, y1) = pixel_box(tag("signature_1"), 792.0);
    for y in y0 + 1..y1 {
        for x in x0 + 1..x1 {
            assert_eq!(
                after.px(x, y),
                [255, 255, 255],
                "covered tag still visible at {x},{y}"
            );
        }
    }
    let extracted = pdftotext(&out);
    assert!(extracted.contains("Zoë Łukasz Øster"), "{extracted}");
    assert!(extracted.contains("Approved by"), "{extracted}");
    // Page 2 is untouched.
    assert_eq!(diff(&render(&before_path, 2), &render(&out, 2), &[]).1, 0);
}

#[test]
fn stamps_on_a_rotated_page_read_upright() {
    let dir = scratch("stamps_rotated");
    let original = read_fixture("rl_ttf_rotated.pdf");
    let info = inspect(std::io::Cursor::new(&original), &Limits::default()).unwrap();
    assert_eq!(info.pages[0].rotation, 90);
    let rect = Rect {
        x: 300.0,
        y: 100.0,
        width: 40.0,
        height: 300.0,
    };
    let stamps = [Stamp {
        page: 1,
        rect,
        content: StampContent::Text("Upright words".into()),
    }];
    let (out, _) = seal_to(
        &dir,
        "sealed.pdf",
        &original,
        &stamps,
        KeyAlgorithm::EcdsaP256,
        true,
    );
    let bbox = run(
        "pdftotext",
        &["-bbox", "-f", "1", "-l", "1", &out.to_string_lossy(), "-"],
    );
    let xml = String::from_utf8_lossy(&bbox.stdout);
    let line = xml
        .lines()
        .find(|l| l.contains(">Upright<"))
        .unwrap_or_else(|| panic!("{xml}"));
    let num = |k: &str| -> f64 {
        let s = &line[line.find(&format!("{k}=\"")).unwrap() + k.len() + 2..];
        s[..s.find('"').unwrap()].parse().unwrap()
    };
    let (w, h) = (num("xMax") - num("xMin"), num("yMax") - num("yMin"));
    assert!(
        w > 2.0 * h,
        "the word is not horizontal for the viewer: {w}x{h}"
    );
    // In display space (rotated 90° clockwise) the box spans x = user y, y = user x.
    assert!(
        num("xMin") >= 100.0 - 1.0 && num("xMax") <= 400.0 + 1.0,
        "{line}"
    );
    assert!(
        num("yMin") >= 300.0 - 1.0 && num("yMax") <= 340.0 + 1.0,
        "{line}"
    );
}

#[test]
fn invalid_stamps_are_rejected() {
    let original = read_fixture("rl_simple.pdf");
    let bad = [
        Stamp {
            page: 9,
            rect: Rect {
                x: 0.0,
                y: 0.0,
                width: 10.0,
                height: 10.0,
            },
            content: StampContent::Cover,
        },
        Stamp {
            page: 1,
            rect: Rect {
                x: 0.0,
                y: 0.0,
                width: -1.0,
                height: 10.0,
            },
            content: StampContent::Cover,
        },
        Stamp {
            page: 1,
            rect: Rect {
                x: f32::NAN,
                y: 0.0,
                width: 1.0,
                height: 10.0,
            },
            content: StampContent::Cover,
        },
        Stamp {
            page: 1,
            rect: Rect {
                x: 0.0,
                y: 0.0,
                width: 10.0,
                height: 10.0,
            },
            content: StampContent::Image(b"nope".to_vec()),
        },
    ];
    for s in bad {
        let r = signet_pdf::seal(
            std::io::Cursor::new(&original),
            Vec::new(),
            std::slice::from_ref(&s),
            &identity(KeyAlgorithm::EcdsaP256),
            &options(true),
            &Limits::default(),
        );
        assert!(
            matches!(
                r,
                Err(signet_pdf::PdfError::InvalidInput(_) | signet_pdf::PdfError::Image(_))
            ),
            "{s:?} gave {r:?}"
        );
    }
}
