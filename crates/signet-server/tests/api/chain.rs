//! The audit trail is hash-chained: editing a stored event is detected.

use serde_json::json;
use sqlx::Connection;

use crate::support::TestApp;

#[tokio::test]
async fn an_edited_audit_event_breaks_the_chain_at_that_event() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (id, _) = app
        .draft_with_contract(&account.api_key, json!({"title": "Evidence"}))
        .await;
    let (_, chain) = app
        .get_json(
            &account.api_key,
            &format!("/api/v1/envelopes/{id}/events/verify"),
        )
        .await;
    assert_eq!(
        (chain["ok"].as_bool(), chain["events"].as_u64()),
        (Some(true), Some(2))
    );

    let url = &app.database_url;
    let sql = "UPDATE audit_events SET ip = '203.0.113.9' WHERE seq = 2";
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    let (_, chain) = app
        .get_json(
            &account.api_key,
            &format!("/api/v1/envelopes/{id}/events/verify"),
        )
        .await;
    assert_eq!(
        (chain["ok"].as_bool(), chain["first_bad_seq"].as_i64()),
        (Some(false), Some(2)),
        "{chain}"
    );
    app.finish().await;
}
