//! The e-mails that report on an envelope without asking anything: to a copy recipient when it
//! goes out, and to the parties when it is completed, declined or expires.

use super::layout::Body;
use super::sanitize::plain;
use super::strings::{fill, strings};
use crate::model::{Envelope, Language};
use crate::port::{Attachment, Email, Mailbox};

/// Which report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The envelope was sent out (to a cc recipient).
    Sent,
    /// Everyone signed; the signed documents are attached, or (`download`) behind a link.
    Completed {
        /// The signed documents, attached.
        attachments: Vec<Attachment>,
        /// A link to the signed documents instead of attachments.
        download: Option<String>,
    },
    /// A signer declined.
    Declined {
        /// Who declined.
        signer_name: String,
        /// The reason they gave, if any.
        reason: Option<String>,
    },
    /// The term passed before everyone signed.
    Expired,
}

/// Who a notice goes to.
pub struct NoticeInput<'a> {
    /// The account's display name.
    pub account_name: &'a str,
    /// The envelope (title, message, expiry).
    pub envelope: &'a Envelope,
    /// The recipient.
    pub to: Mailbox,
    /// The recipient's language.
    pub language: Language,
    /// The stable `Message-ID`.
    pub message_id: String,
}

/// The notice in the recipient's language.
pub fn notice(input: NoticeInput<'_>, notice: Notice) -> Email {
    let s = strings(input.language);
    let title = plain(&input.envelope.title);
    let values = [("account", input.account_name), ("title", title.as_str())];
    let mut body = Body::default();
    let mut attachments = Vec::new();
    let subject = match notice {
        Notice::Sent => {
            body.para_with(&fill(s.body_cc_sent, &values), &title);
            if let Some(message) = input.envelope.message.as_deref() {
                body.message(&fill(s.message_from, &values), message);
            }
            fill(s.subject_cc_sent, &values)
        }
        Notice::Completed {
            attachments: files,
            download,
        } => {
            body.para_with(&fill(s.body_completed, &values), &title);
            match download {
                Some(url) => body.link(s.download, &url),
                None => body.para(s.attached),
            }
            attachments = files;
            fill(s.subject_completed, &values)
        }
        Notice::Declined {
            signer_name,
            reason,
        } => {
            let declined = fill(s.body_declined, &[("signer", &signer_name), values[1]]);
            body.para_with(&declined, &title);
            if let Some(reason) = reason.filter(|r| !r.trim().is_empty()) {
                body.para(&fill(s.decline_reason, &[("reason", &reason)]));
            }
            fill(s.subject_declined, &values)
        }
        Notice::Expired => {
            body.para_with(&fill(s.body_expired, &values), &title);
            fill(s.subject_expired, &values)
        }
    };
    let (text, html) = body.finish(
        &fill(s.greeting, &[("name", &input.to.name)]),
        &fill(s.footer, &values),
    );
    Email {
        message_id: input.message_id,
        from_name: input.account_name.to_string(),
        to: input.to,
        subject,
        text,
        html,
        attachments,
    }
}
