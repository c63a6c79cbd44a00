//! The document's six request examples (reactivate a document, reactivate a package; each in
//! curl, Python and Node.js), replayed with their bodies and headers as printed, and the
//! Python snippet run as a script.

use std::path::{Path, PathBuf};

use super::*;

/// The bodies as each example serializes them: curl's `--data-raw` as printed, Python's
/// `json.dumps`, Node's `JSON.stringify`.
fn bodies(field: &str, value: &str) -> [(&'static str, String); 3] {
    [
        (
            "curl",
            format!("{{\n\"{field}\": \"{value}\",\n\"email\": \"manager@auco.ai\"\n}}"),
        ),
        (
            "python",
            format!("{{\"{field}\": \"{value}\", \"email\": \"manager@auco.ai\"}}"),
        ),
        (
            "node",
            format!("{{\"{field}\":\"{value}\",\"email\":\"manager@auco.ai\"}}"),
        ),
    ]
}

#[tokio::test]
async fn every_reactivate_a_document_example_answers_the_documented_body() {
    let app = TestApp::spawn().await;
    let key = app.account("Auco").await.api_key;
    for example in ["curl", "python", "node"] {
        let code = rejected_document(&app, &key).await;
        let (_, body) = bodies("code", &code)
            .into_iter()
            .find(|(name, _)| *name == example)
            .unwrap();
        let (status, answer) = auco(
            &app,
            reqwest::Method::PUT,
            Some(&key),
            "/document/reactivate",
            Some(&body),
        )
        .await;
        assert_eq!(status, 200, "{example}: {answer}");
        assert_eq!(answer, notified(&[JUAN.0, MARIA.0]), "{example}");
        assert_eq!(answer["notifications"].as_u64(), Some(2), "a number");
        let shown = process(&app, &key, &format!("code={code}")).await;
        assert_eq!(shown["status"], "PROCESS", "{example}");
        app.smtp.clear();
        app.run_jobs_until_idle().await;
        let mut to: Vec<_> = app
            .smtp
            .messages()
            .iter()
            .map(|m| m.recipients[0].clone())
            .collect();
        to.sort();
        assert_eq!(to, [JUAN.1, MARIA.1], "{example}: both were notified");
        app.smtp.clear();
    }
    app.finish().await;
}

#[tokio::test]
async fn every_reactivate_a_package_example_answers_the_documented_body() {
    let app = TestApp::spawn().await;
    let key = app.account("Auco").await.api_key;
    for example in ["curl", "python", "node"] {
        let package = upload_package(&app, &key).await;
        let shown = process(&app, &key, &format!("package={package}")).await;
        assert_eq!(shown["package"], package.as_str());
        assert_eq!(shown["documents"].as_array().unwrap().len(), 2);
        juan_declines(&app).await;
        app.smtp.clear();
        let (_, body) = bodies("package", &package)
            .into_iter()
            .find(|(name, _)| *name == example)
            .unwrap();
        let (status, answer) = auco(
            &app,
            reqwest::Method::PUT,
            Some(&key),
            "/document/reactivate",
            Some(&body),
        )
        .await;
        assert_eq!(status, 200, "{example}: {answer}");
        assert_eq!(answer, notified(&[JUAN.0, MARIA.0]), "{example}");
        assert_eq!(
            process(&app, &key, &format!("package={package}")).await["status"],
            "PROCESS"
        );
        app.run_jobs_until_idle().await;
        app.smtp.clear();
    }
    app.finish().await;
}

fn python() -> PathBuf {
    if let Ok(path) = std::env::var("SIGNET_PYTHON") {
        return PathBuf::from(path);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python")
}

/// Runs `reactivate.py` (the document's Python snippets) and returns what it printed.
async fn run_snippet(app: &TestApp, key: &str, which: &str, code: &str) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/dialect/auco/reactivate.py");
    let args = [
        app.url(BASE),
        key.to_string(),
        which.to_string(),
        code.to_string(),
    ];
    let program = python();
    // Off the test's runtime thread, which also serves the requests the script makes.
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(&program)
            .arg(script)
            .args(args)
            .output()
    })
    .await
    .unwrap()
    .unwrap_or_else(|err| {
        panic!(
            "cannot run {} ({err}); set SIGNET_PYTHON",
            python().display()
        )
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "reactivate.py failed: {stderr}");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

#[tokio::test]
async fn the_python_snippets_run_as_scripts_reactivate_a_document_and_a_package() {
    let app = TestApp::spawn().await;
    let key = app.account("Auco").await.api_key;
    let code = rejected_document(&app, &key).await;
    let printed = run_snippet(&app, &key, "document", &code).await;
    let answer: Value = serde_json::from_str(&printed).expect("the script prints the JSON body");
    assert_eq!(answer, notified(&[JUAN.0, MARIA.0]));
    app.run_jobs_until_idle().await;
    app.smtp.clear();

    let package = upload_package(&app, &key).await;
    juan_declines(&app).await;
    let printed = run_snippet(&app, &key, "package", &package).await;
    let answer: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(answer, notified(&[JUAN.0, MARIA.0]));

    // Run again, the process is in progress: the documented 400, printed as the body.
    let printed = run_snippet(&app, &key, "package", &package).await;
    let answer: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(answer["code"], "NOT_REACTIVATABLE", "{answer}");
    app.run_jobs_until_idle().await;
    app.finish().await;
}
