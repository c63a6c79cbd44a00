//! [`SmtpMailer`]: the core's `Mailer` port over SMTP with lettre.

use std::time::Duration;

use async_trait::async_trait;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use signet_core::port::{DeliveryError, Email, Mailer};

use crate::error::MailerError;
use crate::message;

/// Time allowed for connecting and for each SMTP command.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Sends mail through an SMTP server (pooled connections).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::Address,
}

/// How the connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Security {
    /// No TLS at all (loopback and test servers).
    Plain,
    /// STARTTLS, required.
    StartTls,
    /// TLS from the first byte (`smtps://`, port 465).
    Implicit,
}

impl SmtpMailer {
    /// Connects lazily to the server a URL names and sends as `from`:
    /// `smtp://[user:pass@]host[:port]` (plain, port 25), `smtp://…?tls=starttls` (STARTTLS
    /// required, port 587) or `smtps://…` (implicit TLS, port 465). User and password are
    /// percent-decoded. Must be called (and the mailer dropped) inside a Tokio runtime: the
    /// connection pool runs a background task.
    pub fn from_url(url: &str, from: &str) -> Result<Self, MailerError> {
        if tokio::runtime::Handle::try_current().is_err() {
            // lettre's pool would panic instead.
            return Err(MailerError::NoRuntime);
        }
        let from = message::parse_from(from)?;
        let parsed =
            url::Url::parse(url).map_err(|err| MailerError::InvalidUrl(err.to_string()))?;
        let security = security(&parsed)?;
        let host = match parsed.host() {
            Some(url::Host::Domain(name)) if !name.is_empty() => name.to_string(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => return Err(MailerError::InvalidUrl("the URL has no host".into())),
        };
        let default_port = match security {
            Security::Plain => 25,
            Security::StartTls => 587,
            Security::Implicit => 465,
        };
        let tls = match security {
            Security::Plain => Tls::None,
            Security::StartTls => Tls::Required(tls_parameters(&host)?),
            Security::Implicit => Tls::Wrapper(tls_parameters(&host)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(parsed.port().unwrap_or(default_port))
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if !parsed.username().is_empty() {
            let user = percent_decode(parsed.username())?;
            let password = percent_decode(parsed.password().unwrap_or(""))?;
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }
}

fn security(url: &url::Url) -> Result<Security, MailerError> {
    let tls = url
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| value.into_owned());
    match (url.scheme(), tls.as_deref()) {
        ("smtp", None | Some("none")) => Ok(Security::Plain),
        ("smtp", Some("starttls")) => Ok(Security::StartTls),
        ("smtps", None) => Ok(Security::Implicit),
        ("smtp" | "smtps", Some(other)) => Err(MailerError::InvalidUrl(format!(
            "unknown tls={other:?} (use smtp://…?tls=starttls, or smtps:// for implicit TLS)"
        ))),
        (scheme, _) => Err(MailerError::InvalidUrl(format!(
            "unsupported scheme {scheme:?} (use smtp or smtps)"
        ))),
    }
}

fn tls_parameters(host: &str) -> Result<TlsParameters, MailerError> {
    TlsParameters::new_rustls(host.to_string()).map_err(|err| MailerError::Tls(err.to_string()))
}

fn percent_decode(text: &str) -> Result<String, MailerError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            let byte = hex.ok_or_else(|| {
                MailerError::InvalidUrl("bad percent-encoding in the credentials".into())
            })?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| MailerError::InvalidUrl("the credentials are not UTF-8".into()))
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &Email) -> Result<(), DeliveryError> {
        let message = message::build(&self.from, email)?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(classify)
    }
}

