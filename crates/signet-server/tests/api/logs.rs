//! Nothing secret reaches the server log. Every test's secrets are checked when its app goes
//! away (`support::secrets`); this test provokes the log lines most likely to carry one: failed
//! authentication with a wrong but well-formed key, an invitation e-mail, a 5xx inside a route
//! whose path holds a signing token, and a signed callback.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::support::TestApp;
use crate::support::app::{token_of, typed_signing};
use crate::support::fixtures::contract_pdf;
use crate::support::{logs, secrets};

#[tokio::test]
async fn secrets_never_reach_the_server_log_even_when_requests_fail() {
    let app = TestApp::spawn().await;
    let account = app.account("Logged").await;
    let key = &account.api_key;
    failed_logins_are_answered(&app, key).await;

    let body = json!({"title": "Logged", "signing_order": "parallel", "callback_url": app.hooks.url("/logged")});
    let (id, document) = app.draft_with_contract(key, body).await;
    for (name, invitation) in [("Mailed", "email"), ("Linked", "link")] {
        let signer = json!({"name": name, "email": format!("{name}@example.test"), "invitation": invitation,
            "fields": [{"type": "signature", "tag": "signature_1"}]});
        let (status, body) = app
            .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &signer)
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, sent) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200, "{sent}");
    app.run_jobs_until_idle().await;
    let link = sent["signers"][1]["sign_url"].as_str().unwrap().to_string();
    let mailed = mailed_token(&app);

    let token = token_of(&link).to_string();
    let page = app
        .client
        .get(app.url(&format!("/s/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let request_id =
        server_error_in_a_token_route(&app, &token, document["id"].as_str().unwrap()).await;
    secrets::assert_none_logged();
    let lines = logs::lines_with(&request_id);
    assert!(
        lines.iter().any(|l| l.contains("request failed")
            && l.contains("route=/api/v1/signing/{token}/documents/{document_id}")),
        "the 5xx is logged with its request span, naming the route template: {lines:#?}"
    );

    for url in [link, format!("/s/{mailed}")] {
        let (status, body) = app.signer_post(&url, "complete", &typed_signing()).await;
        assert_eq!(status, 200, "{body}");
    }
    app.run_jobs_until_idle().await;
    let callbacks = app
        .hooks
        .wait_for(1, std::time::Duration::from_secs(10))
        .await
        .unwrap();
    assert!(callbacks[0].header("webhook-signature").is_some());
    secrets::assert_none_logged();
    app.finish().await;
}

/// A key in the right format with a valid checksum that no account has, and the account's own
/// key with one character changed: both 401, neither logged.
async fn failed_logins_are_answered(app: &TestApp, key: &str) {
    let unknown = signet_core::secret::api_key::generate().text;
    let mut mistyped = key.to_string();
    let last = if mistyped.ends_with('A') { "B" } else { "A" };
    mistyped.replace_range(mistyped.len() - 1.., last);
    for wrong in [unknown, mistyped] {
        secrets::remember_as("API key", &wrong);
        let (status, body) = app.get_json(&wrong, "/api/v1/envelopes").await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("unauthenticated"))
        );
    }
}

/// The e-mailed signer's token, from the invitation the SMTP sink received.
fn mailed_token(app: &TestApp) -> String {
    let mails = app.smtp.messages();
    let text = mails
        .iter()
        .filter_map(|m| m.text_body())
        .find(|body| body.contains("/s/"))
        .expect("an invitation with a signing link");
    secrets::remember_links_in(&text);
    let start = text.find("/s/").unwrap() + 3;
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Damages the stored original, asks for it through the signing API (a 500 `integrity_error`,
/// logged inside the request's span), restores it; returns the request id.
async fn server_error_in_a_token_route(app: &TestApp, token: &str, document: &str) -> String {
    let blob = stored_copy_of(&app.data_path().join("blobs"), &contract_pdf())
        .expect("the stored original");
    let original = std::fs::read(&blob).unwrap();
    let mut damaged = original.clone();
    damaged[original.len() / 2] ^= 0x55;
    std::fs::write(&blob, &damaged).unwrap();
    let response = app
        .client
        .get(app.url(&format!("/api/v1/signing/{token}/documents/{document}")))
        .send()
        .await
        .unwrap();
    std::fs::write(&blob, &original).unwrap();
    assert_eq!(response.status(), 500);
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "integrity_error", "{body}");
    id
}

fn stored_copy_of(dir: &Path, bytes: &[u8]) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = stored_copy_of(&path, bytes) {
                return Some(found);
            }
        } else if std::fs::read(&path).is_ok_and(|b| b == bytes) {
            return Some(path);
        }
    }
    None
}
