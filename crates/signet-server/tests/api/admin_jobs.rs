//! Job administration: an account's owners and admins see only their own jobs and re-queue a
//! dead one; members may not; the operator's `signet jobs retry` does the same instance-wide.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::credential::{create_user, personal_token_of};

/// Sends a one-signer envelope whose signer is invited by e-mail; returns its id.
pub(crate) async fn mailed_envelope(app: &TestApp, key: &str) -> String {
    let (id, _) = app
        .draft_with_contract(key, json!({"title": "Mailed"}))
        .await;
    let body = json!({"name": "Mia", "email": "mia@example.test",
        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let (status, body) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &body)
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    id
}

/// An envelope whose invitation the SMTP server refused for good: its job is dead.
async fn dead_invitation(app: &TestApp, key: &str) -> String {
    app.smtp.set_reject_recipients(true);
    let envelope = mailed_envelope(app, key).await;
    app.run_jobs_until_idle().await;
    app.smtp.set_reject_recipients(false);
    envelope
}

async fn jobs(app: &TestApp, key: &str, query: &str) -> Vec<Value> {
    let (status, body) = app
        .get_json(key, &format!("/api/v1/admin/jobs{query}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn admins_list_and_retry_only_their_accounts_dead_jobs() {
    let app = TestApp::spawn().await;
    let a = app.account("Alpha Jobs").await;
    let b = app.account("Beta Jobs").await;
    let envelope = dead_invitation(&app, &a.api_key).await;
    let dead = jobs(&app, &a.api_key, "?status=dead").await;
    assert_eq!(dead.len(), 1, "{dead:?}");
    let job = &dead[0];
    assert_eq!(job["kind"], "send_invitation");
    assert_eq!(job["envelope_id"], envelope.as_str());
    assert!(!job["last_error"].as_str().unwrap().is_empty(), "{job}");
    let id = job["id"].as_str().unwrap().to_string();
    assert_eq!(
        jobs(&app, &a.api_key, "?kind=seal_envelope").await,
        Vec::<Value>::new()
    );

    assert!(
        jobs(&app, &b.api_key, "").await.is_empty(),
        "B sees A's jobs"
    );
    let retry = format!("/api/v1/admin/jobs/{id}/retry");
    let (status, body) = app.post_json(&b.api_key, &retry, &json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let member = create_user(&app, &a.api_key, "member").await;
    let member = personal_token_of(&app, &a.account_id, &member).await;
    let (status, _) = app.get_json(&member, "/api/v1/admin/jobs").await;
    assert_eq!(status, 403);

    let (status, body) = app.post_json(&a.api_key, &retry, &json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["status"].as_str(), body["attempts"].as_i64()),
        (Some("pending"), Some(0))
    );
    let (status, body) = app.post_json(&a.api_key, &retry, &json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("job_not_dead"))
    );
    app.run_jobs_until_idle().await;
    assert_eq!(
        app.smtp.messages().len(),
        1,
        "the retried invitation went out"
    );
    let done = jobs(&app, &a.api_key, "?status=done&kind=send_invitation").await;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0]["id"], id.as_str());
    let (status, body) = app.get_json(&a.api_key, "/api/v1/admin/jobs?limit=0").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_limit"))
    );
    let (status, _) = app
        .get_json(&a.api_key, "/api/v1/admin/jobs?status=lost")
        .await;
    assert_eq!(status, 400);
    app.finish().await;
}

#[tokio::test]
async fn the_operator_lists_and_retries_dead_jobs_of_any_account() {
    let app = TestApp::spawn().await;
    let a = app.account("Gamma Jobs").await;
    dead_invitation(&app, &a.api_key).await;
    let cli = |args: &[&str]| {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        crate::trust::signet_cli(&app, &args)
    };
    let listed = cli(&["jobs", "list", "--dead"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let line: Value =
        serde_json::from_slice(listed.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let id = line["id"].as_str().unwrap().to_string();
    let retried = cli(&["jobs", "retry", &id]);
    assert!(
        retried.status.success(),
        "{}",
        String::from_utf8_lossy(&retried.stderr)
    );
    let line: Value = serde_json::from_slice(&retried.stdout).unwrap();
    assert_eq!(line["status"], "pending");
    let again = cli(&["jobs", "retry", &id]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("only a dead job"));
    // The command's "now" is the wall clock, a little ahead of the test's clock.
    app.clock.advance(time::Duration::minutes(1));
    app.run_jobs_until_idle().await;
    assert_eq!(app.smtp.messages().len(), 1);
    app.finish().await;
}
