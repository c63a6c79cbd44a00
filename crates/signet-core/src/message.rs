//! The e-mails Signet sends, each as plain text and HTML: the mails carrying a signing link
//! (`invitation`), the reports on an envelope (`notice`), and the password reset. Signer-facing
//! mails are in the recipient's language (`strings`); a sender's subject and message pass the
//! HTML allow-list (`sanitize`), and every other interpolated value is escaped.

mod invitation;
mod layout;
mod notice;
mod password_reset;
pub mod sanitize;
pub mod strings;

pub use invitation::{LinkMail, LinkMailInput, link_mail};
pub use layout::escape;
pub use notice::{Notice, NoticeInput, notice};
pub use password_reset::password_reset;

#[cfg(test)]
mod tests;
