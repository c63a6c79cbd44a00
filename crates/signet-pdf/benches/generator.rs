//! Synthetic PDFs for benchmarks and memory measurements (shared by the bench and an example).
#![allow(dead_code)]

/// A PDF with `pages` pages; each has `lines` lines of Helvetica text (one with a `{{tag}}`)
/// and, when `image_bytes > 0`, an uncompressed, incompressible grayscale image of that size.
pub fn synthetic_pdf(pages: usize, lines: usize, image_bytes: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    let mut obj = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    let kids: String = (0..pages).map(|i| format!("{} 0 R ", 4 + i * 3)).collect();
    obj(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    obj(
        &mut out,
        format!("<< /Type /Pages /Kids [{kids}] /Count {pages} >>").as_bytes(),
    );
    obj(
        &mut out,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    );
    let mut seed = 0x1234_5678_9abc_def1u64;
    for p in 0..pages {
        let (content, image) = (5 + p * 3, 6 + p * 3);
        let xobj = if image_bytes > 0 {
            format!("/XObject << /Im1 {image} 0 R >>")
        } else {
            String::new()
        };
        obj(
            &mut out,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R /Resources << /Font << /F1 3 0 R >> {xobj} >> >>"
            )
            .as_bytes(),
        );
        let mut text = String::from("BT /F1 10 Tf 72 750 Td 12 TL\n");
        for l in 0..lines {
            if l == lines / 2 {
                text.push_str(&format!(
                    "(Please sign here: {{{{signature_{}}}}} thank you) '\n",
                    p + 1
                ));
            } else {
                text.push_str(&format!("(Line {l} of page {p}: lorem ipsum dolor sit amet, consectetur adipiscing elit.) '\n"));
            }
        }
        text.push_str("ET\n");
        if image_bytes > 0 {
            text.push_str("q 400 0 0 300 100 100 cm /Im1 Do Q\n");
        }
        obj(
            &mut out,
            format!(
                "<< /Length {} >>\nstream\n{text}\nendstream",
                text.len() + 1
            )
            .as_bytes(),
        );
        if image_bytes > 0 {
            obj(&mut out, &noise_image(image_bytes, &mut seed));
        } else {
            obj(&mut out, b"null");
        }
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// An uncompressed grayscale image XObject body filled with xorshift noise.
fn noise_image(bytes: usize, seed: &mut u64) -> Vec<u8> {
    let width = 1000;
    let height = (bytes / width).max(1);
    let mut body = format!(
        "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {} >>\nstream\n",
        width * height
    )
    .into_bytes();
    body.reserve(width * height + 16);
    for _ in 0..width * height {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        body.push((*seed >> 32) as u8);
    }
    body.extend_from_slice(b"\nendstream");
    body
}
