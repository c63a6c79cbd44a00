//! Stiply's term codes (`1d`, `2w`, `3m`: a number of days, weeks or months) and the HTML
//! allow-list of its message, subject and comment texts.

use signet_core::usecase::term::TermLength;

use super::error::StiplyError;

/// Parses a term code.
pub(crate) fn parse_term(code: &str) -> Result<TermLength, StiplyError> {
    let code = code.trim();
    let wrong = || {
        StiplyError::wrong_parameter(format!(
            "term must be a number and a unit d, w or m, like 1d, 2w or 3m (got {code:?})"
        ))
    };
    let unit = code.chars().last().ok_or_else(wrong)?;
    let count: u32 = code[..code.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| wrong())?;
    if !(1..=99).contains(&count) {
        return Err(wrong());
    }
    match unit {
        'd' => Ok(TermLength::Days(count)),
        'w' => Ok(TermLength::Weeks(count)),
        'm' => Ok(TermLength::Months(count)),
        _ => Err(wrong()),
    }
}

const ALLOWED: &[&str] = &[
    "br", "b", "strong", "i", "em", "u", "a", "ul", "ol", "li", "p", "h1", "h2", "h3", "h4", "h5",
];

/// Keeps the allowed tags (without attributes, except a link's http(s) or mailto `href`) and
/// drops every other tag; text is kept as is.
pub(crate) fn allowed_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            // An unclosed `<` is text.
            out.push_str(&rest[start..].replace('<', "&lt;"));
            return out;
        };
        let tag = &rest[start + 1..start + len];
        rest = &rest[start + len + 1..];
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/').trim_end_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !ALLOWED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            out.push_str(&format!("</{name}>"));
        } else if name == "a" {
            match href(body) {
                Some(url) => out.push_str(&format!("<a href=\"{url}\">")),
                None => out.push_str("<a>"),
            }
        } else {
            out.push_str(&format!("<{name}>"));
        }
    }
    out.push_str(rest);
    out
}

fn href(tag: &str) -> Option<String> {
    let at = tag.to_ascii_lowercase().find("href=")?;
    let value = &tag[at + 5..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
    let url = match quote {
        Some(q) => value[1..].split(q).next()?,
        None => value.split_whitespace().next()?,
    };
    let lower = url.to_ascii_lowercase();
    let safe = ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
        && !url.contains(['"', '<', '>']);
    safe.then(|| url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_codes_are_a_count_and_a_unit() {
        assert_eq!(parse_term("1d").unwrap(), TermLength::Days(1));
        assert_eq!(parse_term("2w").unwrap(), TermLength::Weeks(2));
        assert_eq!(parse_term("3m").unwrap(), TermLength::Months(3));
        for bad in ["", "d", "0d", "1y", "100d", "-1d", "1 d"] {
            assert!(parse_term(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_the_allowed_tags_survive() {
        assert_eq!(
            allowed_html("Hi<br><b>there</b><script>x()</script><img src=x onerror=y>"),
            "Hi<br><b>there</b>x()"
        );
        assert_eq!(
            allowed_html("<a href=\"https://x.nl\" onclick=\"z\">l</a><a href=\"javascript:x\">"),
            "<a href=\"https://x.nl\">l</a><a>"
        );
        assert_eq!(
            allowed_html("<H1 class=x>T</H1> 1 < 2"),
            "<h1>T</h1> 1 &lt; 2"
        );
    }
}