/// 5xx replies are permanent, except authentication failures (a configuration problem the
/// operator can fix, after which the mail should still go out); everything else (4xx,
/// connection, TLS, timeout) is transient.
fn classify(err: lettre::transport::smtp::Error) -> DeliveryError {
    let code = err.status().map(u16::from);
    match code {
        Some(530 | 534 | 535 | 538) => {
            DeliveryError::Transient(format!("SMTP authentication failed: {err}"))
        }
        Some(500..=599) if err.is_permanent() => {
            DeliveryError::Permanent(format!("SMTP server refused the message: {err}"))
        }
        _ if err.is_timeout() => DeliveryError::Transient(format!("SMTP timed out: {err}")),
        _ => DeliveryError::Transient(format!("SMTP delivery failed: {err}")),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use signet_testkit::smtp::SmtpSink;

    use super::*;
    use crate::message::tests::sample_email;

    #[test]
    fn building_outside_a_runtime_is_an_error_not_a_panic() {
        assert!(matches!(
            SmtpMailer::from_url("smtp://h", "a@b.test"),
            Err(MailerError::NoRuntime)
        ));
    }

    #[tokio::test]
    async fn urls_are_parsed_into_the_right_security() {
        let parse = |u: &str| security(&url::Url::parse(u).unwrap());
        assert_eq!(parse("smtp://h").unwrap(), Security::Plain);
        assert_eq!(
            parse("smtp://u:p@h:2525?tls=starttls").unwrap(),
            Security::StartTls
        );
        assert_eq!(parse("smtps://h").unwrap(), Security::Implicit);
        assert!(parse("smtp://h?tls=maybe").is_err());
        assert!(parse("http://h").is_err());
        assert!(SmtpMailer::from_url("smtp://", "a@b.test").is_err());
        assert!(SmtpMailer::from_url("smtps://u%40x:p%2Fw@mail.example.test", "a@b.test").is_ok());
        assert!(SmtpMailer::from_url("smtp://h", "not-an-address").is_err());
        assert_eq!(percent_decode("u%40x%2F").unwrap(), "u@x/");
        assert!(percent_decode("bad%zz").is_err());
    }

    #[tokio::test]
    async fn a_message_arrives_with_its_headers_and_both_parts() {
        let sink = SmtpSink::start().await;
        let mailer = SmtpMailer::from_url(&sink.url(), "signet@example.test").unwrap();
        let email = sample_email();
        mailer.send(&email).await.unwrap();
        let mails = sink.wait_for(1, Duration::from_secs(5)).await.unwrap();
        let mail = &mails[0];
        assert_eq!(mail.envelope_from, "signet@example.test");
        assert_eq!(mail.recipients, ["lukasz@example.test"]);
        assert_eq!(
            mail.message_id().as_deref(),
            Some("invite.0191b2c3.1@signet.test")
        );
        assert_eq!(
            mail.header("Message-ID").as_deref(),
            Some("<invite.0191b2c3.1@signet.test>")
        );
        assert_eq!(mail.subject().as_deref(), Some(email.subject.as_str()));
        let from = mail.from().unwrap();
        assert_eq!(from.name.as_deref(), Some("Zoë Müller via Signet"));
        assert_eq!(from.address, "signet@example.test");
        let to = mail.to();
        assert_eq!(to.len(), 1);
        assert_eq!(to[0].name.as_deref(), Some("Łukasz Żółw"));
        assert_eq!(to[0].address, "lukasz@example.test");
        assert!(mail.header("Date").is_some());
        assert!(
            mail.header("Content-Type")
                .unwrap()
                .starts_with("multipart/alternative")
        );
        assert_eq!(
            mail.text_body().unwrap().trim_end(),
            email.text.replace('\n', "\r\n")
        );
        assert_eq!(mail.html_body().unwrap().trim_end(), email.html);
        // Non-ASCII never travels raw in the header block.
        let raw = String::from_utf8_lossy(&mail.raw);
        let head = raw.split("\r\n\r\n").next().unwrap();
        assert!(head.is_ascii(), "{head}");
    }

    #[tokio::test]
    async fn a_451_from_the_server_is_transient() {
        let sink = SmtpSink::start().await;
        sink.set_temp_fail(true);
        let mailer = SmtpMailer::from_url(&sink.url(), "signet@example.test").unwrap();
        let err = mailer.send(&sample_email()).await.unwrap_err();
        assert!(matches!(err, DeliveryError::Transient(_)), "{err:?}");
        assert!(sink.rejected() >= 1);
        assert!(sink.messages().is_empty());
        sink.set_temp_fail(false);
        mailer.send(&sample_email()).await.unwrap();
        assert_eq!(
            sink.wait_for(1, Duration::from_secs(5))
                .await
                .unwrap()
                .len(),
            1
        );
    }

    #[tokio::test]
    async fn a_550_for_the_recipient_is_permanent() {
        let sink = SmtpSink::start().await;
        sink.set_reject_recipients(true);
        let mailer = SmtpMailer::from_url(&sink.url(), "signet@example.test").unwrap();
        let err = mailer.send(&sample_email()).await.unwrap_err();
        assert!(matches!(err, DeliveryError::Permanent(_)), "{err:?}");
    }

    #[tokio::test]
    async fn an_unreachable_server_is_transient() {
        // Bind then drop a listener, so the port is very likely closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mailer =
            SmtpMailer::from_url(&format!("smtp://127.0.0.1:{port}"), "signet@example.test")
                .unwrap();
        let err = mailer.send(&sample_email()).await.unwrap_err();
        assert!(matches!(err, DeliveryError::Transient(_)), "{err:?}");
    }
}
