//! Page layout for reports: a cursor flowing blocks down A4 pages.

use crate::error::Result;
use crate::font::ScriptFont;
use crate::font::layout::wrap;
use crate::font::{Face, FontSet, ObjectSink};
use crate::syntax::ObjRef;
use crate::syntax::serialize::fmt_num;

pub(crate) const PAGE_W: f64 = 595.276;
pub(crate) const PAGE_H: f64 = 841.89;
pub(crate) const MARGIN_X: f64 = 56.0;
pub(crate) const MARGIN_TOP: f64 = 60.0;
/// Space kept free at the bottom for the footer.
pub(crate) const MARGIN_BOTTOM: f64 = 72.0;
pub(crate) const CONTENT_W: f64 = PAGE_W - 2.0 * MARGIN_X;

/// Text style.
#[derive(Clone, Copy)]
pub(crate) struct Style {
    pub face: Face,
    pub size: f64,
    pub gray: f64,
}

impl Style {
    pub(crate) fn leading(&self) -> f64 {
        self.size * 1.35
    }
}

/// One laid-out page: its content stream and the images it draws.
#[derive(Default)]
pub(crate) struct PageOut {
    pub content: String,
    pub images: Vec<(String, ObjRef)>,
}

/// The flowing layout state.
pub(crate) struct Layout<'s> {
    pub fonts: FontSet,
    pub sink: &'s mut dyn ObjectSink,
    pub pages: Vec<PageOut>,
    /// The page drawing goes to.
    pub current: usize,
    /// Distance from the top of the page to the next line's top.
    pub y: f64,
}

pub(crate) fn n(v: f64) -> String {
    fmt_num(v)
}

impl<'s> Layout<'s> {
    pub(crate) fn new(sink: &'s mut dyn ObjectSink) -> Self {
        Layout {
            fonts: FontSet::default(),
            sink,
            pages: vec![PageOut::default()],
            current: 0,
            y: MARGIN_TOP,
        }
    }

    pub(crate) fn remaining(&self) -> f64 {
        PAGE_H - MARGIN_BOTTOM - self.y
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(PageOut::default());
        self.current = self.pages.len() - 1;
        self.y = MARGIN_TOP;
    }

    /// Starts a new page unless `needed` points still fit.
    pub(crate) fn ensure(&mut self, needed: f64) {
        if needed > self.remaining() && self.y > MARGIN_TOP + 0.5 {
            self.new_page();
        }
    }

    pub(crate) fn page(&mut self) -> &mut PageOut {
        if self.current >= self.pages.len() {
            self.pages.resize_with(self.current + 1, PageOut::default);
        }
        &mut self.pages[self.current]
    }

    /// Font resource name for a face (fonts are shared by all pages).
    pub(crate) fn font_name(face: Face) -> &'static str {
        match face {
            Face::Sans => "F1",
            Face::SansBold => "F2",
            Face::Script(ScriptFont::DancingScript) => "F3",
            Face::Script(ScriptFont::GreatVibes) => "F4",
            Face::Script(ScriptFont::Caveat) => "F5",
        }
    }

    /// Wraps text to `width` in `style`.
    pub(crate) fn lines(&mut self, style: Style, text: &str, width: f64) -> Result<Vec<String>> {
        let (_, font) = self.fonts.get(style.face, self.sink)?;
        Ok(wrap(font, style.size, text, width))
    }

    pub(crate) fn ascent(&mut self, style: Style) -> Result<f64> {
        let (_, font) = self.fonts.get(style.face, self.sink)?;
        Ok(font.ascent() * style.size)
    }

    pub(crate) fn text_width(&mut self, style: Style, text: &str) -> Result<f64> {
        let (_, font) = self.fonts.get(style.face, self.sink)?;
        Ok(font.width(text) * style.size)
    }

    /// Draws one line with its top at `top` (distance from the page top).
    pub(crate) fn draw_line(&mut self, style: Style, x: f64, top: f64, text: &str) -> Result<()> {
        let ascent = self.ascent(style)?;
        let (_, font) = self.fonts.get(style.face, self.sink)?;
        let hex = font.encode(text);
        let baseline = PAGE_H - top - ascent;
        let name = Self::font_name(style.face);
        let op = format!(
            "{} g BT /{name} {} Tf {} {} Td <{hex}> Tj ET\n",
            n(style.gray),
            n(style.size),
            n(x),
            n(baseline)
        );
        self.page().content.push_str(&op);
        Ok(())
    }

    /// Flows wrapped text at the cursor across pages.
    pub(crate) fn paragraph(&mut self, style: Style, text: &str, space_after: f64) -> Result<()> {
        for line in self.lines(style, text, CONTENT_W)? {
            self.ensure(style.leading());
            let top = self.y;
            self.draw_line(style, MARGIN_X, top, &line)?;
            self.y += style.leading();
        }
        self.y += space_after;
        Ok(())
    }

    /// A filled rectangle given by its top-left corner (page-top distances).
    pub(crate) fn fill_rect(&mut self, gray: f64, x: f64, top: f64, w: f64, h: f64) {
        let op = format!(
            "{} g {} {} {} {} re f\n",
            n(gray),
            n(x),
            n(PAGE_H - top - h),
            n(w),
            n(h)
        );
        self.page().content.push_str(&op);
    }

    /// A horizontal rule.
    pub(crate) fn hline(&mut self, gray: f64, x: f64, top: f64, w: f64) {
        let y = PAGE_H - top;
        let op = format!(
            "{} G 0.5 w {} {} m {} {} l S\n",
            n(gray),
            n(x),
            n(y),
            n(x + w),
            n(y)
        );
        self.page().content.push_str(&op);
    }
}
