//! A small W3C WebDriver client over plain HTTP, for the browser tests: [`ChromeDriver`]
//! starts `chromedriver` on a free loopback port and kills it (and its browsers) when dropped,
//! also on panic; [`Session`] is one headless Chromium at a phone or desktop viewport.
//! A missing browser or driver fails the test with instructions; nothing is skipped.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};

mod session;

pub use session::Session;
use session::Wire;

/// The key W3C WebDriver uses for element references.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long `wait_until` polls before it fails.
const WAIT: Duration = Duration::from_secs(10);

const INSTALL: &str = "install the Debian packages chromium and chromium-driver \
(`apt-get install -y --no-install-recommends chromium chromium-driver`; ./scripts/test does it), \
or point SIGNET_CHROMIUM and SIGNET_CHROMEDRIVER at the binaries";

/// The screen a session emulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewport {
    /// A 360 x 740 CSS-pixel phone with touch input (Chromium's mobile emulation).
    Phone,
    /// A 1280 x 900 desktop window with a mouse.
    Desktop,
}

impl Viewport {
    /// Width in CSS pixels.
    pub fn width(self) -> u64 {
        match self {
            Viewport::Phone => 360,
            Viewport::Desktop => 1280,
        }
    }
}

/// A running `chromedriver`; dropping it closes its sessions and kills its process group.
pub struct ChromeDriver {
    child: Child,
    port: u16,
    http: reqwest::Client,
    scratch: tempfile::TempDir,
    open: Arc<Mutex<Vec<String>>>,
}

impl ChromeDriver {
    pub async fn start() -> ChromeDriver {
        let binary = tool("SIGNET_CHROMEDRIVER", &["chromedriver"]);
        let scratch = tempfile::tempdir().expect("temp dir");
        let log = std::fs::File::create(scratch.path().join("chromedriver.log")).unwrap();
        let port = free_port();
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            // Its own process group, so the browsers it starts can be killed with it.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {} ({err}): {INSTALL}", binary.display()));
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let mut driver = ChromeDriver {
            child,
            port,
            http,
            scratch,
            open: Arc::default(),
        };
        driver.wait_until_ready().await;
        driver
    }

    async fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        let status = format!("http://127.0.0.1:{}/status", self.port);
        loop {
            if let Ok(Some(exit)) = self.child.try_wait() {
                panic!("chromedriver exited ({exit}): {}", self.log());
            }
            if let Ok(response) = self.http.get(&status).send().await
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"] == true
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer {status}: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.scratch.path().join("chromedriver.log")).unwrap_or_default()
    }

    /// Opens a fresh headless Chromium (its own profile) that records its console log.
    pub async fn session(&self, viewport: Viewport) -> Session {
        let browser = tool("SIGNET_CHROMIUM", &["chromium", "chromium-browser"]);
        let profile = tempfile::tempdir_in(self.scratch.path()).unwrap();
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            format!("--user-data-dir={}", profile.keep().display()),
        ];
        let mut options = json!({"binary": browser});
        match viewport {
            Viewport::Phone => {
                options["mobileEmulation"] = json!({"deviceMetrics": {
                    "width": 360, "height": 740, "pixelRatio": 2.0, "touch": true, "mobile": true,
                }});
            }
            Viewport::Desktop => args.push("--window-size=1280,900".into()),
        }
        options["args"] = json!(args);
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL"},
            // Navigation returns at DOMContentLoaded (the deferred script has run), without
            // waiting for the PDF previews.
            "pageLoadStrategy": "eager",
            "timeouts": {"implicit": 0, "pageLoad": 20_000, "script": 10_000},
        }}});
        let root = Wire {
            http: self.http.clone(),
            base: format!("http://127.0.0.1:{}", self.port),
        };
        let created = root
            .call(Method::POST, "/session", Some(capabilities))
            .await;
        let id = created["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(id.clone());
        Session {
            wire: Wire {
                base: format!("{}/session/{id}", root.base),
                ..root
            },
            id,
            open: self.open.clone(),
            viewport,
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let open = std::mem::take(&mut *self.open.lock().unwrap_or_else(PoisonError::into_inner));
        for id in open {
            delete_session_blocking(self.port, &id);
        }
        // Whatever is left (a hung driver, a browser it lost) dies with the group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `DELETE /session/{id}` without an async runtime (for `Drop`); errors are ignored.
fn delete_session_blocking(port: u16, id: &str) {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!(
        "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let _ = stream.read_to_end(&mut Vec::new());
    }
}

fn decode_base64(data: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(data.as_str().expect("base64 text"))
        .expect("valid base64")
}

/// The binary named by `env`, or the first of `names` on `PATH`; fails with instructions.
fn tool(env: &str, names: &[&str]) -> PathBuf {
    if let Ok(path) = std::env::var(env) {
        let path = PathBuf::from(path);
        assert!(
            is_executable(&path),
            "{env}={} is not an executable: {INSTALL}",
            path.display()
        );
        return path;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| is_executable(candidate))
        .unwrap_or_else(|| panic!("{} not found on PATH: {INSTALL}", names[0]))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().unwrap().port()
}
