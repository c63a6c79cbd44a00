//! The document's full code example, kept verbatim in `full_example.py`, run as a Python
//! script against the real server with only `LOGIN`, `PASSWORD`, `cloud_url`, `file_id` and
//! the signee's e-mail substituted. Python and `requests` come from `SIGNET_PYTHON`, else the
//! workspace's `.venv`; a missing interpreter fails the test.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::*;
use crate::support::TestApp;
use crate::support::app::{TEST_PASSWORD, link_in};

fn python() -> PathBuf {
    if let Ok(path) = std::env::var("SIGNET_PYTHON") {
        return PathBuf::from(path);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python")
}

/// The example with the five values a user changes replaced (each must be found once).
fn example_for(login: &str, password: &str, cloud_url: &str, file_id: &str, email: &str) -> String {
    let source = include_str!("full_example.py");
    let replacements = [
        ("LOGIN = '<your login>'", format!("LOGIN = '{login}'")),
        (
            "PASSWORD = '<your password>'",
            format!("PASSWORD = '{password}'"),
        ),
        (
            "cloud_url = 'https://cloud.acronis.com'",
            format!("cloud_url = '{cloud_url}'"),
        ),
        (
            "file_id = 'aa95bac7-33fd-4faa-9fa1-f4baeaca82cd'",
            format!("file_id = '{file_id}'"),
        ),
        ("== 'john.smith@example.com'", format!("== '{email}'")),
    ];
    replacements
        .iter()
        .fold(source.to_string(), |text, (from, to)| {
            assert_eq!(text.matches(from).count(), 1, "{from} once in the example");
            text.replace(from, to)
        })
}

async fn run(script: String) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("example.py");
    std::fs::write(&path, script).unwrap();
    let program = python();
    // Off the test's runtime thread, which also serves the script's requests.
    tokio::task::spawn_blocking(move || {
        let output = std::process::Command::new(&program).arg(&path).output();
        drop(dir);
        output.unwrap_or_else(|err| panic!("cannot run {} ({err})", program.display()))
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn the_documents_full_python_example_resends_the_signature_request() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let auth = token_of(&app, &account.email).await;
    let signees = json!(["signee@example.test", "other@example.test"]);
    let (file_id, _) = sent_document(&app, &auth, signees).await;
    let before = app.smtp.messages();

    let script = example_for(
        &account.email,
        TEST_PASSWORD,
        &app.url("/acronis"),
        &file_id,
        "signee@example.test",
    );
    let output = run(script).await;
    assert!(
        output.status.success(),
        "the example failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    app.run_jobs_until_idle().await;
    let mails = app.smtp.messages();
    assert_eq!(mails.len(), before.len() + 1, "the resend is one e-mail");
    let resent = mails.last().unwrap();
    assert_eq!(resent.recipients, ["signee@example.test"]);
    let link = link_in(&resent.text_body().unwrap(), &app.base);
    let (status, _) = app.signer_get(&link).await;
    assert_eq!(status, 200, "with the working link");

    // The same script with an address that is no signee fails (signee_id stays None).
    let script = example_for(
        &account.email,
        TEST_PASSWORD,
        &app.url("/acronis"),
        &file_id,
        "stranger@example.test",
    );
    let output = run(script).await;
    assert!(!output.status.success(), "raise_for_status on the 404");
    app.finish().await;
}
