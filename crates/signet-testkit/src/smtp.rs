//! [`SmtpSink`]: a real SMTP server on `127.0.0.1:0` that keeps every message it accepts, so
//! tests can send through the production mailer and read back what a mail server received.
//!
//! It speaks enough of RFC 5321 for real clients (lettre, smtplib): EHLO/HELO, MAIL FROM,
//! RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT; several connections at once. There is
//! no TLS and no AUTH. [`SmtpSink::set_temp_fail`] makes it answer `451` to test retries, and
//! [`SmtpSink::set_reject_recipients`] makes it refuse recipients with `550`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinSet};

mod received;

pub use received::{MailAddress, ReceivedMail};

/// Longest command line accepted; longer lines are cut (RFC 5321 allows 512 octets).
const MAX_LINE: u64 = 64 * 1024;
/// Largest message accepted; larger ones get `552`.
const MAX_MESSAGE: usize = 50 * 1024 * 1024;

/// A running SMTP sink; stops when dropped.
pub struct SmtpSink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: AbortHandle,
}

#[derive(Default)]
struct Shared {
    mails: Mutex<Vec<ReceivedMail>>,
    temp_fail: AtomicBool,
    reject_recipients: AtomicBool,
    rejected: AtomicUsize,
}

impl Shared {
    fn mails(&self) -> std::sync::MutexGuard<'_, Vec<ReceivedMail>> {
        self.mails.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SmtpSink {
    /// Starts a sink on `127.0.0.1` with a free port. Panics if no port can be bound.
    pub async fn start() -> SmtpSink {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(err) => panic!("SmtpSink: cannot bind 127.0.0.1:0: {err}"),
        };
        let addr = match listener.local_addr() {
            Ok(addr) => addr,
            Err(err) => panic!("SmtpSink: no local address: {err}"),
        };
        let shared = Arc::new(Shared::default());
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared))).abort_handle();
        SmtpSink { addr, shared, task }
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `smtp://127.0.0.1:PORT` (plain SMTP, no TLS).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Every message accepted so far, in arrival order.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.mails().clone()
    }

    /// The messages after the first `skip`, in arrival order (for tests that read thousands of
    /// messages as they come, without copying the earlier ones again).
    pub fn messages_after(&self, skip: usize) -> Vec<ReceivedMail> {
        self.shared.mails().iter().skip(skip).cloned().collect()
    }

    /// Forgets the messages received so far.
    pub fn clear(&self) {
        self.shared.mails().clear();
    }

    /// Waits until at least `n` messages arrived and returns them all; fails after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> anyhow::Result<Vec<ReceivedMail>> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let mails = self.messages();
            if mails.len() >= n {
                return Ok(mails);
            }
            if tokio::time::Instant::now() >= deadline {
                anyhow::bail!(
                    "SmtpSink: expected {n} messages within {timeout:?}, got {}",
                    mails.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// While on, `MAIL FROM` and the end of `DATA` are answered `451` (a temporary failure).
    pub fn set_temp_fail(&self, on: bool) {
        self.shared.temp_fail.store(on, Ordering::SeqCst);
    }

    /// While on, every `RCPT TO` is answered `550` (a permanent rejection of the recipient).
    pub fn set_reject_recipients(&self, on: bool) {
        self.shared.reject_recipients.store(on, Ordering::SeqCst);
    }

    /// How many commands were refused by a test switch (`451` or `550`) so far.
    pub fn rejected(&self) -> usize {
        self.shared.rejected.load(Ordering::SeqCst)
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every open connection.
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(serve(stream, Arc::clone(&shared)));
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// The state of one mail transaction.
#[derive(Default)]
struct Transaction {
    from: Option<String>,
    recipients: Vec<String>,
}

async fn serve(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    write
        .write_all(b"220 signet-testkit SMTP sink ready\r\n")
        .await?;
    let mut tx = Transaction::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read_line(&mut reader, &mut line).await? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, arg) = text.split_once(' ').unwrap_or((text, ""));
        let reply = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => "250-signet-testkit\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800"
                .to_string(),
            "HELO" => "250 signet-testkit".to_string(),
            "MAIL" => mail_from(&shared, &mut tx, arg),
            "RCPT" => rcpt_to(&shared, &mut tx, arg),
            "DATA" => {
                if tx.recipients.is_empty() {
                    "503 5.5.1 RCPT TO first".to_string()
                } else {
                    write
                        .write_all(b"354 end data with <CR><LF>.<CR><LF>\r\n")
                        .await?;
                    let raw = read_data(&mut reader).await?;
                    finish_data(&shared, std::mem::take(&mut tx), raw)
                }
            }
            "RSET" => {
                tx = Transaction::default();
                "250 2.0.0 OK".to_string()
            }
            "NOOP" => "250 2.0.0 OK".to_string(),
            "VRFY" => "252 2.1.5 cannot verify".to_string(),
            "STARTTLS" => "454 4.7.0 TLS not available".to_string(),
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => "502 5.5.2 command not implemented".to_string(),
        };
        write.write_all(reply.as_bytes()).await?;
        write.write_all(b"\r\n").await?;
    }
}

