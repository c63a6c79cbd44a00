//! The little Markdown a statement label may use on the signing page: `**bold**`, `*italics*`
//! and line breaks. Everything is escaped first, so no markup of the sender's ever reaches the
//! page; markers are paired within a line (an unpaired one stays a literal `*`), so the tags
//! this adds are always balanced.

use signet_core::message::escape;

/// `label` as safe HTML.
pub(super) fn label_html(label: &str) -> String {
    label
        .lines()
        .map(|line| {
            emphasis(&escape(line), "**", "strong", |part| {
                emphasis(part, "*", "em", str::to_owned)
            })
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Wraps the text between pairs of `marker` in `<tag>`; a last, unpaired marker stays text.
/// `inner` renders each piece between markers on its own, so tags never interleave.
fn emphasis(line: &str, marker: &str, tag: &str, inner: impl Fn(&str) -> String) -> String {
    let parts: Vec<&str> = line.split(marker).collect();
    let paired = if parts.len() % 2 == 1 {
        parts.len()
    } else {
        parts.len() - 1
    };
    let mut out = String::with_capacity(line.len() + 16);
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            match (n < paired, n % 2 == 1) {
                (true, true) => out.push_str(&format!("<{tag}>")),
                (true, false) => out.push_str(&format!("</{tag}>")),
                (false, _) => out.push_str(marker),
            }
        }
        out.push_str(&inner(part));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::label_html;

    #[test]
    fn bold_italics_and_line_breaks_are_rendered() {
        assert_eq!(
            label_html("I have **read** the *general* terms\nand agree"),
            "I have <strong>read</strong> the <em>general</em> terms<br>and agree"
        );
        assert_eq!(label_html("**b *i* b**"), "<strong>b <em>i</em> b</strong>");
        // Markers that would interleave tags stay text instead.
        assert_eq!(label_html("***x***"), "<strong>*x</strong>*");
    }

    #[test]
    fn markup_of_the_sender_is_escaped() {
        assert_eq!(
            label_html("<script>alert(1)</script> & <b onclick=\"x\">"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b onclick=&quot;x&quot;&gt;"
        );
        assert_eq!(
            label_html("**<img src=x onerror=alert(1)>**"),
            "<strong>&lt;img src=x onerror=alert(1)&gt;</strong>"
        );
        assert_eq!(
            label_html("[terms](javascript:alert(1))"),
            "[terms](javascript:alert(1))"
        );
    }

    #[test]
    fn unpaired_markers_stay_text_and_never_span_lines() {
        assert_eq!(label_html("2 * 3 = 6"), "2 * 3 = 6");
        assert_eq!(label_html("**open\nclosed**"), "**open<br>closed**");
        assert_eq!(label_html("*a* and *b"), "<em>a</em> and *b");
        assert_eq!(label_html("a\r\nb"), "a<br>b");
    }
}
