//! PNG images as PDF image XObjects, with the alpha channel as a soft mask (/SMask).

use std::io::Cursor;

use crate::error::{PdfError, Result};
use crate::font::{ObjectSink, compressed_stream};
use crate::syntax::{Dict, ObjRef, Object};

/// Largest accepted image side in pixels.
pub(crate) const MAX_SIDE: u32 = 4096;
/// Largest accepted PNG file.
pub(crate) const MAX_PNG_BYTES: usize = 32 * 1024 * 1024;

/// A decoded PNG ready to embed.
pub(crate) struct Png {
    pub width: u32,
    pub height: u32,
    gray: bool,
    color: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

impl Png {
    /// Decodes a PNG after checking the byte size and the header's pixel dimensions.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Png> {
        if bytes.len() > MAX_PNG_BYTES {
            return Err(PdfError::Image(format!(
                "{} bytes is larger than the {MAX_PNG_BYTES} byte limit",
                bytes.len()
            )));
        }
        let img = |e: png::DecodingError| PdfError::Image(e.to_string());
        let limits = png::Limits {
            bytes: (MAX_SIDE as usize) * (MAX_SIDE as usize) * 4 + (1 << 20),
        };
        let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(img)?;
        let (width, height) = (reader.info().width, reader.info().height);
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(PdfError::Image(format!("{width}x{height} pixels")));
        }
        let size = reader
            .output_buffer_size()
            .ok_or_else(|| PdfError::Image("image too large".into()))?;
        let mut buf = vec![0u8; size];
        let frame = reader.next_frame(&mut buf).map_err(img)?;
        buf.truncate(frame.buffer_size());
        let channels = match frame.color_type {
            png::ColorType::Grayscale => 1,
            png::ColorType::GrayscaleAlpha => 2,
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            png::ColorType::Indexed => {
                return Err(PdfError::Image("palette was not expanded".into()));
            }
        };
        let has_alpha = channels == 2 || channels == 4;
        let color_channels = if has_alpha { channels - 1 } else { channels };
        let mut color = Vec::with_capacity(buf.len());
        let mut alpha = Vec::with_capacity(if has_alpha { buf.len() / channels } else { 0 });
        for px in buf.chunks_exact(channels) {
            color.extend_from_slice(px.get(..color_channels).unwrap_or_default());
            if has_alpha {
                alpha.push(px.get(color_channels).copied().unwrap_or(255));
            }
        }
        let alpha = (has_alpha && alpha.iter().any(|a| *a != 255)).then_some(alpha);
        Ok(Png {
            width,
            height,
            gray: color_channels == 1,
            color,
            alpha,
        })
    }

    /// Writes the image (and its soft mask) at `r`.
    pub(crate) fn emit(&self, sink: &mut dyn ObjectSink, r: ObjRef) {
        let mut d = image_dict(
            self.width,
            self.height,
            if self.gray { "DeviceGray" } else { "DeviceRGB" },
        );
        // Drawn signatures are small bitmaps scaled up: ask viewers to smooth them.
        d.set(b"Interpolate", Object::Bool(true));
        if let Some(alpha) = &self.alpha {
            let m = sink.alloc();
            sink.put(
                m,
                compressed_stream(image_dict(self.width, self.height, "DeviceGray"), alpha),
            );
            d.set(b"SMask", Object::Ref(m));
        }
        sink.put(r, compressed_stream(d, &self.color));
    }
}

fn image_dict(width: u32, height: u32, space: &str) -> Dict {
    let mut d = Dict::new();
    d.set(b"Type", Object::name("XObject"));
    d.set(b"Subtype", Object::name("Image"));
    d.set(b"Width", Object::Int(i64::from(width)));
    d.set(b"Height", Object::Int(i64::from(height)));
    d.set(b"ColorSpace", Object::name(space));
    d.set(b"BitsPerComponent", Object::Int(8));
    d
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small RGBA PNG: opaque red left half, transparent right half.
    pub(crate) fn sample_png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(png::BitDepth::Eight);
            let mut writer = enc.write_header().unwrap();
            let data: Vec<u8> = (0..w * h)
                .flat_map(|i| {
                    if i % w < w / 2 {
                        [200, 0, 0, 255]
                    } else {
                        [0, 0, 0, 0]
                    }
                })
                .collect();
            writer.write_image_data(&data).unwrap();
        }
        out
    }

    #[test]
    fn png_with_alpha_gets_a_soft_mask() {
        let p = Png::decode(&sample_png(8, 4)).unwrap();
        assert_eq!((p.width, p.height), (8, 4));
        assert_eq!(p.color.len(), 8 * 4 * 3);
        assert_eq!(p.alpha.as_ref().unwrap().len(), 32);
    }

    #[test]
    fn oversized_and_garbage_pngs_are_rejected() {
        assert!(matches!(Png::decode(b"not a png"), Err(PdfError::Image(_))));
        // A header claiming 5000x10 pixels is refused before any pixel is decoded.
        let mut big = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut big, 5000, 10);
            enc.set_color(png::ColorType::Grayscale);
            let mut w = enc.write_header().unwrap();
            w.write_image_data(&vec![0u8; 50_000]).unwrap();
        }
        assert!(matches!(Png::decode(&big), Err(PdfError::Image(m)) if m.contains("5000")));
    }
}
