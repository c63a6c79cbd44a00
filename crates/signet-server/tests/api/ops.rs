//! Operating Signet: `/healthz`, `/readyz` (with the check that failed) and the Prometheus
//! `/metrics` behind its token, labelled by route template, with the queue read from the
//! database at scrape time.

use serde_json::json;

use crate::support::TestApp;
use crate::support::app::{METRICS_TOKEN, bearer, status_and_json};

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.header("authorization", bearer(token));
    }
    request.send().await.unwrap()
}

async fn metrics(app: &TestApp) -> String {
    let response = get(app, "/metrics", Some(METRICS_TOKEN)).await;
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    response.text().await.unwrap()
}

/// The value of the sample whose line starts with `series` (name and labels).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

#[tokio::test]
async fn health_and_readiness_answer_without_credentials() {
    let app = TestApp::spawn().await;
    let (status, body) = status_and_json(get(&app, "/healthz", None).await).await;
    assert_eq!((status, body), (200, json!({"status": "ok"})));
    let (status, body) = status_and_json(get(&app, "/readyz", None).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ready");
    for check in ["database", "migrations", "seal_key", "accepting"] {
        assert_eq!(body["checks"][check], "ok", "{body}");
    }
    app.finish().await;
}

#[tokio::test]
async fn readiness_names_the_failed_check_when_the_schema_is_behind() {
    let app = TestApp::spawn().await;
    let (status, _) = status_and_json(get(&app, "/readyz", None).await).await;
    assert_eq!(status, 200);
    // Forget the newest migration, as a database an older binary migrated would look.
    execute(
        &app,
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .await;
    let (status, body) = status_and_json(get(&app, "/readyz", None).await).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "not_ready");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("migrations"), "{message}");
    assert!(!message.contains("database"), "{message}");
    let (status, _) = status_and_json(get(&app, "/healthz", None).await).await;
    assert_eq!(status, 200, "the process is still alive");
    app.finish().await;
}

async fn execute(app: &TestApp, sql: &'static str) {
    use sqlx::Connection;
    if app.database_url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(&app.database_url)
            .await
            .unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    } else {
        let mut conn = sqlx::SqliteConnection::connect(&app.database_url)
            .await
            .unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
}

#[tokio::test]
async fn metrics_need_their_token() {
    let app = TestApp::spawn().await;
    let account = app.account("Metrics Corp").await;
    for token in [None, Some("wrong"), Some(account.api_key.as_str())] {
        let (status, body) = status_and_json(get(&app, "/metrics", token).await).await;
        assert_eq!(status, 401, "{token:?}: {body}");
        assert_eq!(body["error"]["code"], "unauthenticated");
    }
    app.finish().await;
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_read_the_queue_from_the_database() {
    let app = TestApp::spawn().await;
    let account = app.account("Metrics Corp").await;
    let key = &account.api_key;
    let (id, urls) = app.sent_envelope(key, "parallel", 1).await;
    crate::admin_jobs::mailed_envelope(&app, key).await;
    let (status, _) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(status, 200);
    let (status, _) = app.signer_get(&urls[0]).await;
    assert_eq!(status, 200);

    let text = metrics(&app).await;
    let route = r#"signet_http_request_duration_seconds_count{method="GET",route="/api/v1/envelopes/{id}",status="2xx"}"#;
    assert_eq!(sample(&text, route), Some(1.0), "{text}");
    assert!(
        text.contains(r#"route="/api/v1/signing/{token}""#),
        "{text}"
    );
    let token = crate::support::app::token_of(&urls[0]);
    assert!(
        !text.contains(&id) && !text.contains(token),
        "raw paths leaked: {text}"
    );
    let due = r#"signet_jobs_queued{kind="send_invitation",state="due"}"#;
    assert_eq!(sample(&text, due), Some(1.0), "{text}");
    assert!(
        sample(
            &text,
            r#"signet_jobs_oldest_due_age_seconds{kind="send_invitation"}"#
        )
        .is_some(),
        "{text}"
    );

    app.clock.advance(time::Duration::seconds(90));
    let text = metrics(&app).await;
    let age = sample(
        &text,
        r#"signet_jobs_oldest_due_age_seconds{kind="send_invitation"}"#,
    );
    assert!(age.is_some_and(|age| age >= 90.0), "{text}");

    app.run_jobs_until_idle().await;
    let (status, body) = app
        .signer_post(&urls[0], "complete", &crate::support::app::typed_signing())
        .await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    let text = metrics(&app).await;
    assert_eq!(sample(&text, due), None, "the queue is empty: {text}");
    let mails = app.smtp.messages().len() as f64;
    assert!(mails >= 1.0);
    assert_eq!(
        sample(&text, r#"signet_emails_total{result="sent"}"#),
        Some(mails),
        "{text}"
    );
    assert_eq!(
        sample(&text, "signet_seal_duration_seconds_count"),
        Some(1.0),
        "{text}"
    );
    let sealed = r#"signet_job_duration_seconds_count{kind="seal_envelope",outcome="ok"}"#;
    assert_eq!(sample(&text, sealed), Some(1.0), "{text}");
    app.finish().await;
}
