//! Finding `{{name}}` tags in positioned glyphs and ordering them for reading.

use super::extract::PlacedGlyph;

/// A tag found on a page, in user-space coordinates (box `[x0 y0 x1 y1]`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FoundTag {
    pub name: String,
    pub bbox: [f64; 4],
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-')
}

/// Whether `b` continues the line of `a` (same baseline, close horizontally, same direction).
fn same_line(a: &PlacedGlyph, b: &PlacedGlyph) -> bool {
    let (dx, dy) = (a.end.0 - a.origin.0, a.end.1 - a.origin.1);
    let len = (dx * dx + dy * dy).sqrt();
    let (ux, uy) = if len > 1e-9 {
        (dx / len, dy / len)
    } else {
        (1.0, 0.0)
    };
    let size = a.size.max(b.size).max(1e-3);
    let (vx, vy) = (b.origin.0 - a.end.0, b.origin.1 - a.end.1);
    let along = vx * ux + vy * uy;
    let (wx, wy) = (b.origin.0 - a.origin.0, b.origin.1 - a.origin.1);
    let perp = (ux * wy - uy * wx).abs();
    perp <= 0.4 * size && along >= -0.6 * size && along <= 2.5 * size
}

/// Finds all tags in content order.
pub(crate) fn find_tags(glyphs: &[PlacedGlyph]) -> Vec<FoundTag> {
    // One char per entry, with the glyph it came from; line breaks are `None`.
    let mut chars: Vec<(char, Option<usize>)> = Vec::with_capacity(glyphs.len());
    for (i, g) in glyphs.iter().enumerate() {
        if let Some(prev) = i.checked_sub(1).and_then(|p| glyphs.get(p))
            && !same_line(prev, g)
        {
            chars.push(('\n', None));
        }
        for c in g.text.chars() {
            chars.push((c, Some(i)));
        }
    }
    let mut out = Vec::new();
    let mut i = 0usize;
    while i + 1 < chars.len() {
        if let Some((tag, end)) = tag_at(&chars, i, glyphs) {
            out.push(tag);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Recognises `{{name}}` starting at `start`; returns the tag and the index after it.
fn tag_at(
    chars: &[(char, Option<usize>)],
    start: usize,
    glyphs: &[PlacedGlyph],
) -> Option<(FoundTag, usize)> {
    let c = |k: usize| chars.get(k).map(|x| x.0);
    if c(start)? != '{' || c(start + 1)? != '{' {
        return None;
    }
    let mut k = start + 2;
    let mut name = String::new();
    while let Some(ch) = c(k) {
        if !is_name_char(ch) {
            break;
        }
        name.push(ch);
        k += 1;
    }
    if name.is_empty() || c(k)? != '}' || c(k + 1)? != '}' {
        return None;
    }
    let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for (_, gi) in chars.get(start..k + 2)? {
        let g = glyphs.get((*gi)?)?;
        bbox = [
            bbox[0].min(g.bbox[0]),
            bbox[1].min(g.bbox[1]),
            bbox[2].max(g.bbox[2]),
            bbox[3].max(g.bbox[3]),
        ];
    }
    Some((FoundTag { name, bbox }, k + 2))
}

/// Sorts tags of one page into reading order: top to bottom by line, then left to right.
pub(crate) fn reading_order(tags: &mut [FoundTag]) {
    tags.sort_by(|a, b| b.bbox[3].total_cmp(&a.bbox[3]));
    let mut start = 0;
    while start < tags.len() {
        let Some(first) = tags.get(start) else { break };
        let top = first.bbox[3];
        let tol = 0.5 * (first.bbox[3] - first.bbox[1]).abs().max(1.0);
        let end = tags
            .iter()
            .skip(start)
            .position(|t| (top - t.bbox[3]).abs() > tol)
            .map_or(tags.len(), |p| start + p);
        if let Some(line) = tags.get_mut(start..end) {
            line.sort_by(|a, b| a.bbox[0].total_cmp(&b.bbox[0]));
        }
        start = end.max(start + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(c: &str, x: f64, y: f64) -> PlacedGlyph {
        PlacedGlyph {
            text: c.into(),
            origin: (x, y),
            end: (x + 6.0, y),
            bbox: [x, y - 2.0, x + 6.0, y + 8.0],
            size: 10.0,
        }
    }

    fn line(s: &str, x: f64, y: f64) -> Vec<PlacedGlyph> {
        s.chars()
            .enumerate()
            .map(|(i, c)| glyph(&c.to_string(), x + 6.0 * i as f64, y))
            .collect()
    }

    #[test]
    fn finds_tags_with_boxes() {
        let g = line("Sign: {{signature_1}} ok", 100.0, 700.0);
        let tags = find_tags(&g);
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].name, "signature_1");
        assert_eq!(tags[0].bbox, [136.0, 698.0, 136.0 + 6.0 * 15.0, 708.0]);
    }

    #[test]
    fn tags_do_not_span_lines_or_bad_names() {
        let mut g = line("{{a", 100.0, 700.0);
        g.extend(line("}}", 100.0, 650.0));
        g.extend(line("{{b c}} {{}} {{x}}", 100.0, 600.0));
        let names: Vec<_> = find_tags(&g).into_iter().map(|t| t.name).collect();
        assert_eq!(names, vec!["x"]);
    }

    #[test]
    fn triple_braces_still_find_the_tag() {
        let names: Vec<_> = find_tags(&line("{{{x}}}", 0.0, 0.0))
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, vec!["x"]);
    }

    #[test]
    fn reading_order_is_top_down_left_right() {
        let t = |n: &str, x: f64, y: f64| FoundTag {
            name: n.into(),
            bbox: [x, y, x + 10.0, y + 10.0],
        };
        let mut tags = vec![
            t("c", 0.0, 100.0),
            t("b", 200.0, 500.5),
            t("a", 50.0, 500.0),
        ];
        reading_order(&mut tags);
        let names: Vec<_> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, vec!["a", "b", "c"]);
    }
}
