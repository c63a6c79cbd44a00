//! The subject/message HTML allow-list (Stiply's: `br b strong i em u a ul ol li p h1`–`h5`,
//! `a` with an `http`, `https` or `mailto` `href` only). [`html`] keeps those tags without any
//! other attribute and escapes or drops everything else; [`plain`] renders the same input as
//! text for the plain-text part.

use super::layout::escape;

/// Tags kept by [`html`].
const ALLOWED: [&str; 16] = [
    "br", "b", "strong", "i", "em", "u", "a", "ul", "ol", "li", "p", "h1", "h2", "h3", "h4", "h5",
];
/// Elements whose content is dropped with them, not shown as text.
const DROPPED_WITH_CONTENT: [&str; 4] = ["script", "style", "iframe", "textarea"];

/// A piece of the input.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    /// Text between tags (raw, entities not decoded).
    Text(&'a str),
    /// An opening (or self-closing) tag: lower-case name and its attribute text.
    Open(String, &'a str),
    /// A closing tag's lower-case name.
    Close(String),
}

fn allowed(name: &str) -> bool {
    ALLOWED.contains(&name)
}

/// Splits `input` into text and tags. A `<` that does not start a tag is text; comments and
/// declarations (`<!…>`, `<?…>`) are dropped; an unterminated tag is text.
fn tokens(input: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = input;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        if !starts_tag {
            out.push(Token::Text(&rest[..=start]));
            rest = after;
            continue;
        }
        if start > 0 {
            out.push(Token::Text(&rest[..start]));
        }
        if after.starts_with("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(end) = after.find('>') else {
            out.push(Token::Text(&rest[start..]));
            return out;
        };
        let tag = &after[..end];
        rest = &after[end + 1..];
        if tag.starts_with(['!', '?']) {
            continue;
        }
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name_len = body
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len());
        let name = body[..name_len].to_ascii_lowercase();
        if closing {
            out.push(Token::Close(name));
        } else {
            out.push(Token::Open(name, body[name_len..].trim_end_matches('/')));
        }
    }
    if !rest.is_empty() {
        out.push(Token::Text(rest));
    }
    out
}

/// Text with `&`, `<`, `>`, quotes escaped, keeping well-formed character references.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&escape(&rest[..at]));
        let reference = entity_len(&rest[at..]);
        match reference {
            Some(len) => out.push_str(&rest[at..at + len]),
            None => out.push_str("&amp;"),
        }
        rest = &rest[at + reference.unwrap_or(1)..];
    }
    out.push_str(&escape(rest));
    out
}

/// The length of a character reference (`&amp;`, `&#39;`, `&#x27;`) at the start of `text`.
fn entity_len(text: &str) -> Option<usize> {
    let end = text.find(';')?;
    let inner = &text[1..end];
    let valid = if let Some(hex) = inner.strip_prefix("#x").or(inner.strip_prefix("#X")) {
        !hex.is_empty() && hex.len() <= 6 && hex.chars().all(|c| c.is_ascii_hexdigit())
    } else if let Some(dec) = inner.strip_prefix('#') {
        !dec.is_empty() && dec.len() <= 7 && dec.chars().all(|c| c.is_ascii_digit())
    } else {
        !inner.is_empty() && inner.len() <= 10 && inner.chars().all(|c| c.is_ascii_alphanumeric())
    };
    valid.then_some(end + 1)
}

/// The `href` of an `a` tag's attribute text when it is an `http`, `https` or `mailto` URL.
fn href(attributes: &str) -> Option<String> {
    let lower = attributes.to_ascii_lowercase();
    let at = lower.match_indices("href").find_map(|(i, _)| {
        let before = lower[..i].chars().last();
        let after = lower[i + 4..].trim_start();
        (before.is_none_or(char::is_whitespace) && after.starts_with('='))
            .then(|| attributes.len() - after.len() + 1)
    })?;
    let value = attributes[at..].trim_start();
    let raw = match value.chars().next() {
        Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
        _ => value.split(char::is_whitespace).next().unwrap_or(""),
    };
    let url = raw.trim().replace("&amp;", "&");
    let scheme_ok = ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| url.len() >= s.len() && url[..s.len()].eq_ignore_ascii_case(s));
    let clean = !url.chars().any(|c| c.is_control() || c == '"' || c == '<');
    (scheme_ok && clean).then_some(url)
}

/// `input` as HTML that holds only the allow-listed tags (no attributes but an `a`'s safe
/// `href`); other tags are removed (script and style with their content), text is escaped, and
/// tags left open are closed at the end.
pub fn html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut open: Vec<String> = Vec::new();
    let mut skipping: Option<String> = None;
    for token in tokens(input) {
        if let Some(until) = &skipping {
            if token == Token::Close(until.clone()) {
                skipping = None;
            }
            continue;
        }
        match token {
            Token::Text(text) => out.push_str(&escape_text(text)),
            Token::Open(name, _) if DROPPED_WITH_CONTENT.contains(&name.as_str()) => {
                skipping = Some(name);
            }
            Token::Open(name, _) if name == "br" => out.push_str("<br>"),
            Token::Open(name, attributes) if allowed(&name) => {
                match (name.as_str(), href(attributes)) {
                    ("a", Some(url)) => out.push_str(&format!("<a href=\"{}\">", escape(&url))),
                    _ => out.push_str(&format!("<{name}>")),
                }
                open.push(name);
            }
            Token::Close(name) if allowed(&name) => {
                if let Some(at) = open.iter().rposition(|n| *n == name) {
                    for inner in open.drain(at..).rev() {
                        out.push_str(&format!("</{inner}>"));
                    }
                }
            }
            Token::Open(..) | Token::Close(_) => {}
        }
    }
    for name in open.into_iter().rev() {
        out.push_str(&format!("</{name}>"));
    }
    out
}