fn mail_from(shared: &Shared, tx: &mut Transaction, arg: &str) -> String {
    if shared.temp_fail.load(Ordering::SeqCst) {
        shared.rejected.fetch_add(1, Ordering::SeqCst);
        return "451 4.3.0 temporarily unavailable (test switch)".to_string();
    }
    match path_argument(arg, "FROM:") {
        Some(from) => {
            *tx = Transaction {
                from: Some(from),
                recipients: Vec::new(),
            };
            "250 2.1.0 OK".to_string()
        }
        None => "501 5.5.4 syntax: MAIL FROM:<address>".to_string(),
    }
}

fn rcpt_to(shared: &Shared, tx: &mut Transaction, arg: &str) -> String {
    if tx.from.is_none() {
        return "503 5.5.1 MAIL FROM first".to_string();
    }
    if shared.reject_recipients.load(Ordering::SeqCst) {
        shared.rejected.fetch_add(1, Ordering::SeqCst);
        return "550 5.1.1 mailbox unavailable (test switch)".to_string();
    }
    match path_argument(arg, "TO:") {
        Some(to) if !to.is_empty() => {
            tx.recipients.push(to);
            "250 2.1.5 OK".to_string()
        }
        _ => "501 5.5.4 syntax: RCPT TO:<address>".to_string(),
    }
}

fn finish_data(shared: &Shared, tx: Transaction, raw: Option<Vec<u8>>) -> String {
    let Some(raw) = raw else {
        return "552 5.3.4 message too big".to_string();
    };
    if shared.temp_fail.load(Ordering::SeqCst) {
        shared.rejected.fetch_add(1, Ordering::SeqCst);
        return "451 4.3.0 temporarily unavailable (test switch)".to_string();
    }
    let mail = ReceivedMail {
        envelope_from: tx.from.unwrap_or_default(),
        recipients: tx.recipients,
        raw,
    };
    shared.mails().push(mail);
    "250 2.0.0 queued".to_string()
}

/// `FROM:<a@b> SIZE=1` → `a@b` (the keyword is matched case-insensitively).
fn path_argument(arg: &str, keyword: &str) -> Option<String> {
    let arg = arg.trim_start();
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    let inner = rest.strip_prefix('<')?;
    let end = inner.find('>')?;
    Some(inner[..end].to_string())
}

/// Reads one line (up to `\n`), at most [`MAX_LINE`] bytes; 0 at end of stream.
async fn read_line<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
    line: &mut Vec<u8>,
) -> std::io::Result<usize> {
    (&mut *reader).take(MAX_LINE).read_until(b'\n', line).await
}

/// Reads the DATA section up to the lone `.` line, undoing dot-stuffing. `None` if the message
/// exceeded [`MAX_MESSAGE`] (it is read to its end and discarded).
async fn read_data<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut raw = Vec::new();
    let mut too_big = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed during DATA",
            ));
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(if too_big { None } else { Some(raw) });
        }
        let content = line.strip_prefix(b".").unwrap_or(&line);
        if raw.len() + content.len() > MAX_MESSAGE {
            too_big = true;
            raw.clear();
        }
        if !too_big {
            raw.extend_from_slice(content);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
