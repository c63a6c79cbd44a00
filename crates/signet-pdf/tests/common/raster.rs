//! Pages rendered with pdftoppm and compared pixel by pixel.

use std::path::Path;

use signet_pdf::Rect;

use super::run;

/// A page rendered at 72 dpi (1 px = 1 pt): width, height, RGB bytes.
pub struct Raster {
    pub w: usize,
    pub h: usize,
    pub rgb: Vec<u8>,
}

impl Raster {
    pub fn px(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.w + x) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

pub fn render(pdf: &Path, page: u32) -> Raster {
    let prefix = pdf.with_extension(format!("p{page}"));
    let p = page.to_string();
    let st = run(
        "pdftoppm",
        &[
            "-r",
            "72",
            "-png",
            "-singlefile",
            "-f",
            &p,
            "-l",
            &p,
            &pdf.to_string_lossy(),
            &prefix.to_string_lossy(),
        ],
    );
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let file = std::fs::File::open(prefix.with_extension(format!("p{page}.png"))).unwrap();
    let mut dec = png::Decoder::new(std::io::BufReader::new(file));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    Raster {
        w: info.width as usize,
        h: info.height as usize,
        rgb: buf,
    }
}

/// Pixel box (x0, y0, x1, y1), top-left origin, of a stamp rect on an unrotated page of height `ph`.
pub fn pixel_box(r: Rect, ph: f32) -> (usize, usize, usize, usize) {
    let y_top = ph - (r.y + r.height);
    (
        r.x as usize,
        y_top as usize,
        (r.x + r.width) as usize,
        (y_top + r.height) as usize,
    )
}

/// Counts changed pixels inside the boxes and outside them (with a 2 px margin).
pub fn diff(a: &Raster, b: &Raster, boxes: &[(usize, usize, usize, usize)]) -> (Vec<usize>, usize) {
    assert_eq!((a.w, a.h), (b.w, b.h));
    let mut inside = vec![0; boxes.len()];
    let mut outside = 0;
    for y in 0..a.h {
        for x in 0..a.w {
            if a.px(x, y) == b.px(x, y) {
                continue;
            }
            let hit = boxes.iter().position(|&(x0, y0, x1, y1)| {
                x + 2 >= x0 && x <= x1 + 2 && y + 2 >= y0 && y <= y1 + 2
            });
            match hit {
                Some(i) => inside[i] += 1,
                None => outside += 1,
            }
        }
    }
    (inside, outside)
}

pub fn sample_png() -> Vec<u8> {
    let (w, h) = (60u32, 20u32);
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    let mut writer = enc.write_header().unwrap();
    // A dark diagonal stroke on a transparent background.
    let data: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let (x, y) = (i % w, i / w);
            if (x / 3).abs_diff(y) <= 1 {
                [20, 20, 120, 255]
            } else {
                [255, 255, 255, 0]
            }
        })
        .collect();
    writer.write_image_data(&data).unwrap();
    drop(writer);
    out
}
