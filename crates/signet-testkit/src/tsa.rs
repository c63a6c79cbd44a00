//! [`OpensslTsa`]: a real RFC 3161 time-stamping authority on `127.0.0.1:0` (each request is
//! answered by `openssl ts -reply`), which also serves a CRL for its certificate, and can be
//! switched off to simulate an outage.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::task::AbortHandle;

/// A running TSA; stops when dropped.
pub struct OpensslTsa {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: AbortHandle,
}

struct Shared {
    dir: PathBuf,
    config: Mutex<Option<PathBuf>>,
    crl: Mutex<Vec<u8>>,
    down: AtomicBool,
    tokens: AtomicUsize,
    serial: AtomicUsize,
}

impl OpensslTsa {
    /// Binds and starts answering; until [`OpensslTsa::configure`] every request gets 503.
    /// `dir` holds the configuration and the per-request files.
    pub async fn start(dir: &Path) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|err| panic!("OpensslTsa: cannot bind 127.0.0.1:0: {err}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|err| panic!("OpensslTsa: no local address: {err}"));
        let shared = Arc::new(Shared {
            dir: dir.to_path_buf(),
            config: Mutex::new(None),
            crl: Mutex::new(Vec::new()),
            down: AtomicBool::new(false),
            tokens: AtomicUsize::new(0),
            serial: AtomicUsize::new(1),
        });
        let app = Router::new()
            .route("/tsa", post(stamp))
            .route("/tsa.crl", get(crl))
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        })
        .abort_handle();
        Self { addr, shared, task }
    }

    /// Where to POST time-stamp queries.
    pub fn url(&self) -> String {
        format!("http://{}/tsa", self.addr)
    }

    /// Where the CRL is served (put it in the TSA certificate's CRL distribution point).
    pub fn crl_url(&self) -> String {
        format!("http://{}/tsa.crl", self.addr)
    }

    /// Sets the TSA's certificate and key (PEM files), the chain to embed (PEM) and the CRL.
    pub fn configure(&self, cert_pem: &Path, key_pem: &Path, chain_pem: &Path, crl_der: Vec<u8>) {
        let dir = &self.shared.dir;
        let serial = dir.join("tsaserial");
        write(&serial, "01\n");
        let config = dir.join("tsa.cnf");
        let text = format!(
            "[tsa]\ndefault_tsa = tsa_config\n\n[tsa_config]\n\
             serial = {serial}\nsigner_cert = {cert}\nsigner_key = {key}\ncerts = {chain}\n\
             signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256, sha384, sha512\n\
             accuracy = secs:1\nordering = yes\ntsa_name = yes\n\
             ess_cert_id_chain = no\ness_cert_id_alg = sha256\n",
            serial = serial.display(),
            cert = cert_pem.display(),
            key = key_pem.display(),
            chain = chain_pem.display(),
        );
        write(&config, &text);
        *lock(&self.shared.config) = Some(config);
        *lock(&self.shared.crl) = crl_der;
    }

    /// While down, every request gets `503 Service Unavailable`.
    pub fn set_down(&self, down: bool) {
        self.shared.down.store(down, Ordering::SeqCst);
    }

    /// How many tokens were issued.
    pub fn tokens_issued(&self) -> usize {
        self.shared.tokens.load(Ordering::SeqCst)
    }
}

impl Drop for OpensslTsa {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn write(path: &Path, text: &str) {
    if let Err(err) = std::fs::write(path, text) {
        panic!("OpensslTsa: cannot write {}: {err}", path.display());
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn stamp(State(shared): State<Arc<Shared>>, query: Bytes) -> Response {
    let config = lock(&shared.config).clone();
    let Some(config) = config.filter(|_| !shared.down.load(Ordering::SeqCst)) else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let n = shared.serial.fetch_add(1, Ordering::SeqCst);
    let (q, r) = (
        shared.dir.join(format!("q{n}.tsq")),
        shared.dir.join(format!("r{n}.tsr")),
    );
    let answered = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        std::fs::write(&q, &query).map_err(|e| e.to_string())?;
        let out = Command::new("openssl")
            .args(["ts", "-reply", "-config"])
            .arg(&config)
            .arg("-queryfile")
            .arg(&q)
            .arg("-out")
            .arg(&r)
            .output()
            .map_err(|e| format!("cannot run openssl: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        std::fs::read(&r).map_err(|e| e.to_string())
    })
    .await;
    match answered {
        Ok(Ok(reply)) => {
            shared.tokens.fetch_add(1, Ordering::SeqCst);
            (
                [(header::CONTENT_TYPE, "application/timestamp-reply")],
                reply,
            )
                .into_response()
        }
        Ok(Err(err)) => (StatusCode::INTERNAL_SERVER_ERROR, err).into_response(),
        Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response(),
    }
}

async fn crl(State(shared): State<Arc<Shared>>) -> Response {
    let crl = lock(&shared.crl).clone();
    ([(header::CONTENT_TYPE, "application/pkix-crl")], crl).into_response()
}
