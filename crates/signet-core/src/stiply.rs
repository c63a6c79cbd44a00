//! Field positions in the Stiply dialect's convention, turned into Signet's own.
//!
//! Stiply places a field by the top-left corner of its box, in "pixels relative to the manager
//! viewport", (0, 0) being the page's top-left corner, and documents the largest coordinates:
//! X 516 and Y 956 for signature fields, X 524 and Y 1060 for the other kinds. Signet reads each
//! maximum as the position at which a field of that kind touches the page's right or bottom
//! edge: `x` runs linearly from the left edge (0) to the page width minus the field's width
//! (the maximum), `y` from the top edge to the page height minus the field's height, on the
//! page as displayed (its /Rotate applied). A field so placed never crosses the page boundary,
//! whatever the page size. The result is a [`Rect`] in PDF points in the page's unrotated
//! default user space, as the native API takes.

use crate::CoreError;
use crate::model::{FieldKind, PageSize, Rect};

/// The Stiply dialect's name in dialect keys.
pub const STIPLY_DIALECT: &str = "stiply";

/// The largest `x` and `y` Stiply accepts for a field kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StiplyMaxima {
    /// Largest `x`.
    pub x: f32,
    /// Largest `y`.
    pub y: f32,
}

impl StiplyMaxima {
    /// The documented maxima for `kind`.
    pub fn of(kind: FieldKind) -> Self {
        match kind {
            FieldKind::Signature => Self { x: 516.0, y: 956.0 },
            _ => Self {
                x: 524.0,
                y: 1060.0,
            },
        }
    }
}

/// The box of a `kind` field of `size` (width, height in points, as displayed) whose top-left
/// corner is at Stiply's `(x, y)` on `page`.
pub fn from_stiply(
    page: PageSize,
    (x, y): (f32, f32),
    (width, height): (f32, f32),
    kind: FieldKind,
) -> Result<Rect, CoreError> {
    let max = StiplyMaxima::of(kind);
    if !(x.is_finite() && y.is_finite() && (0.0..=max.x).contains(&x) && (0.0..=max.y).contains(&y))
    {
        return Err(CoreError::invalid(
            "field_outside_page",
            format!(
                "x must be 0 to {} and y 0 to {} (got {x}, {y})",
                max.x, max.y
            ),
        ));
    }
    let quarter_turn = matches!(page.rotation, 90 | 270);
    let (shown_w, shown_h) = if quarter_turn {
        (page.height, page.width)
    } else {
        (page.width, page.height)
    };
    if !(width > 0.0 && height > 0.0 && width <= shown_w && height <= shown_h) {
        return Err(CoreError::invalid(
            "field_outside_page",
            format!("a {width} x {height} field does not fit a {shown_w} x {shown_h} page"),
        ));
    }
    let left = x / max.x * (shown_w - width);
    let top = y / max.y * (shown_h - height);
    // The box on the displayed page, bottom-left origin: [x0, x1] x [y0, y1].
    let (x0, x1, y0, y1) = (left, left + width, shown_h - top - height, shown_h - top);
    let (w, h) = (page.width, page.height);
    Ok(match page.rotation {
        90 => Rect {
            x: w - y1,
            y: x0,
            width: height,
            height: width,
        },
        180 => Rect {
            x: w - x1,
            y: h - y1,
            width,
            height,
        },
        270 => Rect {
            x: y0,
            y: h - x1,
            width: height,
            height: width,
        },
        _ => Rect {
            x: x0,
            y: y0,
            width,
            height,
        },
    })
}

