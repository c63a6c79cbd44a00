//! Deliveries: signed per Standard Webhooks and checked by the PyPI `standardwebhooks` package,
//! two signatures during a secret rotation, retries on the webhook schedule (moved by the test
//! clock) until the job dies after about three days, resend, redirects not followed, and a 410
//! disabling the endpoint.

use std::collections::HashSet;

use serde_json::{Value, json};
use signet_core::model::{Job, JobStatus};
use signet_core::usecase::job::standard_webhook_headers;
use signet_testkit::http_sink::{HttpSink, RecordedRequest, SinkResponse};

use super::{create_hook, deliveries, verify_independently};
use crate::support::TestApp;
use crate::support::secrets;

/// Requests the sink got on `path`.
fn at(sink: &HttpSink, path: &str) -> Vec<RecordedRequest> {
    sink.requests()
        .into_iter()
        .filter(|r| r.path == path)
        .collect()
}

/// The pending `deliver_webhook` jobs.
async fn webhook_jobs(app: &TestApp, status: JobStatus) -> Vec<Job> {
    let jobs = app
        .app
        .signet
        .store()
        .list_jobs(Some(status), 100)
        .await
        .unwrap();
    jobs.into_iter()
        .filter(|j| j.payload.kind() == "deliver_webhook")
        .collect()
}

async fn delivery_detail(app: &TestApp, key: &str, hook: &str, id: &str) -> Value {
    let path = format!("/api/v1/webhooks/{hook}/deliveries/{id}");
    let (status, detail) = app.get_json(key, &path).await;
    assert_eq!(status, 200, "{detail}");
    detail
}

#[tokio::test]
async fn deliveries_carry_standard_webhook_signatures_an_independent_library_accepts() {
    let app = TestApp::spawn().await;
    let key = app.account("Signed").await.api_key;
    let (hook, secret) = create_hook(&app, &key, &app.hooks.url("/signed"), json!(["*"])).await;
    let envelope = app.completed_envelope(&key).await;

    let received = at(&app.hooks, "/signed");
    let types: Vec<String> = received
        .iter()
        .map(|r| r.json().unwrap()["type"].as_str().unwrap().to_string())
        .collect();
    for wanted in ["envelope.sent", "envelope.signed", "envelope.completed"] {
        assert!(
            types.iter().any(|t| t == wanted),
            "{wanted} missing from {types:?}"
        );
    }
    let mut ids = HashSet::new();
    for request in &received {
        let body = request.json().unwrap();
        assert_eq!(body["data"]["envelope_id"], json!(envelope), "{body}");
        assert!(body["timestamp"].as_str().is_some(), "{body}");
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert!(ids.insert(request.header("webhook-id").unwrap().to_string()));
    }
    let cases: Vec<(&str, &RecordedRequest)> =
        received.iter().map(|r| (secret.as_str(), r)).collect();
    verify_independently(&cases).await;

    // The log: one delivery per request, its id the `webhook-id`, one successful attempt.
    let listed = deliveries(&app, &key, &hook).await;
    let listed_ids: HashSet<String> = listed
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed_ids, ids);
    for delivery in &listed {
        assert_eq!(
            (&delivery["status"], &delivery["attempts"]),
            (&json!("succeeded"), &json!(1))
        );
        let detail = delivery_detail(&app, &key, &hook, delivery["id"].as_str().unwrap()).await;
        let log = detail["attempt_log"].as_array().unwrap();
        assert_eq!(log.len(), 1, "{detail}");
        assert_eq!(log[0]["status_code"], json!(200));
        assert!(log[0]["duration_ms"].as_i64().unwrap() >= 0);
        assert!(log[0]["error"].is_null());
    }
    app.finish().await;
}

