//! The independent client: `client.py` (authlib + requests) drives every flow against the
//! running server. Python comes from `SIGNET_PYTHON`, else the workspace's `.venv` (made by
//! `scripts/test`); a missing interpreter or library fails the test.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::*;
use crate::support::TestApp;

fn python() -> PathBuf {
    if let Ok(path) = std::env::var("SIGNET_PYTHON") {
        return PathBuf::from(path);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python")
}

#[tokio::test]
async fn an_independent_oauth2_client_completes_every_flow() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(
        &app,
        &account,
        json!({"name": "authlib", "scope": "read write"}),
    )
    .await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/oauth/client.py");
    let python = python();
    let args = [
        app.base.clone(),
        client_id,
        secret,
        account.email.clone(),
        TEST_PASSWORD.to_string(),
        REDIRECT.to_string(),
    ];
    // Off the test's runtime thread, which also serves the requests the script makes.
    let program = python.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(program)
            .arg(script)
            .args(args)
            .output()
    })
    .await
    .unwrap()
    .unwrap_or_else(|err| {
        panic!(
            "cannot run {} ({err}); run ./scripts/test, which creates .venv with authlib",
            python.display()
        )
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "client.py failed:\n{stdout}\n{stderr}"
    );
    assert_eq!(stdout.trim(), "OK");
    app.finish().await;
}
