//! One `signet serve` process of the cluster: the real binary, started with the cluster's
//! environment on `127.0.0.1:0`, its log written to a file the test reads to learn its port and
//! its worker's name. It can be killed (SIGKILL) or stopped (SIGTERM).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A running `signet serve`.
pub struct Node {
    /// A name for messages (`a`, `b`, `b2`).
    pub name: String,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The name its job worker writes into leases (`jobs.locked_by`).
    pub worker_id: String,
    child: Child,
    log: PathBuf,
}

/// How long a node may take to start (migrations and instance keys on a fresh database).
const START_TIMEOUT: Duration = Duration::from_secs(60);

impl Node {
    /// Starts `signet serve` with exactly `env` (plus `PATH`), logging to `<log_dir>/<name>.log`,
    /// and waits until it listens and its worker runs.
    pub fn start(name: &str, env: &[(String, String)], log_dir: &Path) -> Node {
        let log = log_dir.join(format!("{name}.log"));
        let file = std::fs::File::create(&log).expect("create the node's log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_signet"));
        command
            .arg("serve")
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file);
        let child = command.spawn().expect("start signet serve");
        let mut node = Node {
            name: name.to_string(),
            base: String::new(),
            worker_id: String::new(),
            child,
            log,
        };
        node.wait_until_up();
        node
    }

    fn wait_until_up(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let text = self.log_text();
            let addr = field_of_line(&text, "signet is listening", "addr");
            let worker = field_of_line(&text, "job worker started", "worker");
            if let (Some(addr), Some(worker)) = (addr, worker) {
                self.base = format!("http://{addr}");
                self.worker_id = worker;
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("node {} exited at start ({status}):\n{text}", self.name);
            }
            assert!(
                Instant::now() < deadline,
                "node {} did not start within {START_TIMEOUT:?}:\n{text}",
                self.name
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills the process with SIGKILL (no chance to finish or release anything) and reaps it.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL the node");
        self.child.wait().expect("reap the killed node");
    }

    /// Sends SIGTERM and waits up to `grace` for the process to exit; its exit status.
    pub fn terminate(&mut self, grace: Duration) -> ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid} failed");
        let deadline = Instant::now() + grace;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the node") {
                return status;
            }
            if Instant::now() >= deadline {
                self.kill();
                panic!(
                    "node {} did not exit within {grace:?} of SIGTERM:\n{}",
                    self.name,
                    self.log_tail(40)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The log so far, without terminal colour codes.
    pub fn log_text(&self) -> String {
        strip_ansi(&std::fs::read_to_string(&self.log).unwrap_or_default())
    }

    /// The last `lines` lines of the log.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = self.log_text();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // A failing test shows what the node complained about (its log folder is deleted).
        if std::thread::panicking() {
            let text = self.log_text();
            let trouble: Vec<&str> = text
                .lines()
                .filter(|line| line.contains(" ERROR ") || line.contains(" WARN "))
                .collect();
            let last = &trouble[trouble.len().saturating_sub(40)..];
            eprintln!(
                "node {}'s last warnings and errors:\n{}",
                self.name,
                last.join("\n")
            );
        }
        // A failing test must not leave servers behind.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The value of `field=` on the first log line containing `message`.
fn field_of_line(log: &str, message: &str, field: &str) -> Option<String> {
    let line = log.lines().find(|line| line.contains(message))?;
    let prefix = format!("{field}=");
    line.split_whitespace()
        .find_map(|word| word.strip_prefix(&prefix))
        .map(str::to_string)
}

/// Removes ANSI escape sequences (`ESC [ … letter`): the binary colours its log.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn log_fields_are_read_from_coloured_lines() {
    let line = "\u{1b}[2m2026\u{1b}[0m \u{1b}[32m INFO\u{1b}[0m signet is listening \u{1b}[3maddr\u{1b}[0m\u{1b}[2m=\u{1b}[0m127.0.0.1:4000 x=y\n";
    let plain = strip_ansi(line);
    assert_eq!(
        field_of_line(&plain, "signet is listening", "addr").as_deref(),
        Some("127.0.0.1:4000")
    );
    assert_eq!(field_of_line(&plain, "job worker started", "worker"), None);
}
