use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};
use signet_server::{App, Config};
use signet_testkit::http_sink::HttpSink;
use signet_testkit::s3::S3Server;
use signet_testkit::smtp::SmtpSink;
use sqlx::Connection;
use tokio_util::sync::CancellationToken;

use super::clock::ManualClock;
use super::{logs, secrets};

/// A running Signet on `127.0.0.1:0` with its own database and data folder, an SMTP sink for
/// its mail and an HTTP sink for its callbacks. Jobs run only when the test says so.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub app: App,
    pub smtp: SmtpSink,
    pub hooks: HttpSink,
    /// The SMS gateway the app sends one-time codes to (`SIGNET_SMS_URL` points here).
    pub sms: HttpSink,
    pub clock: Arc<ManualClock>,
    pub data_dir: tempfile::TempDir,
    pub database_url: String,
    /// The configuration it was built with.
    pub config: Config,
    pg_database: Option<PgTestDb>,
    shutdown: CancellationToken,
    _log_check: LogCheck,
    /// The S3-compatible server holding the blobs, when they are in S3.
    _s3: Option<S3Server>,
}

/// Scans the captured log for remembered secrets when a test's app goes away, so a leak is
/// found whatever order the tests run in (not while the test is already failing).
struct LogCheck;

impl Drop for LogCheck {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            secrets::assert_none_logged();
        }
    }
}

/// The token `/metrics` asks for in the tests.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

/// An account and its first API key.
pub struct TestAccount {
    pub account_id: String,
    /// The owner's login e-mail (password [`TEST_PASSWORD`]).
    pub email: String,
    pub api_key: String,
    pub webhook_secret: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Spawns with the document blobs in a real S3-compatible server (moto) of its own.
    pub async fn spawn_on_s3() -> TestApp {
        Self::spawn_inner(|_| {}, true).await
    }

