//! `signet backup` and `signet restore`: a backup taken while envelopes are being created and
//! signed restores into a new data folder on which a server starts, every sealed document in it
//! verifies and every audit chain holds; a damaged archive or an occupied folder is refused;
//! PostgreSQL deployments are pointed at pg_dump.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::TestApp;
use crate::support::app::typed_signing;

fn signet(data: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_signet"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SIGNET_DATA_DIR", data)
        .env("SIGNET_LOG", "warn")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Creates, signs and seals `count` one-signer envelopes, one after the other.
async fn sign_envelopes(app: &TestApp, key: &str, count: usize) {
    for _ in 0..count {
        let (_, urls) = app.sent_envelope(key, "parallel", 1).await;
        let (status, body) = app
            .signer_post(&urls[0], "complete", &typed_signing())
            .await;
        assert_eq!(status, 200, "{body}");
        app.run_jobs_until_idle().await;
    }
}

#[tokio::test]
async fn a_backup_taken_under_load_restores_and_every_sealed_document_verifies() {
    let app = TestApp::spawn().await;
    if app.database_url.starts_with("postgres") {
        return app.finish().await; // see backup_refuses_postgresql
    }
    let account = app.account("Backup Corp").await;
    let key = account.api_key.clone();
    sign_envelopes(&app, &key, 2).await;
    let archive = tempfile::tempdir().unwrap();
    let out = archive.path().join("signet.tar");
    let data = app.data_path();
    let backup = {
        let out = out.clone();
        tokio::task::spawn_blocking(move || {
            signet(&data, &["backup", "--out", out.to_str().unwrap()])
        })
    };
    let ((), backup) = tokio::join!(sign_envelopes(&app, &key, 4), backup);
    let backup = backup.unwrap();
    assert!(backup.status.success(), "{}", stderr(&backup));
    let summary: Value = serde_json::from_slice(&backup.stdout).unwrap();
    assert!(summary["blobs"].as_u64().unwrap() >= 4, "{summary}");

    let target = tempfile::tempdir().unwrap();
    let restore = |force: bool| {
        let mut args = vec!["restore", "--from", out.to_str().unwrap()];
        args.extend(["--data", target.path().to_str().unwrap()]);
        if force {
            args.push("--force");
        }
        signet(target.path(), &args)
    };
    let restored = restore(false);
    assert!(restored.status.success(), "{}", stderr(&restored));
    let again = restore(false);
    assert!(
        !again.status.success() && stderr(&again).contains("not empty"),
        "{}",
        stderr(&again)
    );
    assert!(restore(true).status.success());

    let copy = TestApp::spawn_with(|config| config.data_dir = target.path().to_path_buf()).await;
    let (status, list) = copy
        .get_json(&key, "/api/v1/envelopes?status=completed&limit=100")
        .await;
    assert_eq!(status, 200, "{list}");
    let completed = list["data"].as_array().unwrap();
    assert!(
        completed.len() >= 2,
        "the envelopes sealed before the backup: {list}"
    );
    for envelope in completed {
        let id = envelope["id"].as_str().unwrap();
        let (status, pdf) = copy
            .get_bytes(&key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
            .await;
        assert_eq!(status, 200, "{id}");
        let (status, report) = copy.post_pdf(&key, "/api/v1/verify", pdf).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["verdict"], "valid", "{id}: {report:#}");
    }
    let chains = signet(
        target.path(),
        &["verify-chain", "--account", &account.account_id],
    );
    assert!(chains.status.success(), "{}", stderr(&chains));
    copy.run_jobs_until_idle().await;
    copy.finish().await;
    app.finish().await;
}

#[tokio::test]
async fn restore_refuses_an_archive_whose_hashes_do_not_match() {
    let app = TestApp::spawn().await;
    if app.database_url.starts_with("postgres") {
        return app.finish().await;
    }
    let account = app.account("Tamper Corp").await;
    sign_envelopes(&app, &account.api_key, 1).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("signet.tar");
    let backup = signet(
        &app.data_path(),
        &["backup", "--out", out.to_str().unwrap()],
    );
    assert!(backup.status.success(), "{}", stderr(&backup));
    let mut bytes = std::fs::read(&out).unwrap();
    let eof = bytes
        .windows(5)
        .position(|w| w == b"%%EOF")
        .expect("a PDF blob");
    bytes[eof] ^= 0x20;
    std::fs::write(&out, bytes).unwrap();
    let target = dir.path().join("restored");
    let restored = signet(
        &target,
        &[
            "restore",
            "--from",
            out.to_str().unwrap(),
            "--data",
            target.to_str().unwrap(),
        ],
    );
    assert!(!restored.status.success());
    assert!(
        stderr(&restored).contains("does not match the manifest"),
        "{}",
        stderr(&restored)
    );
    assert!(
        !target.join("signet.db").exists(),
        "nothing was moved into place"
    );
    app.finish().await;
}

#[tokio::test]
async fn backup_refuses_postgresql_and_points_at_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.tar");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_signet"))
        .env_clear()
        .env("SIGNET_DATA_DIR", dir.path())
        .env("DATABASE_URL", "postgres://signet@127.0.0.1:1/signet")
        .args(["backup", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(stderr(&output).contains("pg_dump"), "{}", stderr(&output));
    assert!(!out.exists());
}
