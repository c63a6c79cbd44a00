//! The e-mails that carry a signing link: the invitation, its reminder, "your turn" in a
//! sequential order, and the notices that an envelope was reopened or given more time.

use super::layout::Body;
use super::strings::{Strings, fill, strings};
use crate::locale::long_date;
use crate::model::{Envelope, Signer, SignerRole};
use crate::port::{Email, Mailbox};

/// Which mail with a signing link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkMail {
    /// The first invitation.
    Invitation,
    /// A reminder of it.
    Reminder,
    /// The invitation of a signer whose turn came after others signed (sequential order).
    YourTurn,
    /// The envelope was reactivated after it was declined or expired.
    Reactivated,
    /// The signing term was extended.
    TermExtended,
}

/// What a mail with a signing link is about.
pub struct LinkMailInput<'a> {
    /// The account's display name.
    pub account_name: &'a str,
    /// The envelope (title, message, expiry).
    pub envelope: &'a Envelope,
    /// The recipient (name, address, language, role, own message).
    pub signer: &'a Signer,
    /// The signing link.
    pub url: &'a str,
    /// The stable `Message-ID`.
    pub message_id: String,
}

fn subject(s: &Strings, kind: LinkMail, approves: bool, values: &[(&str, &str)]) -> String {
    let invite = fill(
        if approves {
            s.subject_approve
        } else {
            s.subject_sign
        },
        values,
    );
    match kind {
        LinkMail::Invitation => invite,
        LinkMail::Reminder => format!("{}{invite}", s.reminder_prefix),
        LinkMail::YourTurn => fill(s.subject_your_turn, values),
        LinkMail::Reactivated => fill(s.subject_reactivated, values),
        LinkMail::TermExtended => fill(s.subject_extended, values),
    }
}

/// The mail `kind` for `input.signer`, in the signer's language.
pub fn link_mail(input: LinkMailInput<'_>, kind: LinkMail) -> Email {
    let LinkMailInput {
        account_name,
        envelope,
        signer,
        url,
        message_id,
    } = input;
    let s = strings(signer.language);
    let title = &super::sanitize::plain(&envelope.title);
    let values = [("account", account_name), ("title", title.as_str())];
    let approves = signer.role == SignerRole::Approver;
    let date = envelope
        .expires_at
        .map(|at| long_date(at, signer.language))
        .unwrap_or_default();
    let subject = subject(s, kind, approves, &values);
    let mut body = Body::default();
    match kind {
        LinkMail::YourTurn => body.para(s.your_turn),
        LinkMail::Reactivated => body.para_with(&fill(s.body_reactivated, &values), title),
        LinkMail::TermExtended => {
            let extended = fill(s.body_extended, &[values[0], values[1], ("date", &date)]);
            body.para_with(&extended, title);
        }
        LinkMail::Invitation | LinkMail::Reminder => {}
    }
    let ask = fill(
        if approves {
            s.body_approve
        } else {
            s.body_sign
        },
        &values,
    );
    body.para_with(&ask, title);
    let intro = fill(s.message_from, &values);
    // A recipient's own message overrules the envelope's (as Stiply's per-signer message does).
    if let Some(message) = signer.message.as_deref().or(envelope.message.as_deref()) {
        body.message(&intro, message);
    }
    if envelope.expires_at.is_some() && kind != LinkMail::TermExtended {
        body.para(&fill(s.respond_before, &[("date", &date)]));
    }
    body.link(s.open_document, url);
    body.note(s.personal_link);
    let (text, html) = body.finish(
        &fill(s.greeting, &[("name", &signer.name)]),
        &fill(s.footer, &values),
    );
    Email {
        message_id,
        from_name: account_name.to_string(),
        to: Mailbox {
            name: signer.name.clone(),
            address: signer.email.clone(),
        },
        subject,
        text,
        html,
        attachments: Vec::new(),
    }
}