    /// Spawns with a chance to adjust the configuration first. With `SIGNET_TEST_BLOBS=s3`
    /// every app keeps its blobs in S3 (moto), so any test can run on that store.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let on_s3 = std::env::var("SIGNET_TEST_BLOBS").is_ok_and(|v| v == "s3");
        Self::spawn_inner(adjust, on_s3).await
    }

    async fn spawn_inner(adjust: impl FnOnce(&mut Config), on_s3: bool) -> TestApp {
        // The test client speaks plain HTTP, but reqwest wants a TLS provider chosen anyway.
        let _ = rustls::crypto::ring::default_provider().install_default();
        logs::install();
        let data_dir = tempfile::tempdir().expect("temp dir");
        let smtp = SmtpSink::start().await;
        let hooks = HttpSink::always_ok().await;
        let sms = HttpSink::always_ok().await;
        let pg_database = match std::env::var("DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => Some(create_pg_database(&admin).await),
            _ => None,
        };
        let mut config = Config {
            data_dir: data_dir.path().to_path_buf(),
            database_url: pg_database.as_ref().map(|db| db.url.clone()),
            public_url: None,
            smtp_url: Some(smtp.url()),
            smtp_from: "signet@example.test".into(),
            mail_attachment_limit_bytes: 10 * 1024 * 1024,
            max_upload_bytes: 5 * 1024 * 1024,
            verify_timeout_secs: 10,
            allow_private_callbacks: true,
            oidc_providers: None,
            master_key: None,
            organization: "Signet Test".into(),
            pades_level: signet_pdf::PadesLevel::BLTA,
            tsa_url: None,
            soffice: None,
            convert_timeout_secs: 60,
            pdf_timeout_secs: 30,
            pdf_max_pages: 10_000,
            pdf_max_objects: 1_000_000,
            pdf_max_decoded_mb: 1024,
            trust_roots: Vec::new(),
            seal_key: signet_pdf::KeyAlgorithm::EcdsaP256,
            trusted_proxies: Vec::new(),
            // The manual clock never refills a bucket by itself, so the per-credential and
            // per-address request limits are off unless a test sets them (rate_limit.rs);
            // the auth-failure limit keeps its production value.
            rate: signet_server::RateConfig {
                api_per_min: 0,
                signing_per_min: 0,
                ..signet_server::RateConfig::default()
            },
            password_reset_ttl_mins: 60,
            pat_ttl_days: 30,
            oauth_access_ttl_secs: 1800,
            oauth_refresh_ttl_days: 14,
            jobs: signet_server::JobConfig::default(),
            blobs: signet_server::BlobConfig::default(),
            metrics_token: Some(METRICS_TOKEN.into()),
            shutdown_grace_secs: 5,
            sms: signet_server::SmsConfig {
                sms_url: Some(sms.url("/v1/messages")),
                sms_method: "POST".into(),
                sms_headers: Some(SMS_HEADERS.into()),
                sms_body: SMS_BODY.into(),
            },
        };
        let s3 = if on_s3 {
            let server = tokio::task::spawn_blocking(S3Server::start)
                .await
                .unwrap()
                .expect("start moto");
            config.blobs = s3_blobs(&server);
            Some(server)
        } else {
            None
        };
        adjust(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let clock = Arc::new(ManualClock::new());
        let app = App::build(&config, base.clone(), clock.clone(), false)
            .await
            .expect("build app");
        remember_master_key(&config);
        let shutdown = CancellationToken::new();
        let server = App {
            signet: app.signet.clone(),
            worker: app.worker.clone(),
            api: app.api.clone(),
            ops: app.ops.clone(),
            shutdown_grace: app.shutdown_grace,
        };
        let token = shutdown.clone();
        tokio::spawn(async move {
            signet_server::serve(&server, listener, token, false)
                .await
                .expect("serve")
        });
        TestApp {
            base,
            client: reqwest::Client::new(),
            database_url: config.database_url(),
            config,
            app,
            smtp,
            hooks,
            sms,
            clock,
            data_dir,
            pg_database,
            shutdown,
            _log_check: LogCheck,
            _s3: s3,
        }
    }

    /// The keys of every committed blob, read through a blob store opened like the app's
    /// (files or S3).
    pub async fn blob_keys(&self) -> Vec<String> {
        let blobs = self.blob_store();
        let later = time::OffsetDateTime::now_utc() + time::Duration::days(1);
        tokio::task::spawn_blocking(move || blobs.keys_written_before(later).expect("list blobs"))
            .await
            .unwrap()
    }

    /// The bytes of a committed blob (see [`TestApp::blob_keys`]).
    pub async fn read_blob(&self, key: &str) -> Vec<u8> {
        let (blobs, key) = (self.blob_store(), key.to_owned());
        tokio::task::spawn_blocking(move || {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut blobs.open(&key).expect("open blob"), &mut bytes)
                .expect("read blob");
            bytes
        })
        .await
        .unwrap()
    }

    /// Writes a blob the way the core does before the row that points to it commits (a crash
    /// right after this leaves an orphan).
    pub async fn write_blob(&self, key: &str, bytes: &[u8]) {
        let (blobs, key, bytes) = (self.blob_store(), key.to_owned(), bytes.to_vec());
        tokio::task::spawn_blocking(move || {
            let mut staged = blobs.stage().expect("stage");
            std::io::Write::write_all(&mut staged, &bytes).expect("write");
            staged.commit(&key).expect("commit");
        })
        .await
        .unwrap();
    }

    fn blob_store(&self) -> Arc<dyn signet_core::port::BlobStore> {
        signet_server::blobs::open_blob_store(&self.config.blobs, self.data_dir.path())
            .expect("open the blob store")
    }

    /// Starts another node on the same database and data folder (as a restart would: it loads
    /// the instance keys as they are now) sharing this app's clock; returns its base URL and
    /// the node, whose worker the test drives. It stops with this app.
    pub async fn another_node(&self) -> (String, App) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let node = App::build(&self.config, base.clone(), self.clock.clone(), false)
            .await
            .expect("build the other node");
        let handle = App {
            signet: node.signet.clone(),
            worker: node.worker.clone(),
            api: node.api.clone(),
            ops: node.ops.clone(),
            shutdown_grace: node.shutdown_grace,
        };
        let token = self.shutdown.clone();
        tokio::spawn(async move {
            signet_server::serve(&node, listener, token, false)
                .await
                .expect("serve")
        });
        (base, handle)
    }

    /// The server's "now" (the manual clock).
    pub fn clock_now(&self) -> time::OffsetDateTime {
        signet_core::time::Clock::now(self.clock.as_ref())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn data_path(&self) -> PathBuf {
        self.data_dir.path().to_path_buf()
    }

    /// Runs every job that is due now, until none is left.
    pub async fn run_jobs_until_idle(&self) -> signet_worker::RunStats {
        self.app.worker.run_until_idle().await.expect("worker")
    }

    /// Creates an account through the same use case the CLI calls.
    pub async fn account(&self, name: &str) -> TestAccount {
        let email = format!("{}@example.test", uuid::Uuid::new_v4());
        secrets::remember_as("password", TEST_PASSWORD);
        let created = self
            .app
            .signet
            .create_account(signet_core::usecase::account::NewAccount {
                name: name.into(),
                email: email.clone(),
                password: TEST_PASSWORD.into(),
            })
            .await
            .expect("create account");
        secrets::remember_as("API key", &created.api_key);
        secrets::remember_as("webhook secret", &created.webhook_secret);
        TestAccount {
            account_id: created.account_id.to_string(),
            email,
            api_key: created.api_key,
            webhook_secret: created.webhook_secret,
        }
    }

    pub async fn post_json(&self, key: &str, path: &str, body: &Value) -> (u16, Value) {
        self.send_json(reqwest::Method::POST, key, path, body).await
    }

    pub async fn patch_json(&self, key: &str, path: &str, body: &Value) -> (u16, Value) {
        self.send_json(reqwest::Method::PATCH, key, path, body)
            .await
    }

    async fn send_json(
        &self,
        method: reqwest::Method,
        key: &str,
        path: &str,
        body: &Value,
    ) -> (u16, Value) {
        let response = self
            .client
            .request(method, self.url(path))
            .header(AUTHORIZATION, bearer(key))
            .json(body)
            .send()
            .await
            .unwrap();
        status_and_json(response).await
    }

    /// The envelope's audit events of type `kind`, in order.
    pub async fn events_of(&self, key: &str, envelope_id: &str, kind: &str) -> Vec<Value> {
        let (status, events) = self
            .get_json(key, &format!("/api/v1/envelopes/{envelope_id}/events"))
            .await;
        assert_eq!(status, 200, "{events}");
        events["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == kind)
            .cloned()
            .collect()
    }

    pub async fn get_json(&self, key: &str, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(self.url(path))
            .header(AUTHORIZATION, bearer(key))
            .send()
            .await
            .unwrap();
        status_and_json(response).await
    }

    pub async fn get_bytes(&self, key: &str, path: &str) -> (u16, Vec<u8>) {
        let response = self
            .client
            .get(self.url(path))
            .header(AUTHORIZATION, bearer(key))
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.bytes().await.unwrap().to_vec(),
        )
    }

    pub async fn upload(
        &self,
        key: &str,
        envelope: &str,
        filename: &str,
        bytes: Vec<u8>,
    ) -> (u16, Value) {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(filename.to_string())
            .mime_str("application/pdf")
            .unwrap();
        let form = reqwest::multipart::Form::new().part("file", part);
        self.post_form(
            key,
            &format!("/api/v1/envelopes/{envelope}/documents"),
            form,
        )
        .await
    }

    /// POSTs a PDF as the multipart field `file` to `path`.
    pub async fn post_pdf(&self, key: &str, path: &str, bytes: Vec<u8>) -> (u16, Value) {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name("file.pdf")
            .mime_str("application/pdf")
            .unwrap();
        let form = reqwest::multipart::Form::new().part("file", part);
        self.post_form(key, path, form).await
    }

    async fn post_form(
        &self,
        key: &str,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> (u16, Value) {
        let response = self
            .client
            .post(self.url(path))
            .header(AUTHORIZATION, bearer(key))
            .multipart(form)
            .send()
            .await
            .unwrap();
        status_and_json(response).await
    }

    /// Signer-side call (no API key: the token is the credential).
    pub async fn signer_post(&self, token_url: &str, action: &str, body: &Value) -> (u16, Value) {
        let token = token_of(token_url);
        let response = self
            .client
            .post(self.url(&format!("/api/v1/signing/{token}/{action}")))
            .json(body)
            .send()
            .await
            .unwrap();
        status_and_json(response).await
    }

    pub async fn signer_get(&self, token_url: &str) -> (u16, Value) {
        let token = token_of(token_url);
        let response = self
            .client
            .get(self.url(&format!("/api/v1/signing/{token}")))
            .send()
            .await
            .unwrap();
        status_and_json(response).await
    }

    /// Creates a draft with one document (the contract fixture) and returns (envelope, document) ids.
    pub async fn draft_with_contract(&self, key: &str, body: Value) -> (String, Value) {
        let (status, envelope) = self.post_json(key, "/api/v1/envelopes", &body).await;
        assert_eq!(status, 201, "{envelope}");
        let id = envelope["id"].as_str().unwrap().to_string();
        let (status, document) = self
            .upload(key, &id, "contract.pdf", super::fixtures::contract_pdf())
            .await;
        assert_eq!(status, 201, "{document}");
        (id, document)
    }

    /// Adds `signers` to the draft `id` (each 201) and sends it (200); returns the send's
    /// answer (with each link signer's `sign_url`).
    pub async fn add_signers_and_send(&self, key: &str, id: &str, signers: &[Value]) -> Value {
        for signer in signers {
            let (status, body) = self
                .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), signer)
                .await;
            assert_eq!(status, 201, "{body}");
        }
        let (status, sent) = self
            .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
            .await;
        assert_eq!(status, 200, "{sent}");
        sent
    }

    /// Ends the test: the job queue must be empty, no secret (including the signing links
    /// e-mailed) is in the server log, the PostgreSQL database is dropped.
    pub async fn finish(self) {
        self.finish_allowing_dead(&[]).await;
    }

    /// [`TestApp::finish`] for a test that makes jobs of the given kinds die on purpose (a
    /// webhook delivery retried until it gives up, a refused invitation).
    pub async fn finish_allowing_dead(self, kinds: &[&str]) {
        for mail in self.smtp.messages() {
            let bodies = [mail.text_body(), mail.html_body()];
            for body in bodies.iter().flatten() {
                secrets::remember_links_in(body);
            }
        }
        secrets::assert_none_logged();
        let pending = self
            .app
            .signet
            .store()
            .list_jobs(Some(signet_core::model::JobStatus::Pending), 100)
            .await
            .unwrap();
        // Jobs due by now must have run; jobs scheduled for later (an expiry) may wait.
        let now = self.clock_now();
        let overdue: Vec<_> = pending.iter().filter(|job| job.run_at <= now).collect();
        assert!(overdue.is_empty(), "jobs left in the queue: {overdue:?}");
        let dead = self
            .app
            .signet
            .store()
            .list_jobs(Some(signet_core::model::JobStatus::Dead), 100)
            .await
            .unwrap();
        let dead: Vec<_> = dead
            .iter()
            .filter(|job| !kinds.contains(&job.payload.kind()))
            .collect();
        assert!(dead.is_empty(), "dead jobs: {dead:?}");
        self.shutdown.cancel();
        if let Some(db) = &self.pg_database {
            drop(self.app);
            db.drop_database().await;
        }
    }
}