#[tokio::test]
async fn both_secrets_sign_during_a_rotation_and_only_the_new_one_after() {
    let app = TestApp::spawn().await;
    let key = app.account("Rotating").await.api_key;
    let url = app.hooks.url("/rotating");
    let (hook, old) = create_hook(&app, &key, &url, json!(["envelope.sent"])).await;
    let path = format!("/api/v1/webhooks/{hook}/secret/rotate");
    let (status, rotated) = app
        .post_json(&key, &path, &json!({"grace_period_seconds": 3600}))
        .await;
    assert_eq!(status, 200, "{rotated}");
    let new = rotated["secret"].as_str().unwrap().to_string();
    secrets::remember_as("webhook secret", &new);
    assert!(new.starts_with("whsec_") && new != old);
    assert!(
        rotated["previous_secret_expires_at"].is_string(),
        "{rotated}"
    );

    app.sent_envelope(&key, "parallel", 1).await;
    app.run_jobs_until_idle().await;
    let during = at(&app.hooks, "/rotating");
    assert_eq!(during.len(), 1);
    let signatures: Vec<&str> = during[0]
        .header("webhook-signature")
        .unwrap()
        .split(' ')
        .collect();
    assert_eq!(signatures.len(), 2, "{signatures:?}");
    assert!(signatures.iter().all(|s| s.starts_with("v1,")));
    // Each secret alone verifies the delivery: a receiver on either one keeps working.
    verify_independently(&[(old.as_str(), &during[0]), (new.as_str(), &during[0])]).await;

    app.clock.advance(time::Duration::hours(2));
    app.sent_envelope(&key, "parallel", 1).await;
    app.run_jobs_until_idle().await;
    let after = at(&app.hooks, "/rotating");
    assert_eq!(after.len(), 2);
    let request = &after[1];
    let (id, stamp) = (
        request.header("webhook-id").unwrap(),
        request.header("webhook-timestamp").unwrap(),
    );
    let expected = |secret: &str| {
        standard_webhook_headers(secret, id, stamp.parse().unwrap(), &request.body)[2]
            .1
            .clone()
    };
    let header = request.header("webhook-signature").unwrap();
    assert_eq!(
        header,
        expected(&new),
        "only the new secret signs after the grace period"
    );
    assert_ne!(header, expected(&old));
    app.finish().await;
}

#[tokio::test]
async fn failed_deliveries_are_retried_for_about_three_days_then_dead_and_can_be_resent() {
    let app = TestApp::spawn().await;
    let sink = HttpSink::start(vec![500u16; 10]).await;
    let key = app.account("Unlucky").await.api_key;
    let (hook, _) = create_hook(&app, &key, &sink.url("/down"), json!(["envelope.sent"])).await;
    app.sent_envelope(&key, "parallel", 1).await;
    let first = app.clock_now();
    app.run_jobs_until_idle().await;
    assert_eq!(sink.requests().len(), 1);

    // The Standard Webhooks schedule, each delay within ±20 % jitter.
    let schedule: [i64; 9] = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400];
    for (retry, nominal) in schedule.iter().enumerate() {
        let jobs = webhook_jobs(&app, JobStatus::Pending).await;
        assert_eq!(jobs.len(), 1, "retry {retry}: {jobs:?}");
        let wait = jobs[0].run_at - app.clock_now();
        let millis = wait.whole_milliseconds() as i64;
        assert!(
            (nominal * 800..=nominal * 1200).contains(&millis),
            "retry {retry}: waits {millis} ms, nominal {nominal} s"
        );
        app.clock.advance(wait);
        app.run_jobs_until_idle().await;
        assert_eq!(sink.requests().len(), retry + 2);
    }
    let dead = webhook_jobs(&app, JobStatus::Dead).await;
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert!(
        dead[0].last_error.as_deref().unwrap().contains("500"),
        "{dead:?}"
    );
    assert!(webhook_jobs(&app, JobStatus::Pending).await.is_empty());
    let days = (app.clock_now() - first).as_seconds_f64() / 86_400.0;
    assert!((2.5..3.8).contains(&days), "gave up after {days:.2} days");

    let ids: HashSet<String> = sink
        .requests()
        .iter()
        .map(|r| r.header("webhook-id").unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 1, "one webhook-id across retries: {ids:?}");
    let delivery = ids.into_iter().next().unwrap();
    let listed = deliveries(&app, &key, &hook).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], json!(delivery));
    assert_eq!(listed[0]["status"], json!("failed"));
    assert_eq!(listed[0]["attempts"], json!(10));
    assert_eq!(listed[0]["last_status_code"], json!(500));
    let detail = delivery_detail(&app, &key, &hook, &delivery).await;
    let log = detail["attempt_log"].as_array().unwrap();
    assert_eq!(log.len(), 10);
    assert!(
        log.iter()
            .all(|a| a["status_code"] == json!(500) && a["error"].is_string())
    );

    // Resend: the sink answers 200 now; same webhook-id, delivery succeeded.
    let path = format!("/api/v1/webhooks/{hook}/deliveries/{delivery}/resend");
    let (status, resent) = app.post_json(&key, &path, &json!({})).await;
    assert_eq!(
        (status, &resent["status"]),
        (202, &json!("pending")),
        "{resent}"
    );
    app.run_jobs_until_idle().await;
    let requests = sink.requests();
    assert_eq!(requests.len(), 11);
    assert_eq!(requests[10].header("webhook-id"), Some(delivery.as_str()));
    let detail = delivery_detail(&app, &key, &hook, &delivery).await;
    assert_eq!(
        (&detail["status"], &detail["attempts"]),
        (&json!("succeeded"), &json!(11))
    );
    assert_eq!(detail["attempt_log"][10]["status_code"], json!(200));
    app.finish_allowing_dead(&["deliver_webhook"]).await;
}

