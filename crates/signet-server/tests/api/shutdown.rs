//! Graceful shutdown of the real binary: on SIGTERM `signet serve` stops accepting, gives the
//! job in hand its grace period, then releases its lease and exits 0, leaving nothing leased.
//! On its own SQLite file, or on a fresh PostgreSQL database when `DATABASE_URL` is set.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::support::app::{PgTestDb, create_pg_database};
use crate::support::fixtures::contract_pdf;

/// The binary's database.
enum Database {
    /// `signet.db` in its data folder (the default).
    Sqlite,
    /// A fresh database on the PostgreSQL server of `DATABASE_URL`.
    Postgres(PgTestDb),
}

impl Database {
    async fn from_env() -> Database {
        match std::env::var("DATABASE_URL") {
            Ok(url) if !url.is_empty() => Database::Postgres(create_pg_database(&url).await),
            _ => Database::Sqlite,
        }
    }

    /// `(kind, status, locked_by, attempts)` of every job.
    async fn jobs(&self, data: &std::path::Path) -> Vec<(String, String, Option<String>, i64)> {
        const SQL: &str = "SELECT kind, status, locked_by, attempts FROM jobs";
        match self {
            Database::Sqlite => {
                let url = format!("sqlite://{}", data.join("signet.db").display());
                let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
                    .await
                    .unwrap();
                sqlx::query_as(SQL).fetch_all(&mut conn).await.unwrap()
            }
            Database::Postgres(db) => {
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&db.url)
                    .await
                    .unwrap();
                sqlx::query_as(SQL).fetch_all(&mut conn).await.unwrap()
            }
        }
    }
}

fn signet(data: &std::path::Path, database: &Database, smtp: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_signet"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SIGNET_DATA_DIR", data)
        .env("SIGNET_SMTP_URL", smtp)
        .env("SIGNET_SHUTDOWN_GRACE_SECS", "2")
        .env("SIGNET_LOG", "warn");
    if let Database::Postgres(db) = database {
        command.env("DATABASE_URL", &db.url);
    }
    command
}

/// The server process, killed if a failing test leaves it running.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `/healthz` until the process answers (start-up, not business time).
async fn wait_until_up(client: &reqwest::Client, base: &str, child: &mut Child) {
    for _ in 0..300 {
        if let Ok(response) = client.get(format!("{base}/healthz")).send().await
            && response.status() == 200
        {
            return;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "signet serve exited early"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("signet serve did not come up");
}

async fn send_envelope(client: &reqwest::Client, base: &str, key: &str) {
    let auth = format!("Bearer {key}");
    let created: Value = client
        .post(format!("{base}/api/v1/envelopes"))
        .header("authorization", &auth)
        .json(&json!({"title": "Slow mail"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let part = reqwest::multipart::Part::bytes(contract_pdf()).file_name("contract.pdf");
    let form = reqwest::multipart::Form::new().part("file", part);
    let steps = [
        client
            .post(format!("{base}/api/v1/envelopes/{id}/documents"))
            .multipart(form),
        client
            .post(format!("{base}/api/v1/envelopes/{id}/signers"))
            .json(&json!({"name": "Ada", "email": "ada@example.test",
                "fields": [{"type": "signature", "tag": "signature_1"}]})),
        client
            .post(format!("{base}/api/v1/envelopes/{id}/send"))
            .json(&json!({})),
    ];
    for step in steps {
        let response = step.header("authorization", &auth).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "{}",
            response.text().await.unwrap()
        );
    }
}

#[tokio::test]
async fn sigterm_releases_the_job_in_hand_and_exits_zero() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let database = Database::from_env().await;
    let data = tempfile::tempdir().unwrap();
    // An SMTP server that accepts and never greets: the invitation job hangs in hand.
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let smtp = format!("smtp://{}", silent.local_addr().unwrap());
    let created = signet(data.path(), &database, &smtp)
        .args([
            "account",
            "create",
            "--name",
            "Shutdown",
            "--email",
            "op@example.test",
        ])
        .env("SIGNET_ACCOUNT_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let key = serde_json::from_slice::<Value>(&created.stdout).unwrap()["api_key"]
        .as_str()
        .unwrap()
        .to_string();
    crate::support::secrets::remember_as("api key", &key);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = KillOnDrop(
        signet(data.path(), &database, &smtp)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let server = &mut server.0;
    let client = reqwest::Client::new();
    wait_until_up(&client, &base, server).await;
    send_envelope(&client, &base, &key).await;
    let (_connection, _) = tokio::time::timeout(Duration::from_secs(30), silent.accept())
        .await
        .expect("the worker picked up the invitation")
        .unwrap();

    let started = std::time::Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no exit after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
    assert!(
        client.get(format!("{base}/healthz")).send().await.is_err(),
        "still accepting"
    );

    let rows = database.jobs(data.path()).await;
    assert!(
        rows.iter().all(|row| row.2.is_none()),
        "a lease is left: {rows:?}"
    );
    let invitation = rows.iter().find(|row| row.0 == "send_invitation").unwrap();
    assert_eq!(invitation.1, "pending", "{rows:?}");
    assert_eq!(invitation.3, 0, "the interrupted attempt is not counted");
    if let Database::Postgres(db) = &database {
        db.drop_database().await;
    }
}