/// The headers the test SMS gateway is configured with.
pub const SMS_HEADERS: &str =
    r#"{"Authorization": "Bearer sms-gateway-key", "X-Sender": "Signet"}"#;
/// The body template the test SMS gateway is configured with.
pub const SMS_BODY: &str = r#"{"recipient": "{to}", "message": "{text}", "channel": "sms"}"#;

/// The password of every test account's owner.
pub const TEST_PASSWORD: &str = "correct horse battery";

pub fn bearer(key: &str) -> String {
    format!("Bearer {key}")
}

/// The signing link in an e-mail's text part.
pub fn link_in(text: &str, base: &str) -> String {
    text.split_whitespace()
        .find(|w| w.starts_with(&format!("{base}/s/")))
        .expect("a signing link in the e-mail")
        .to_string()
}

pub fn token_of(sign_url: &str) -> &str {
    secrets::remember_sign_url(sign_url);
    sign_url.rsplit('/').next().unwrap()
}

pub async fn status_and_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|_| json!({ "raw": text }));
    secrets::remember_in_json(&value);
    (status, value)
}

/// The instance's own secrets: the master key (from the configuration or its file) and any PEM
/// private key.
fn remember_master_key(config: &Config) {
    secrets::remember_as("PEM private key", "PRIVATE KEY");
    let from_file = std::fs::read_to_string(config.data_dir.join("master.key")).ok();
    if let Some(key) = config.master_key.clone().or(from_file) {
        secrets::remember_as("master key", &key);
    }
}

