//! The test's view of the SMTP sink: a task reads the messages as they arrive and files every
//! invitation (a `Message-ID` starting `invite.`) under its recipient, so thousands of signers
//! can each wait for their own e-mail.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use signet_testkit::smtp::SmtpSink;
use tokio::sync::watch;

/// One invitation as received.
#[derive(Clone, Debug)]
pub struct Invitation {
    /// The `Message-ID`, without angle brackets.
    pub message_id: String,
    /// The signing link in the text part.
    pub link: String,
}

/// Invitations by recipient, in arrival order (more than one is a duplicate).
#[derive(Clone, Default)]
pub struct Mailbox {
    by_recipient: Arc<Mutex<HashMap<String, Vec<Invitation>>>>,
    arrived: Option<watch::Receiver<usize>>,
}

impl Mailbox {
    /// Starts reading `smtp` every few milliseconds, for as long as the test runs.
    pub fn follow(smtp: Arc<SmtpSink>, public_url: String) -> Mailbox {
        let (tx, rx) = watch::channel(0usize);
        let mailbox = Mailbox {
            arrived: Some(rx),
            ..Mailbox::default()
        };
        let filing = mailbox.clone();
        tokio::spawn(async move {
            let mut seen = 0;
            loop {
                let new = smtp.messages_after(seen);
                if !new.is_empty() {
                    seen += new.len();
                    filing.file(&new, &public_url);
                    if tx.send(seen).is_err() {
                        return;
                    }
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        mailbox
    }

    fn file(&self, mails: &[signet_testkit::smtp::ReceivedMail], public_url: &str) {
        let mut by_recipient = self.by_recipient.lock().unwrap();
        for mail in mails {
            let message_id = mail.message_id().unwrap_or_default();
            if !message_id.starts_with("invite.") {
                continue;
            }
            let text = mail.text_body().unwrap_or_default();
            let link = crate::support::app::link_in(&text, public_url);
            for recipient in &mail.recipients {
                by_recipient
                    .entry(recipient.clone())
                    .or_default()
                    .push(Invitation {
                        message_id: message_id.clone(),
                        link: link.clone(),
                    });
            }
        }
    }

    /// Waits up to `timeout` for the first invitation to `recipient`.
    pub async fn invitation_to(&self, recipient: &str, timeout: Duration) -> Invitation {
        let mut arrived = self.arrived.clone().expect("a followed mailbox");
        let wait = async {
            loop {
                if let Some(first) = self.received_by(recipient).into_iter().next() {
                    return first;
                }
                arrived.changed().await.expect("the mailbox task runs");
            }
        };
        tokio::time::timeout(timeout, wait)
            .await
            .unwrap_or_else(|_| panic!("no invitation to {recipient} within {timeout:?}"))
    }

    /// Every invitation received by `recipient`.
    pub fn received_by(&self, recipient: &str) -> Vec<Invitation> {
        let by_recipient = self.by_recipient.lock().unwrap();
        by_recipient.get(recipient).cloned().unwrap_or_default()
    }

    /// Every invitation received, by recipient.
    pub fn all(&self) -> HashMap<String, Vec<Invitation>> {
        self.by_recipient.lock().unwrap().clone()
    }
}
