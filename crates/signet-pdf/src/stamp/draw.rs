//! Drawing one stamp: the box's upright frame, clipping, and each kind of content.

use super::{PageResources, Stamp, StampContent, fresh_name};
use crate::error::Result;
use crate::font::layout::wrap;
use crate::font::{Face, FontSet, ObjectSink, ScriptFont};
use crate::geom::Matrix;
use crate::image::Png;
use crate::reader::Page;
use crate::syntax::Dict;
use crate::syntax::serialize::fmt_num;

/// What drawing a stamp needs.
pub(crate) struct Ctx<'a> {
    pub page: &'a Page,
    pub fonts: &'a mut FontSet,
    pub sink: &'a mut dyn ObjectSink,
    pub res: &'a mut PageResources,
    /// The page's existing /Font and /XObject resources (names to avoid).
    pub existing_fonts: &'a Dict,
    pub existing_xobjects: &'a Dict,
}

/// The matrix from the stamp's upright local frame to user space, and that frame's size.
/// On a rotated page the content is counter-rotated so a viewer sees it upright.
pub(crate) fn frame(page: &Page, s: &Stamp) -> (Matrix, f64, f64) {
    let (x, y) = (
        page.crop_box.x0 + f64::from(s.rect.x),
        page.crop_box.y0 + f64::from(s.rect.y),
    );
    let (w, h) = (f64::from(s.rect.width), f64::from(s.rect.height));
    match page.rotate {
        90 => (Matrix([0.0, 1.0, -1.0, 0.0, x + w, y]), h, w),
        180 => (Matrix([-1.0, 0.0, 0.0, -1.0, x + w, y + h]), w, h),
        270 => (Matrix([0.0, -1.0, 1.0, 0.0, x, y + h]), h, w),
        _ => (Matrix([1.0, 0.0, 0.0, 1.0, x, y]), w, h),
    }
}

fn n(v: f64) -> String {
    fmt_num(v)
}

/// Appends the stamp's drawing (wrapped in q/Q, clipped to its box) to `out`.
pub(crate) fn stamp(mut ctx: Ctx<'_>, s: &Stamp, out: &mut Vec<u8>) -> Result<()> {
    let (m, w, h) = frame(ctx.page, s);
    let [a, b, c, d, e, f] = m.0;
    let mut body = format!(
        "q\n{} {} {} {} {} {} cm\n0 0 {} {} re W n\n",
        n(a),
        n(b),
        n(c),
        n(d),
        n(e),
        n(f),
        n(w),
        n(h)
    );
    match &s.content {
        StampContent::Cover => body.push_str(&format!("1 g 0 0 {} {} re f\n", n(w), n(h))),
        StampContent::Checkbox(checked) => body.push_str(&checkbox(w, h, *checked)),
        StampContent::Image(png) => body.push_str(&image(&mut ctx, png, w, h)?),
        StampContent::Script { text, font } => body.push_str(&script(&mut ctx, text, *font, w, h)?),
        StampContent::Text(text) => body.push_str(&plain(&mut ctx, text, w, h)?),
    }
    body.push_str("Q\n");
    out.extend_from_slice(body.as_bytes());
    Ok(())
}

fn checkbox(w: f64, h: f64, checked: bool) -> String {
    let side = w.min(h);
    let (x0, y0) = ((w - side) / 2.0, (h - side) / 2.0);
    let lw = (side * 0.06).max(0.5);
    let mut s = format!(
        "0 G {} w {} {} {} {} re S\n",
        n(lw),
        n(x0 + lw / 2.0),
        n(y0 + lw / 2.0),
        n(side - lw),
        n(side - lw)
    );
    if checked {
        let p = |fx: f64, fy: f64| format!("{} {}", n(x0 + fx * side), n(y0 + fy * side));
        s.push_str(&format!(
            "0 g 0 G {} w 1 J 1 j {} m {} l {} l S\n",
            n(side * 0.12),
            p(0.2, 0.52),
            p(0.42, 0.27),
            p(0.8, 0.75)
        ));
    }
    s
}

fn image(ctx: &mut Ctx<'_>, bytes: &[u8], w: f64, h: f64) -> Result<String> {
    let png = Png::decode(bytes)?;
    let r = ctx.sink.alloc();
    png.emit(ctx.sink, r);
    let name = fresh_name(ctx.existing_xobjects, &ctx.res.images, "SgnIm");
    ctx.res.images.push((name.clone(), r));
    let aspect = f64::from(png.width) / f64::from(png.height);
    let (dw, dh) = if w / h > aspect {
        (h * aspect, h)
    } else {
        (w, w / aspect)
    };
    Ok(format!(
        "q {} 0 0 {} {} {} cm /{name} Do Q\n",
        n(dw),
        n(dh),
        n((w - dw) / 2.0),
        n((h - dh) / 2.0)
    ))
}

fn font_name(ctx: &mut Ctx<'_>, face: Face) -> Result<String> {
    let (r, _) = ctx.fonts.get(face, ctx.sink)?;
    if let Some((name, _)) = ctx.res.fonts.iter().find(|(_, fr)| *fr == r) {
        return Ok(name.clone());
    }
    let name = fresh_name(ctx.existing_fonts, &ctx.res.fonts, "SgnF");
    ctx.res.fonts.push((name.clone(), r));
    Ok(name)
}

/// A typed signature: one line, as large as the box allows, vertically centred.
fn script(ctx: &mut Ctx<'_>, text: &str, face: ScriptFont, w: f64, h: f64) -> Result<String> {
    let name = font_name(ctx, Face::Script(face))?;
    let (_, font) = ctx.fonts.get(Face::Script(face), ctx.sink)?;
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let pad = (w * 0.03).min(4.0);
    let extent = font.ascent() - font.descent();
    let mut size = h * 0.9 / extent;
    let width = font.width(&line);
    if width * size > w - 2.0 * pad && width > 0.0 {
        size = (w - 2.0 * pad) / width;
    }
    let baseline = (h - extent * size) / 2.0 - font.descent() * size;
    let hex = font.encode(&line);
    Ok(format!(
        "0.05 0.1 0.35 rg BT /{name} {} Tf {} {} Td <{hex}> Tj ET\n",
        n(size),
        n(pad),
        n(baseline)
    ))
}

/// Plain text: wrapped to the box width from the top; a single line is centred vertically.
fn plain(ctx: &mut Ctx<'_>, text: &str, w: f64, h: f64) -> Result<String> {
    let name = font_name(ctx, Face::Sans)?;
    let (_, font) = ctx.fonts.get(Face::Sans, ctx.sink)?;
    let pad = (h * 0.1).clamp(0.5, 2.0);
    let extent = font.ascent() - font.descent();
    let size = ((h - 2.0 * pad) / extent).clamp(4.0, 11.0);
    let lines = wrap(font, size, text, w - 2.0 * pad);
    let leading = size * 1.2;
    let mut baseline = if lines.len() == 1 {
        (h - extent * size) / 2.0 - font.descent() * size
    } else {
        h - pad - font.ascent() * size
    };
    let mut s = format!("0 g BT /{name} {} Tf\n", n(size));
    for line in lines {
        if baseline + font.ascent() * size < 0.0 {
            break; // the rest would be clipped anyway
        }
        s.push_str(&format!(
            "1 0 0 1 {} {} Tm <{}> Tj\n",
            n(pad),
            n(baseline),
            font.encode(&line)
        ));
        baseline -= leading;
    }
    s.push_str("ET\n");
    Ok(s)
}