#[tokio::test]
async fn redirects_are_not_followed_and_a_410_disables_the_endpoint() {
    let app = TestApp::spawn().await;
    let target = HttpSink::always_ok().await;
    let sink = HttpSink::start([
        SinkResponse::redirect(&target.url("/elsewhere")),
        SinkResponse::status(410),
    ])
    .await;
    let key = app.account("Moving").await.api_key;
    let (hook, _) = create_hook(&app, &key, &sink.url("/moved"), json!(["envelope.sent"])).await;
    app.sent_envelope(&key, "parallel", 1).await;
    app.run_jobs_until_idle().await;
    let listed = deliveries(&app, &key, &hook).await;
    assert_eq!(listed[0]["status"], json!("failed"));
    assert_eq!(listed[0]["last_status_code"], json!(302));
    assert!(
        listed[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("redirect"),
        "{}",
        listed[0]
    );
    assert!(target.requests().is_empty(), "the redirect was followed");

    let jobs = webhook_jobs(&app, JobStatus::Pending).await;
    app.clock.advance(jobs[0].run_at - app.clock_now());
    app.run_jobs_until_idle().await;
    let (status, endpoint) = app
        .get_json(&key, &format!("/api/v1/webhooks/{hook}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(endpoint["enabled"], json!(false), "{endpoint}");
    assert!(
        endpoint["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("410"),
        "{endpoint}"
    );
    assert!(
        webhook_jobs(&app, JobStatus::Pending).await.is_empty(),
        "no retry after 410"
    );
    let id = listed[0]["id"].as_str().unwrap();
    let detail = delivery_detail(&app, &key, &hook, id).await;
    let codes: Vec<&Value> = detail["attempt_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["status_code"])
        .collect();
    assert_eq!(codes, [&json!(302), &json!(410)]);

    // A disabled endpoint gets no new deliveries.
    app.sent_envelope(&key, "parallel", 1).await;
    app.run_jobs_until_idle().await;
    assert_eq!(sink.requests().len(), 2);
    assert_eq!(deliveries(&app, &key, &hook).await.len(), 1);
    assert!(target.requests().is_empty());
    app.finish().await;
}