/// A throw-away PostgreSQL database for one test.
pub struct PgTestDb {
    admin_url: String,
    name: String,
    /// Its URL.
    pub url: String,
}

impl PgTestDb {
    /// Drops the database, closing whatever connections are still open to it.
    pub async fn drop_database(&self) {
        let mut conn = sqlx::PgConnection::connect(&self.admin_url).await.unwrap();
        let drop = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

/// Creates a database with a fresh name on the PostgreSQL server of `admin_url`.
pub async fn create_pg_database(admin_url: &str) -> PgTestDb {
    let name = format!("signet_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("connect to DATABASE_URL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("DATABASE_URL has a database name");
    PgTestDb {
        admin_url: admin_url.to_string(),
        url: format!("{base}/{name}"),
        name,
    }
}

impl TestApp {
    /// A sent envelope with `signers` link signers (each with a signature field on
    /// `{{signature_1}}`), in the given order; returns the envelope id and the signing URLs.
    pub async fn sent_envelope(
        &self,
        key: &str,
        order: &str,
        signers: usize,
    ) -> (String, Vec<String>) {
        let (id, _) = self
            .draft_with_contract(key, json!({"title": "Agreement", "signing_order": order}))
            .await;
        for i in 0..signers {
            let body = json!({
                "name": format!("Signer {i}"), "email": format!("s{i}@example.test"), "invitation": "link",
                "order": i + 1, "fields": [{"type": "signature", "tag": "signature_1"}],
            });
            let (status, body) = self
                .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &body)
                .await;
            assert_eq!(status, 201, "{body}");
        }
        let (status, sent) = self
            .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
            .await;
        assert_eq!(status, 200, "{sent}");
        let urls = sent["signers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["sign_url"].as_str().unwrap().to_string())
            .collect();
        (id, urls)
    }

    /// A one-signer envelope, signed and sealed (its jobs run); returns its id.
    pub async fn completed_envelope(&self, key: &str) -> String {
        let (id, urls) = self.sent_envelope(key, "parallel", 1).await;
        let (status, body) = self
            .signer_post(&urls[0], "complete", &typed_signing())
            .await;
        assert_eq!(status, 200, "{body}");
        self.run_jobs_until_idle().await;
        id
    }
}

/// A valid signing body with a typed signature.
pub fn typed_signing() -> Value {
    json!({"consent": true, "signature": {"kind": "typed", "text": "Test Signer"}})
}

/// Settings that put the blobs in `server`'s bucket, under a prefix.
pub(crate) fn s3_blobs(server: &S3Server) -> signet_server::BlobConfig {
    use signet_testkit::s3::{ACCESS_KEY_ID, BUCKET, REGION, SECRET_ACCESS_KEY};
    signet_server::BlobConfig {
        blob_url: Some(format!("s3://{BUCKET}/signet")),
        s3_endpoint: Some(server.endpoint()),
        s3_region: REGION.into(),
        s3_access_key_id: Some(ACCESS_KEY_ID.into()),
        s3_secret_access_key: Some(SECRET_ACCESS_KEY.into()),
        s3_allow_http: true,
    }
}
