//! The frame every e-mail shares: a text part and an HTML part built side by side, so the two
//! always say the same.

/// HTML-escapes text for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// An e-mail body under construction: each call adds to both parts.
#[derive(Default)]
pub(crate) struct Body {
    text: String,
    html: String,
}

impl Body {
    /// A paragraph of plain text (escaped in the HTML part).
    pub(crate) fn para(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push_str("\n\n");
        self.html.push_str(&format!("<p>{}</p>", escape(text)));
    }

    /// A paragraph of text with `strong` (escaped) inside: `before`, `strong`, `after`.
    pub(crate) fn para_with(&mut self, text: &str, strong: &str) {
        self.text.push_str(text);
        self.text.push_str("\n\n");
        let html = match text.split_once(strong).filter(|_| !strong.is_empty()) {
            Some((before, after)) => format!(
                "{}<strong>{}</strong>{}",
                escape(before),
                escape(strong),
                escape(after)
            ),
            None => escape(text),
        };
        self.html.push_str(&format!("<p>{html}</p>"));
    }

    /// A sender's message, given in the allow-listed HTML: sanitised in the HTML part, plain in
    /// the text part, under `intro`.
    pub(crate) fn message(&mut self, intro: &str, message: &str) {
        let plain = super::sanitize::plain(message);
        if plain.is_empty() {
            return;
        }
        self.text.push_str(&format!("{intro}\n{plain}\n\n"));
        self.html.push_str(&format!(
            "<p>{}</p><div style=\"border-left:3px solid #ccc;padding-left:12px\">{}</div>",
            escape(intro),
            super::sanitize::html(message)
        ));
    }

    /// A link (the URL on a line of its own in the text part).
    pub(crate) fn link(&mut self, label: &str, url: &str) {
        self.text.push_str(&format!("{label}:\n{url}\n\n"));
        self.html.push_str(&format!(
            "<p><a href=\"{}\" style=\"display:inline-block;padding:10px 18px;background:#1d4ed8;\
             color:#fff;text-decoration:none;border-radius:4px\">{}</a></p>",
            escape(url),
            escape(label)
        ));
    }

    /// A muted remark.
    pub(crate) fn note(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push_str("\n\n");
        self.html
            .push_str(&format!("<p style=\"color:#666\">{}</p>", escape(text)));
    }

    /// The finished text and HTML parts, with `greeting` first and `footer` last.
    pub(crate) fn finish(self, greeting: &str, footer: &str) -> (String, String) {
        let text = format!("{greeting}\n\n{}-- \n{footer}\n", self.text);
        let html = format!(
            "<!doctype html><html><body style=\"font-family:sans-serif;max-width:640px\">\
             <p>{}</p>{}<hr style=\"border:0;border-top:1px solid #ddd\">\
             <p style=\"color:#666;font-size:small\">{}</p></body></html>",
            escape(greeting),
            self.html,
            escape(footer)
        );
        (text, html)
    }
}
