//! Line breaking: by words, and by characters for words longer than a line (hashes, user agents).

use super::Font;

/// Breaks `text` into lines at most `max_width` points wide at `size`. Explicit newlines are
/// kept; runs of spaces collapse to one.
pub(crate) fn wrap(font: &Font, size: f64, text: &str, max_width: f64) -> Vec<String> {
    let max = max_width.max(size); // always room for at least one glyph
    let space = font.width(" ") * size;
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in paragraph.split_whitespace() {
            let w = font.width(word) * size;
            let extra = if line.is_empty() { 0.0 } else { space };
            if line_w + extra + w <= max {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += extra + w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            if w <= max {
                line.push_str(word);
                line_w = w;
            } else {
                let mut pieces = break_word(font, size, word, max);
                if let Some(last) = pieces.pop() {
                    lines.extend(pieces);
                    line_w = font.width(&last) * size;
                    line = last;
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Splits one long word into pieces that each fit `max`.
fn break_word(font: &Font, size: f64, word: &str, max: f64) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0.0;
    for c in word.chars() {
        let cw = font.width(c.encode_utf8(&mut [0; 4])) * size;
        if cur_w + cw > max && !cur.is_empty() {
            pieces.push(std::mem::take(&mut cur));
            cur_w = 0.0;
        }
        cur.push(c);
        cur_w += cw;
    }
    if !cur.is_empty() {
        pieces.push(cur);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::Face;

    #[test]
    fn words_wrap_and_long_tokens_break_by_character() {
        let f = Font::new(Face::Sans).unwrap();
        let lines = wrap(
            &f,
            10.0,
            "the quick brown fox jumps over the lazy dog",
            80.0,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| f.width(l) * 10.0 <= 80.0));
        let hash = "a".repeat(64) + "b".repeat(64).as_str();
        let lines = wrap(&f, 10.0, &format!("sha256: {hash}"), 100.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| f.width(l) * 10.0 <= 100.0));
        assert_eq!(lines.concat().replace(' ', "").len(), "sha256:".len() + 128);
    }

    #[test]
    fn newlines_are_kept() {
        let f = Font::new(Face::Sans).unwrap();
        assert_eq!(wrap(&f, 10.0, "a\nb", 500.0), vec!["a", "b"]);
        assert_eq!(wrap(&f, 10.0, "", 500.0), vec![""]);
    }
}
