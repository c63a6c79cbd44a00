//! [`S3Server`]: a real S3-compatible server on `127.0.0.1:<free port>` — `moto` in server
//! mode (from PyPI, installed into the workspace's `.venv` by `scripts/test`), one process per
//! test with one empty bucket, stopped when dropped. Python comes from `SIGNET_PYTHON`, else
//! the workspace's `.venv`; a missing interpreter or package fails the test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

/// The bucket every server starts with.
pub const BUCKET: &str = "signet-test";
/// Credentials the server accepts (moto takes any; these are what the tests send).
pub const ACCESS_KEY_ID: &str = "testing-access-key";
/// See [`ACCESS_KEY_ID`].
pub const SECRET_ACCESS_KEY: &str = "testing-secret-key";
/// Region the tests name.
pub const REGION: &str = "us-east-1";

/// A running moto S3 server; killed when dropped.
pub struct S3Server {
    child: Child,
    port: u16,
}

impl S3Server {
    /// Starts the server (a second or two: Python starting up), waits until it listens and
    /// creates [`BUCKET`]. Blocking; call it from a blocking context or before the runtime.
    pub fn start() -> anyhow::Result<Self> {
        let mut child = Command::new(python())
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start moto; set SIGNET_PYTHON to a Python with moto[server]")?;
        let stderr = child.stderr.take().context("moto's log is not piped")?;
        let mut lines = BufReader::new(stderr);
        let port = match read_port(&mut lines) {
            Ok(port) => port,
            Err(err) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(err);
            }
        };
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = lines.read_to_end(&mut sink);
        });
        let server = Self { child, port };
        server.create_bucket()?;
        Ok(server)
    }

    /// The endpoint URL (`http://127.0.0.1:<port>`).
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Creates the bucket with a plain, unsigned request (moto accepts it).
    fn create_bucket(&self) -> anyhow::Result<()> {
        let mut tcp = TcpStream::connect(("127.0.0.1", self.port)).context("connecting to moto")?;
        write!(
            tcp,
            "PUT /{BUCKET} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .context("sending create-bucket")?;
        let mut response = String::new();
        tcp.read_to_string(&mut response)
            .context("reading the create-bucket answer")?;
        anyhow::ensure!(
            response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200"),
            "moto refused to create the bucket: {response}"
        );
        Ok(())
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads moto's log until it says where it listens (`Running on http://127.0.0.1:PORT`).
fn read_port(log: &mut impl BufRead) -> anyhow::Result<u16> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = String::new();
    while Instant::now() < deadline {
        let mut line = String::new();
        if log.read_line(&mut line).context("reading moto's log")? == 0 {
            anyhow::bail!("moto exited before listening; its log:\n{seen}");
        }
        if let Some(rest) = line.split("Running on http://127.0.0.1:").nth(1) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return digits.parse().context("moto's port");
        }
        seen.push_str(&line);
    }
    anyhow::bail!("moto did not start listening within 60 s; its log:\n{seen}");
}

fn python() -> PathBuf {
    if let Ok(path) = std::env::var("SIGNET_PYTHON") {
        return PathBuf::from(path);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python")
}
