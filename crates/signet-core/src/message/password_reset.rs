//! The password-reset e-mail (to a user of the account; English, as the account pages are).

use super::layout::escape;
use crate::port::{Email, Mailbox};

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
        attachments: Vec::new(),
    }
}
