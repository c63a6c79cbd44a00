//! [`ReceivedMail`]: a message as the sink got it, with parsed access through mail-parser.

use mail_parser::{MessageParser, PartType};

/// A message as the sink received it: the SMTP envelope and the raw RFC 5322 bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The `MAIL FROM` address (without angle brackets; empty for the null sender).
    pub envelope_from: String,
    /// The `RCPT TO` addresses, in order.
    pub recipients: Vec<String>,
    /// The message after dot-unstuffing, line endings as sent.
    pub raw: Vec<u8>,
}

/// A name and address read from a header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailAddress {
    /// The display name, decoded (`None` when absent).
    pub name: Option<String>,
    /// The address.
    pub address: String,
}

impl ReceivedMail {
    /// The parsed message (`None` if mail-parser cannot make sense of it).
    pub fn parsed(&self) -> Option<mail_parser::Message<'_>> {
        MessageParser::default().parse(&self.raw)
    }

    /// The decoded `Subject`.
    pub fn subject(&self) -> Option<String> {
        self.parsed()?.subject().map(str::to_string)
    }

    /// The `Message-ID`, without angle brackets.
    pub fn message_id(&self) -> Option<String> {
        self.parsed()?.message_id().map(str::to_string)
    }

    /// The first `From` mailbox, with its decoded display name.
    pub fn from(&self) -> Option<MailAddress> {
        let parsed = self.parsed()?;
        parsed.from()?.first().and_then(to_mail_address)
    }

    /// Every `To` mailbox.
    pub fn to(&self) -> Vec<MailAddress> {
        let Some(parsed) = self.parsed() else {
            return Vec::new();
        };
        parsed
            .to()
            .map(|to| to.iter().filter_map(to_mail_address).collect())
            .unwrap_or_default()
    }

    /// The content of the first `text/plain` part (not converted from HTML).
    pub fn text_body(&self) -> Option<String> {
        self.parsed()?
            .parts
            .iter()
            .find_map(|part| match &part.body {
                PartType::Text(text) => Some(text.to_string()),
                _ => None,
            })
    }

    /// The content of the first `text/html` part (not converted from text).
    pub fn html_body(&self) -> Option<String> {
        self.parsed()?
            .parts
            .iter()
            .find_map(|part| match &part.body {
                PartType::Html(html) => Some(html.to_string()),
                _ => None,
            })
    }

    /// The raw (undecoded, unfolded as sent) value of the first header with this name,
    /// without surrounding whitespace.
    pub fn header(&self, name: &str) -> Option<String> {
        let parsed = self.parsed()?;
        parsed
            .header_raw(name)
            .map(|value| value.trim().to_string())
    }
}

fn to_mail_address(addr: &mail_parser::Addr<'_>) -> Option<MailAddress> {
    Some(MailAddress {
        name: addr.name().map(str::to_string),
        address: addr.address()?.to_string(),
    })
}