/// `input` rendered as plain text: tags removed (line breaks for `br`, paragraphs, headings
/// and list items; a link's URL after its text), character references decoded.
pub fn plain(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut links: Vec<Option<String>> = Vec::new();
    let mut skipping: Option<String> = None;
    for token in tokens(input) {
        if let Some(until) = &skipping {
            if token == Token::Close(until.clone()) {
                skipping = None;
            }
            continue;
        }
        match token {
            Token::Text(text) => out.push_str(&decode(text)),
            Token::Open(name, _) if DROPPED_WITH_CONTENT.contains(&name.as_str()) => {
                skipping = Some(name);
            }
            Token::Open(name, attributes) => match name.as_str() {
                "br" => out.push('\n'),
                "li" => out.push_str(if out.ends_with('\n') || out.is_empty() {
                    "- "
                } else {
                    "\n- "
                }),
                "a" => links.push(href(attributes)),
                "p" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" => block_break(&mut out),
                _ => {}
            },
            Token::Close(name) => match name.as_str() {
                "a" => {
                    if let Some(Some(url)) = links.pop() {
                        out.push_str(&format!(" ({url})"));
                    }
                }
                "p" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" => block_break(&mut out),
                _ => {}
            },
        }
    }
    out.trim().to_string()
}

fn block_break(out: &mut String) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
}

/// Decodes the common named and the numeric character references.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let Some(len) = entity_len(&rest[at..]) else {
            out.push('&');
            rest = &rest[at + 1..];
            continue;
        };
        let inner = &rest[at + 1..at + len - 1];
        let decoded = match inner {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => inner.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
                    .filter(|c| !c.is_control() || *c == '\n')
            }),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&rest[at..at + len]),
        }
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_tags_stay_without_their_attributes() {
        assert_eq!(
            html("<P class=\"x\" style=\"color:red\">Hi<BR/><b>bold</b> <strong>s</strong></P>"),
            "<p>Hi<br><b>bold</b> <strong>s</strong></p>"
        );
        assert_eq!(
            html(
                "<h1>T</h1><h5>t</h5><ul><li>a</li></ul><ol><li>b</li></ol><i>i</i><em>e</em><u>u</u>"
            ),
            "<h1>T</h1><h5>t</h5><ul><li>a</li></ul><ol><li>b</li></ol><i>i</i><em>e</em><u>u</u>"
        );
    }

    #[test]
    fn scripts_styles_and_unknown_tags_are_removed() {
        assert_eq!(
            html("a<script>alert(1)</script>b<style>p{}</style><img src=x onerror=alert(1)>c"),
            "abc"
        );
        assert_eq!(html("<div><span>x</span></div><!-- hidden -->"), "x");
        assert_eq!(html("<svg/onload=alert(1)>y"), "y");
    }

    #[test]
    fn only_http_https_and_mailto_links_keep_their_href() {
        assert_eq!(
            html("<a href=\"https://x.nl/?a=1&amp;b=2\" onclick=\"z()\">l</a>"),
            "<a href=\"https://x.nl/?a=1&amp;b=2\">l</a>"
        );
        assert_eq!(
            html("<a href='mailto:a@b.nl'>m</a>"),
            "<a href=\"mailto:a@b.nl\">m</a>"
        );
        for hostile in [
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"java&#115;cript:alert(1)\">x</a>",
            "<a href=\"data:text/html,<script>\">x</a>",
            "<a data-href=\"https://x.nl\">x</a>",
        ] {
            let out = html(hostile);
            assert!(!out.contains("href"), "{hostile} gave {out}");
        }
        assert_eq!(
            html("<a href=https://x.nl title=t>x</a>"),
            "<a href=\"https://x.nl\">x</a>"
        );
    }

    #[test]
    fn text_is_escaped_and_unclosed_tags_are_closed() {
        assert_eq!(
            html("1 < 2 & 3 > 2 \"q\""),
            "1 &lt; 2 &amp; 3 &gt; 2 &quot;q&quot;"
        );
        assert_eq!(html("&amp; &#39; &bogus"), "&amp; &#39; &amp;bogus");
        assert_eq!(html("<b><i>open"), "<b><i>open</i></b>");
        assert_eq!(html("<b>x</i></b></p>"), "<b>x</b>");
        assert_eq!(html("x <b onclick=\"y\""), "x &lt;b onclick=&quot;y&quot;");
        assert_eq!(html("<script>never closed"), "");
    }

    #[test]
    fn the_plain_rendering_keeps_text_breaks_and_link_targets() {
        assert_eq!(
            plain(
                "<p>Hi &amp; welcome</p><p>Line<br>two <a href=\"https://x.nl\">here</a></p><ul><li>a</li><li>b</li></ul>"
            ),
            "Hi & welcome\n\nLine\ntwo here (https://x.nl)\n\n- a\n- b"
        );
        assert_eq!(plain("<script>alert(1)</script>1 &lt; 2"), "1 < 2");
        assert_eq!(plain("<a href=\"javascript:x\">no</a>"), "no");
    }
}
