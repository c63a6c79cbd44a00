//! Several nodes: two real `signet serve` processes on one fresh PostgreSQL database, their
//! document blobs in an S3-compatible server (moto) and each with a data folder of its own, so
//! they share no disk (`SIGNET_MULTINODE_BLOBS=folder` runs them on one shared data folder
//! instead); mail to an SMTP sink and callbacks to a loopback receiver in the test. Thousands
//! of envelopes go through create, upload, signers, send, the e-mailed link and the signature,
//! spread over both nodes; in the middle one node is killed with SIGKILL while it holds jobs,
//! and a new one (with a new, empty data folder) starts in its place. Then: every signer got one
//! invitation, every envelope was sealed once with its blobs readable from the store, every
//! callback arrived and is de-duplicable, and the queue is empty. PostgreSQL only: nodes
//! cannot share an SQLite file.

mod blobs;
mod check;
mod cluster;
mod driver;
mod mailbox;
mod node;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};
use signet_testkit::http_sink::HttpSink;
use signet_testkit::smtp::SmtpSink;
use sqlx::PgPool;

use blobs::ClusterBlobs;
use check::HeldJob;
use cluster::Cluster;
use driver::{Driver, Pushed};
use mailbox::Mailbox;
use node::Node;

/// Envelopes pushed through.
const ENVELOPES: usize = 2000;
/// Every this many envelopes has two signers instead of one.
const TWO_SIGNERS_EVERY: usize = 25;
/// Envelopes in flight at once.
const IN_FLIGHT: usize = 32;
/// The nodes' job lease: how long the killed node's jobs wait before another node takes them.
const LEASE_SECS: u64 = 5;
/// The PAdES level of the test account's seals: the default, as sealing does not dominate the
/// run (measured: 2,000 envelopes in 187.5 s at B-LTA, 212.6 s at B-B, on the same busy machine).
const PADES_LEVEL: &str = "B-LTA";
/// The cluster's public URL: the base of e-mailed links, whichever node sends them.
const PUBLIC_URL: &str = "http://signet.test";
/// Longest wait for the work to finish after the last signature.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(180);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_keep_every_promise_when_one_is_killed_mid_run() {
    let admin = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            eprintln!("skipped: the multi-node test needs PostgreSQL (set DATABASE_URL)");
            return;
        }
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = crate::support::app::create_pg_database(&admin).await;
    let blobs = ClusterBlobs::from_env().await;
    // `SIGNET_MULTINODE_KEEP_LOGS=1` keeps the nodes' logs after the run (the path is printed).
    let mut logs = tempfile::tempdir().unwrap();
    if std::env::var_os("SIGNET_MULTINODE_KEEP_LOGS").is_some() {
        logs.disable_cleanup(true);
        eprintln!("node logs: {}", logs.path().display());
    }
    let smtp = Arc::new(SmtpSink::start().await);
    let hooks = HttpSink::always_ok().await;
    let env = Env {
        cluster: cluster_env(&db.url, &smtp.url()),
        blobs: &blobs,
    };

    // Both nodes start at once on the empty database (migrations and instance keys race).
    let (mut a, mut b) = start_pair(&env, logs.path()).await;
    let (account_id, key, secret) = create_account(&env.node("admin")).await;
    let cluster = Cluster::new(vec![a.base.clone(), b.base.clone()], key.clone());
    set_pades_level(&cluster).await;
    let pool = PgPool::connect(&db.url).await.unwrap();
    let (reruns_done, reruns_seen) = tokio::sync::watch::channel(false);
    let driver = Arc::new(Driver {
        cluster: cluster.clone(),
        mailbox: Mailbox::follow(Arc::clone(&smtp), PUBLIC_URL.into()),
        hooks: hooks.url(""),
        public_url: PUBLIC_URL.into(),
        held_signers: Default::default(),
        reruns_done: reruns_seen,
        interrupted: Default::default(),
    });

    let started = Instant::now();
    let done = Arc::new(AtomicUsize::new(0));
    let crash = Crash {
        pool: &pool,
        driver: &driver,
        done: &done,
        env: &env,
        logs: logs.path(),
        reruns_done,
    };
    let (pushed, (held, mut b2)) = tokio::join!(
        push_all(Arc::clone(&driver), Arc::clone(&done)),
        crash.kill_and_restart(&mut b),
    );
    let signed_in = started.elapsed();
    let requests = wait_for_callbacks(&hooks, pushed.len()).await;
    wait_for_empty_queue(&pool).await;
    let elapsed = started.elapsed();

    let mails = check::invitations(&pool, &driver.mailbox, &pushed, &held).await;
    let interrupted = driver.interrupted.lock().unwrap().clone();
    let orphans = check::seals(&pool, &blobs, &pushed, (&held, &interrupted)).await;
    let callback_repeats = check::callbacks(&requests, &secret, &pushed);
    let reruns = check::queue(&pool, &held).await;
    check_logs_hold_no_secrets(&[&a, &b, &b2], &[&key, &secret]);
    for node in [&mut a, &mut b2] {
        let status = node.terminate(Duration::from_secs(30));
        assert!(
            status.success(),
            "node {} ended with {status} on SIGTERM",
            node.name
        );
    }
    report(&Figures {
        envelopes: pushed.len(),
        signers: pushed.iter().map(|p| p.emails.len()).sum(),
        signed_in,
        elapsed,
        held: &held,
        reruns,
        mails,
        callback_repeats,
        orphans: orphans.len(),
        failed_connections: cluster.failed_connections.load(Ordering::Relaxed),
        account_id,
        blobs: blobs.describe(),
    });
    pool.close().await;
    db.drop_database().await;
}

