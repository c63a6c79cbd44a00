//! The e-mails Signet sends, as plain text and HTML (every interpolated value is escaped).

use crate::model::{Envelope, Signer};
use crate::port::{Email, Mailbox};

/// The invitation to sign, or (`reminder`) a reminder of it.
pub fn invitation(
    account_name: &str,
    envelope: &Envelope,
    signer: &Signer,
    url: &str,
    message_id: String,
    reminder: bool,
) -> Email {
    let reminded = if reminder { "Reminder: " } else { "" };
    let subject = format!(
        "{reminded}{account_name} asks you to sign: {}",
        envelope.title
    );
    let message = envelope.message.as_deref().unwrap_or("");
    let action = if signer.role == crate::model::SignerRole::Approver {
        "review and approve"
    } else {
        "review and sign"
    };
    let message_text = if message.is_empty() {
        String::new()
    } else {
        format!("{message}\n\n")
    };
    let text = format!(
        "Hello {name},\n\n{account_name} asks you to {action} \"{title}\".\n\n{message_text}Open the document:\n{url}\n\n\
         This link is personal: do not forward it.\n",
        name = signer.name,
        title = envelope.title,
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\"><p>Hello {name},</p>\
         <p>{account} asks you to {action} <strong>{title}</strong>.</p><p>{message}</p>\
         <p><a href=\"{url}\">Open the document</a></p>\
         <p style=\"color:#666\">This link is personal: do not forward it.</p></body></html>",
        name = escape(&signer.name),
        account = escape(account_name),
        title = escape(&envelope.title),
        message = escape(message).replace('\n', "<br>"),
        url = escape(url),
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
    }
}

/// The link to set a new password. `valid_minutes` is how long the link works.
pub fn password_reset(
    account_name: &str,
    to: Mailbox,
    url: &str,
    valid_minutes: i64,
    message_id: String,
) -> Email {
    let text = format!(
        "Hello {name},\n\nSomebody (we hope you) asked to reset the password of your Signet \
         login for {account_name}.\n\nSet a new password:\n{url}\n\n\
         The link works once, for {valid_minutes} minutes. If you did not ask for it, ignore this \
         e-mail: your password stays as it is.\n",
        name = to.name,
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\"><p>Hello {name},</p>\
         <p>Somebody (we hope you) asked to reset the password of your Signet login for \
         <strong>{account}</strong>.</p><p><a href=\"{url}\">Set a new password</a></p>\
         <p style=\"color:#666\">The link works once, for {valid_minutes} minutes. If you did not \
         ask for it, ignore this e-mail: your password stays as it is.</p></body></html>",
        name = escape(&to.name),
        account = escape(account_name),
        url = escape(url),
    );
    Email {
        message_id,
        from_name: account_name.to_string(),
        to,
        subject: "Reset your Signet password".to_string(),
        text,
        html,
    }
}

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

#[cfg(test)]
mod tests {
    use super::{Mailbox, escape, password_reset};

    #[test]
    fn the_reset_mail_carries_the_link_in_both_parts_and_escapes_names() {
        let to = Mailbox {
            name: "Ada <Admin>".into(),
            address: "ada@example.test".into(),
        };
        let url = "https://signet.example/password/reset/abc";
        let mail = password_reset("Acme & Co", to, url, 60, "id@signet.example".into());
        assert!(mail.text.contains(url) && mail.text.contains("60 minutes"));
        assert!(mail.html.contains(&format!("href=\"{url}\"")));
        assert!(mail.html.contains("Ada &lt;Admin&gt;") && mail.html.contains("Acme &amp; Co"));
        assert_eq!(mail.to.address, "ada@example.test");
    }

    #[test]
    fn markup_in_user_text_is_escaped() {
        assert_eq!(
            escape("<script>\"x\" & 'y'"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
    }
}
