//! [`OutboxMailer`]: the `Mailer` port for instances without an SMTP server. Each message is
//! written as an RFC 5322 `.eml` file (the bytes SMTP would have carried) into a directory.

use std::io::Write;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use signet_core::port::{DeliveryError, Email, Mailer};

use crate::error::MailerError;
use crate::message;

/// Writes every message to `<dir>/<message-id>.eml`; a retried job overwrites its own file.
pub struct OutboxMailer {
    dir: PathBuf,
    from: lettre::Address,
}

impl OutboxMailer {
    /// Uses (and creates if missing) `dir`, sending as `from`.
    pub fn new(dir: impl Into<PathBuf>, from: &str) -> Result<Self, MailerError> {
        let dir = dir.into();
        let from = message::parse_from(from)?;
        std::fs::create_dir_all(&dir).map_err(|source| MailerError::Outbox {
            path: dir.display().to_string(),
            source,
        })?;
        Ok(Self { dir, from })
    }

    /// The directory messages are written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, email: &Email) -> Result<(), DeliveryError> {
        let bytes = message::build(&self.from, email)?.formatted();
        let path = self
            .dir
            .join(format!("{}.eml", file_stem(&email.message_id)));
        let target = path.clone();
        tokio::task::spawn_blocking(move || write_atomically(&target, &bytes))
            .await
            .map_err(|err| DeliveryError::Transient(format!("outbox writer failed: {err}")))?
            .map_err(|err| {
                DeliveryError::Transient(format!("cannot write {}: {err}", path.display()))
            })?;
        tracing::info!(path = %path.display(), to = %email.to.address, "e-mail written to the outbox");
        Ok(())
    }
}

/// The message id reduced to characters safe in a file name on any system.
fn file_stem(message_id: &str) -> String {
    let stem: String = message_id
        .chars()
        .take(200)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_start_matches('.');
    if stem.is_empty() {
        "message".to_string()
    } else {
        stem.to_string()
    }
}

/// Temp file in the same directory, fsync, rename: a reader never sees half a message.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let temp = dir.join(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        // Best effort: the temp file is garbage either way.
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use mail_parser::MessageParser;

    use super::*;
    use crate::message::tests::sample_email;

    #[tokio::test]
    async fn a_message_is_written_as_a_parseable_eml_file() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = OutboxMailer::new(dir.path().join("mail"), "signet@example.test").unwrap();
        let email = sample_email();
        outbox.send(&email).await.unwrap();
        outbox.send(&email).await.unwrap(); // a retry overwrites, it does not duplicate
        let files: Vec<_> = std::fs::read_dir(outbox.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            files,
            [std::ffi::OsString::from(
                "invite.0191b2c3.1@signet.test.eml"
            )]
        );
        let raw = std::fs::read(outbox.dir().join("invite.0191b2c3.1@signet.test.eml")).unwrap();
        let parsed = MessageParser::default().parse(&raw).unwrap();
        assert_eq!(parsed.message_id(), Some("invite.0191b2c3.1@signet.test"));
        assert_eq!(parsed.subject(), Some(email.subject.as_str()));
        assert_eq!(
            parsed.from().unwrap().first().unwrap().name(),
            Some("Zoë Müller via Signet")
        );
        assert_eq!(
            parsed.to().unwrap().first().unwrap().address(),
            Some("lukasz@example.test")
        );
        assert_eq!(parsed.text_body_count(), 1);
        assert_eq!(parsed.html_body_count(), 1);
        assert!(parsed.body_html(0).unwrap().contains("unterschreiben</a>"));
    }

    #[test]
    fn file_names_are_sanitised() {
        assert_eq!(file_stem("a/../b@c"), "a_.._b@c");
        assert_eq!(file_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(file_stem("..."), "message");
        assert_eq!(file_stem("x y\\z:é"), "x_y_z__");
    }
}
