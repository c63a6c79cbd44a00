//! Account webhook endpoints: the API (`crud`), and deliveries checked by an independent
//! Standard Webhooks implementation, retried on the test clock, never redirected (`delivery`).

mod crud;
mod delivery;

use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::{Value, json};
use signet_testkit::http_sink::RecordedRequest;

use crate::support::TestApp;
use crate::support::app::bearer;
use crate::support::secrets;

/// Creates an endpoint; returns its id and secret (remembered, so a logged secret fails the test).
async fn create_hook(app: &TestApp, key: &str, url: &str, types: Value) -> (String, String) {
    let body = json!({"url": url, "description": "test receiver", "event_types": types});
    let (status, reply) = app.post_json(key, "/api/v1/webhooks", &body).await;
    assert_eq!(status, 201, "{reply}");
    let secret = reply["secret"].as_str().unwrap().to_string();
    secrets::remember_as("webhook secret", &secret);
    (reply["id"].as_str().unwrap().to_string(), secret)
}

/// `DELETE path`; returns the status and body.
async fn delete(app: &TestApp, key: &str, path: &str) -> (u16, String) {
    let response = app
        .client
        .delete(app.url(path))
        .header(reqwest::header::AUTHORIZATION, bearer(key))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The endpoint's deliveries (newest first).
async fn deliveries(app: &TestApp, key: &str, hook: &str) -> Vec<Value> {
    let (status, list) = app
        .get_json(key, &format!("/api/v1/webhooks/{hook}/deliveries"))
        .await;
    assert_eq!(status, 200, "{list}");
    list["data"].as_array().unwrap().clone()
}

fn python() -> PathBuf {
    if let Ok(path) = std::env::var("SIGNET_PYTHON") {
        return PathBuf::from(path);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python")
}

/// Verifies each request with its secret through `verify.py` (PyPI `standardwebhooks`), which
/// also proves that a changed body byte fails.
async fn verify_independently(cases: &[(&str, &RecordedRequest)]) {
    let input: Vec<Value> = cases
        .iter()
        .map(|(secret, request)| {
            let headers: serde_json::Map<String, Value> =
                ["webhook-id", "webhook-timestamp", "webhook-signature"]
                    .iter()
                    .map(|name| (name.to_string(), json!(request.header(name).unwrap())))
                    .collect();
            json!({
                "secret": secret,
                "headers": headers,
                "body": base64::engine::general_purpose::STANDARD.encode(&request.body),
            })
        })
        .collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/webhooks/verify.py");
    let python = python();
    let output = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = std::process::Command::new(&python)
            .arg(script)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| {
                panic!(
                    "cannot run {} ({err}); run ./scripts/test",
                    python.display()
                )
            });
        let input = serde_json::to_vec(&input).unwrap();
        child.stdin.take().unwrap().write_all(&input).unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "verify.py failed:\n{stdout}\n{stderr}"
    );
    assert_eq!(stdout.trim(), "OK");
}