/// What a node's environment is made of.
struct Env<'a> {
    /// What every node (and the one-off `signet account create`) gets.
    cluster: Vec<(String, String)>,
    /// Where blobs go: a node's own data folder and the bucket, or the shared folder.
    blobs: &'a ClusterBlobs,
}

impl Env<'_> {
    /// The whole environment of the node called `name`.
    fn node(&self, name: &str) -> Vec<(String, String)> {
        let mut env = self.cluster.clone();
        env.extend(self.blobs.node_env(name));
        env
    }
}

/// The settings every node shares.
fn cluster_env(database_url: &str, smtp_url: &str) -> Vec<(String, String)> {
    use base64::Engine;
    let master_key =
        base64::engine::general_purpose::STANDARD.encode(signet_core::secret::random_bytes::<32>());
    [
        ("DATABASE_URL", database_url),
        ("SIGNET_MASTER_KEY", &master_key),
        ("SIGNET_LISTEN", "127.0.0.1:0"),
        ("SIGNET_PUBLIC_URL", PUBLIC_URL),
        ("SIGNET_SMTP_URL", smtp_url),
        ("SIGNET_SMTP_FROM", "signet@example.test"),
        // The operator's allow-list for the loopback callback receiver.
        ("SIGNET_ALLOW_PRIVATE_CALLBACKS", "true"),
        ("SIGNET_JOB_LEASE_SECS", &LEASE_SECS.to_string()),
        ("SIGNET_SOFFICE", "none"),
        // One client sends every request: per-credential and per-address limits would throttle
        // the test, not the cluster.
        ("SIGNET_RATE_API_PER_MIN", "0"),
        ("SIGNET_RATE_SIGNING_PER_MIN", "0"),
        ("SIGNET_LOG", "info"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn start_pair(env: &Env<'_>, logs: &Path) -> (Node, Node) {
    let start = |name: &'static str| {
        let (env, logs) = (env.node(name), logs.to_path_buf());
        tokio::task::spawn_blocking(move || Node::start(name, &env, &logs))
    };
    let (a, b) = tokio::join!(start("a"), start("b"));
    (a.unwrap(), b.unwrap())
}

/// `signet account create` against the cluster's database: (account id, API key, secret).
async fn create_account(env: &[(String, String)]) -> (String, String, String) {
    let env = env.to_vec();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_signet"))
            .args(["account", "create", "--name", "Multinode", "--email"])
            .arg("owner@example.test")
            .env_clear()
            .envs(env)
            .env(
                "SIGNET_ACCOUNT_PASSWORD",
                crate::support::app::TEST_PASSWORD,
            )
            .output()
            .expect("run signet account create")
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let created: Value = serde_json::from_slice(&output.stdout).unwrap();
    let text = |k: &str| created[k].as_str().unwrap().to_string();
    (text("account_id"), text("api_key"), text("webhook_secret"))
}

async fn set_pades_level(cluster: &Cluster) {
    let patch = cluster.api(Method::PATCH, "/api/v1/account");
    let body = json!({ "pades_level": PADES_LEVEL });
    let (status, account) = cluster.idempotent(&|c, b| patch(c, b).json(&body)).await;
    assert_eq!(
        (status, account["pades_level"].as_str()),
        (200, Some(PADES_LEVEL)),
        "{account}"
    );
}

/// Pushes every envelope, `IN_FLIGHT` at a time; counts finished ones in `done`.
async fn push_all(driver: Arc<Driver>, done: Arc<AtomicUsize>) -> Vec<Pushed> {
    futures::stream::iter(0..ENVELOPES)
        .map(|index| {
            let (driver, done) = (Arc::clone(&driver), Arc::clone(&done));
            async move {
                let signers = if index % TWO_SIGNERS_EVERY == 0 { 2 } else { 1 };
                let pushed = driver.push(index, signers).await;
                done.fetch_add(1, Ordering::Relaxed);
                pushed
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await
}

/// What the crash in the middle of the run needs.
struct Crash<'a> {
    pool: &'a PgPool,
    driver: &'a Driver,
    /// Envelopes pushed through so far.
    done: &'a AtomicUsize,
    env: &'a Env<'a>,
    logs: &'a Path,
    reruns_done: tokio::sync::watch::Sender<bool>,
}

impl Crash<'_> {
    /// Once half the envelopes are through, waits for `node` to hold an invitation job, lets
    /// it work on it for a random few milliseconds, kills it, notes what it held, routes
    /// around it and starts a new process in its place; then waits for the held jobs to run
    /// again elsewhere.
    async fn kill_and_restart(self, node: &mut Node) -> (Vec<HeldJob>, Node) {
        while self.done.load(Ordering::Relaxed) < ENVELOPES / 2 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let held = check::held_by(self.pool, &node.worker_id).await;
            if held.iter().any(|job| job.kind == "send_invitation") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "node {} never held an invitation",
                node.name
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let offset = u64::from(uuid::Uuid::new_v4().as_bytes()[0] % 40);
        tokio::time::sleep(Duration::from_millis(offset)).await;
        node.kill();
        self.driver.cluster.remove(&node.base);
        // Let PostgreSQL notice the closed connections (and roll back what they had open).
        tokio::time::sleep(Duration::from_millis(500)).await;
        let held = check::held_by(self.pool, &node.worker_id).await;
        assert!(!held.is_empty(), "the killed node held jobs");
        self.hold_signers_of(&held).await;
        let (env, logs) = (self.env.node("b2"), self.logs.to_path_buf());
        let restarted = tokio::task::spawn_blocking(move || Node::start("b2", &env, &logs))
            .await
            .unwrap();
        self.driver.cluster.add(&restarted.base);
        check::wait_until_done(self.pool, &held, DRAIN_TIMEOUT).await;
        self.reruns_done.send_replace(true);
        (held, restarted)
    }

    async fn hold_signers_of(&self, held: &[HeldJob]) {
        let emails = check::invited_emails(self.pool, held).await;
        self.driver.held_signers.write().unwrap().extend(emails);
    }
}

async fn wait_for_callbacks(
    hooks: &HttpSink,
    envelopes: usize,
) -> Vec<signet_testkit::http_sink::RecordedRequest> {
    let deadline = Instant::now() + DRAIN_TIMEOUT;
    loop {
        let requests = hooks.requests();
        let envelopes_called: std::collections::HashSet<&str> = requests
            .iter()
            .map(|r| r.path.split('?').next().unwrap_or_default())
            .collect();
        if envelopes_called.len() >= envelopes {
            return requests;
        }
        assert!(
            Instant::now() < deadline,
            "callbacks for {} of {envelopes} envelopes within {DRAIN_TIMEOUT:?}",
            envelopes_called.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn wait_for_empty_queue(pool: &PgPool) {
    let deadline = Instant::now() + DRAIN_TIMEOUT;
    loop {
        let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs WHERE status = 'pending'")
            .fetch_one(pool)
            .await
            .unwrap();
        if pending == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "{pending} jobs still pending");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The nodes' logs hold neither the API key nor the webhook secret.
fn check_logs_hold_no_secrets(nodes: &[&Node], secrets: &[&str]) {
    for node in nodes {
        let log = node.log_text();
        for secret in secrets {
            assert!(
                !log.contains(secret),
                "node {}'s log holds a secret",
                node.name
            );
        }
    }
}

/// What the run measured.
struct Figures<'a> {
    envelopes: usize,
    signers: usize,
    signed_in: Duration,
    elapsed: Duration,
    held: &'a [HeldJob],
    reruns: i64,
    mails: check::MailFigures,
    callback_repeats: usize,
    orphans: usize,
    failed_connections: usize,
    account_id: String,
    blobs: &'static str,
}

fn report(f: &Figures<'_>) {
    let mut held_kinds = std::collections::BTreeMap::new();
    for job in f.held {
        *held_kinds.entry(job.kind.as_str()).or_insert(0) += 1;
    }
    println!(
        "multinode: {} envelopes ({} signers) of account {}, blobs in {}, in {:.1} s ({:.1} envelopes/s; all signed after {:.1} s), PAdES {PADES_LEVEL}, lease {LEASE_SECS} s; \
         killed node held {held_kinds:?}; jobs with more than one attempt: {}; invitations sent twice: {}, invitations without their audit event: {}; repeated callbacks: {}; \
         orphan blobs: {}; requests whose connection failed: {}",
        f.envelopes,
        f.signers,
        f.account_id,
        f.blobs,
        f.elapsed.as_secs_f64(),
        f.envelopes as f64 / f.elapsed.as_secs_f64(),
        f.signed_in.as_secs_f64(),
        f.reruns,
        f.mails.duplicates,
        f.mails.unrecorded,
        f.callback_repeats,
        f.orphans,
        f.failed_connections,
    );
}
