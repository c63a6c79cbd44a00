//! Turns the core's [`Email`] into the RFC 5322 message both mailers send or store, so the
//! `.eml` outbox holds exactly what SMTP would have carried.

use std::time::SystemTime;

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use signet_core::port::{DeliveryError, Email};

use crate::error::MailerError;

/// Parses the configured sender address.
pub(crate) fn parse_from(from: &str) -> Result<lettre::Address, MailerError> {
    from.trim().parse().map_err(
        |err: lettre::address::AddressError| MailerError::InvalidFrom {
            address: from.to_string(),
            reason: err.to_string(),
        },
    )
}

/// Builds the message: `From: "<from_name>" <from>`, `To`, `Subject`, `Message-ID: <id>`,
/// `Date`, and a multipart/alternative body (text and HTML), inside a multipart/mixed one with
/// the attachments when there are any. A malformed recipient, id or attachment type is a
/// permanent failure.
pub(crate) fn build(from: &lettre::Address, email: &Email) -> Result<Message, DeliveryError> {
    check_message_id(&email.message_id)?;
    let to_address: lettre::Address = email.to.address.trim().parse().map_err(|err| {
        DeliveryError::Permanent(format!(
            "invalid recipient address {:?}: {err}",
            email.to.address
        ))
    })?;
    Message::builder()
        .from(Mailbox::new(display_name(&email.from_name), from.clone()))
        .to(Mailbox::new(display_name(&email.to.name), to_address))
        .subject(header_text(&email.subject))
        .message_id(Some(format!("<{}>", email.message_id)))
        .date(SystemTime::now())
        .multipart(body(email)?)
        .map_err(|err| DeliveryError::Permanent(format!("cannot build the message: {err}")))
}

fn body(email: &Email) -> Result<MultiPart, DeliveryError> {
    let alternative = MultiPart::alternative_plain_html(email.text.clone(), email.html.clone());
    if email.attachments.is_empty() {
        return Ok(alternative);
    }
    let mut mixed = MultiPart::mixed().multipart(alternative);
    for file in &email.attachments {
        let content_type = ContentType::parse(&file.content_type).map_err(|err| {
            DeliveryError::Permanent(format!(
                "invalid attachment type {:?}: {err}",
                file.content_type
            ))
        })?;
        let name = header_text(&file.filename);
        mixed = mixed.singlepart(Attachment::new(name).body(file.data.clone(), content_type));
    }
    Ok(mixed)
}

fn display_name(name: &str) -> Option<String> {
    let name = header_text(name);
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// Header text with control characters (CR, LF, TAB, …) replaced by spaces: a line break
/// could inject a header, and lettre panics while encoding some of them.
fn header_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A `Message-ID` is `left@right` in printable ASCII without spaces or angle brackets; anything
/// else could break the header (or inject one).
fn check_message_id(id: &str) -> Result<(), DeliveryError> {
    let valid = !id.is_empty()
        && id.len() <= 250
        && id.contains('@')
        && id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>');
    if valid {
        Ok(())
    } else {
        Err(DeliveryError::Permanent(format!(
            "invalid Message-ID {id:?}"
        )))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use signet_core::port::Mailbox as CoreMailbox;

    use super::*;

    /// An e-mail with non-ASCII text in every place that can carry it.
    pub(crate) fn sample_email() -> Email {
        Email {
            message_id: "invite.0191b2c3.1@signet.test".into(),
            from_name: "Zoë Müller via Signet".into(),
            to: CoreMailbox {
                name: "Łukasz Żółw".into(),
                address: "lukasz@example.test".into(),
            },
            subject: "Bitte unterschreiben: Vertrag „Größe“ ✍".into(),
            text: "Hallo Łukasz,\nbitte unterschreiben.\n.\nEine Zeile mit Punkt.".into(),
            html: "<p>Hallo Łukasz, <a href=\"https://signet.test/s/abc\">unterschreiben</a></p>"
                .into(),
            attachments: Vec::new(),
        }
    }

    #[test]
    fn attachments_go_in_a_mixed_message_after_both_parts() {
        let from = parse_from("signet@example.test").unwrap();
        let mut email = sample_email();
        let pdf = b"%PDF-1.7\n\x00\xff binary".to_vec();
        email.attachments.push(signet_core::port::Attachment {
            filename: "Vertrag-signed.pdf".into(),
            content_type: "application/pdf".into(),
            data: pdf.clone(),
        });
        let raw = build(&from, &email).unwrap().formatted();
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert_eq!(parsed.attachment_count(), 1);
        let attached = parsed.attachment(0).unwrap();
        use mail_parser::MimeHeaders;
        assert_eq!(attached.attachment_name(), Some("Vertrag-signed.pdf"));
        assert_eq!(attached.contents(), &pdf[..]);
        assert!(
            parsed
                .body_text(0)
                .unwrap()
                .contains("bitte unterschreiben")
        );
        assert!(parsed.body_html(0).unwrap().contains("unterschreiben</a>"));
    }

    #[test]
    fn a_message_id_with_brackets_spaces_or_newlines_is_refused() {
        for id in ["", "no-at-sign", "a b@c", "<a@b>", "a@b\r\nBcc: x@y", "ä@b"] {
            assert!(check_message_id(id).is_err(), "{id:?}");
        }
        assert!(check_message_id("invite.1.2@signet.example").is_ok());
    }

    #[test]
    fn a_bad_recipient_is_a_permanent_failure() {
        let from = parse_from("signet@example.test").unwrap();
        let mut email = sample_email();
        email.to.address = "not an address".into();
        assert!(matches!(
            build(&from, &email),
            Err(DeliveryError::Permanent(_))
        ));
    }

    #[test]
    fn header_injection_through_the_subject_is_neutralised() {
        let from = parse_from("signet@example.test").unwrap();
        let mut email = sample_email();
        email.subject = "Hi\r\nBcc: evil@attacker.test".into();
        email.from_name = "Ann\r\nX-Evil: 1".into();
        let raw = build(&from, &email).unwrap().formatted();
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert_eq!(parsed.subject(), Some("Hi  Bcc: evil@attacker.test"));
        assert!(parsed.header("Bcc").is_none());
        assert!(parsed.header("X-Evil").is_none());
        assert_eq!(
            parsed.from().unwrap().first().unwrap().name(),
            Some("Ann  X-Evil: 1")
        );
    }

    #[test]
    fn the_sender_address_is_validated() {
        assert!(matches!(
            parse_from("nope"),
            Err(MailerError::InvalidFrom { .. })
        ));
    }
}