/// The inverse of [`from_stiply`]: Stiply's `(x, y)` of the top-left corner of `rect` (a box
/// of a `kind` field on `page`, in PDF points in the page's unrotated default user space).
pub fn to_stiply(page: PageSize, rect: Rect, kind: FieldKind) -> (f32, f32) {
    let max = StiplyMaxima::of(kind);
    let (w, h) = (page.width, page.height);
    // The box on the displayed page: left, bottom, width, height.
    let (x0, y0, width, height, shown_w, shown_h) = match page.rotation {
        90 => (
            rect.y,
            w - rect.x - rect.width,
            rect.height,
            rect.width,
            h,
            w,
        ),
        180 => (
            w - rect.x - rect.width,
            h - rect.y - rect.height,
            rect.width,
            rect.height,
            w,
            h,
        ),
        270 => (
            h - rect.y - rect.height,
            rect.x,
            rect.height,
            rect.width,
            h,
            w,
        ),
        _ => (rect.x, rect.y, rect.width, rect.height, w, h),
    };
    let top = shown_h - y0 - height;
    let scale = |pos: f32, room: f32, max: f32| {
        if room > 0.0 {
            (pos / room * max).clamp(0.0, max)
        } else {
            0.0
        }
    };
    (
        scale(x0, shown_w - width, max.x),
        scale(top, shown_h - height, max.y),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const A4: (f32, f32) = (595.0, 842.0);

    fn page(rotation: u16) -> PageSize {
        PageSize {
            width: A4.0,
            height: A4.1,
            rotation,
        }
    }

    #[test]
    fn to_stiply_inverts_from_stiply_on_every_rotation() {
        for rotation in [0, 90, 180, 270] {
            for kind in [FieldKind::Signature, FieldKind::Text] {
                let rect =
                    from_stiply(page(rotation), (100.0, 200.0), (150.0, 50.0), kind).unwrap();
                let (x, y) = to_stiply(page(rotation), rect, kind);
                assert!(
                    (x - 100.0).abs() < 0.01 && (y - 200.0).abs() < 0.01,
                    "{rotation}: {x},{y}"
                );
            }
        }
    }

    #[test]
    fn the_origin_is_the_top_left_and_the_maxima_touch_the_far_edges() {
        let size = (150.0, 50.0);
        let top_left = from_stiply(page(0), (0.0, 0.0), size, FieldKind::Signature).unwrap();
        assert_eq!(
            top_left,
            Rect {
                x: 0.0,
                y: 792.0,
                width: 150.0,
                height: 50.0
            }
        );
        let far = from_stiply(page(0), (516.0, 956.0), size, FieldKind::Signature).unwrap();
        assert_eq!(
            far,
            Rect {
                x: 445.0,
                y: 0.0,
                width: 150.0,
                height: 50.0
            }
        );
        let text = from_stiply(page(0), (262.0, 530.0), (100.0, 20.0), FieldKind::Text).unwrap();
        assert_eq!(
            text,
            Rect {
                x: 247.5,
                y: 822.0 - 411.0,
                width: 100.0,
                height: 20.0
            }
        );
    }

    #[test]
    fn rotated_pages_are_placed_as_displayed() {
        let size = (150.0, 50.0);
        // Displayed top-left of a page turned clockwise is the unrotated bottom-left.
        let r90 = from_stiply(page(90), (0.0, 0.0), size, FieldKind::Signature).unwrap();
        assert_eq!(
            r90,
            Rect {
                x: 0.0,
                y: 0.0,
                width: 50.0,
                height: 150.0
            }
        );
        let r180 = from_stiply(page(180), (0.0, 0.0), size, FieldKind::Signature).unwrap();
        assert_eq!(
            r180,
            Rect {
                x: 445.0,
                y: 0.0,
                width: 150.0,
                height: 50.0
            }
        );
        let r270 = from_stiply(page(270), (0.0, 0.0), size, FieldKind::Signature).unwrap();
        assert_eq!(
            r270,
            Rect {
                x: 545.0,
                y: 692.0,
                width: 50.0,
                height: 150.0
            }
        );
    }

    #[test]
    fn out_of_range_coordinates_and_oversized_fields_are_refused() {
        let size = (150.0, 50.0);
        for (x, y) in [(-1.0, 0.0), (517.0, 0.0), (0.0, 957.0), (f32::NAN, 0.0)] {
            assert!(from_stiply(page(0), (x, y), size, FieldKind::Signature).is_err());
        }
        // Text fields go further.
        assert!(from_stiply(page(0), (524.0, 1060.0), (50.0, 10.0), FieldKind::Text).is_ok());
        assert!(from_stiply(page(0), (0.0, 0.0), (600.0, 10.0), FieldKind::Text).is_err());
    }
}
