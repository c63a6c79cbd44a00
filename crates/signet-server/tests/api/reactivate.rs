//! Reactivation through the native API (`POST /api/v1/envelopes/{id}/reactivate`), the use case
//! behind the Auco dialect's `PUT /document/reactivate`.

use serde_json::json;

use crate::support::TestApp;
use crate::support::app::typed_signing;

#[tokio::test]
async fn a_declined_envelope_is_reactivated_natively_with_a_new_link_for_the_link_signer() {
    let app = TestApp::spawn().await;
    let key = app.account("Acme").await.api_key;
    let other = app.account("Other").await.api_key;
    let (id, urls) = app.sent_envelope(&key, "parallel", 2).await;
    let path = format!("/api/v1/envelopes/{id}/reactivate");
    let body = json!({"email": "ops@example.test"});

    let (status, answer) = app.post_json(&key, &path, &body).await;
    assert_eq!(status, 409, "in progress: {answer}");
    assert_eq!(answer["error"]["code"], "not_reactivatable");

    let (status, outcome) = app.signer_post(&urls[0], "decline", &json!({})).await;
    assert_eq!(status, 200, "{outcome}");
    app.run_jobs_until_idle().await;

    let (status, answer) = app.post_json(&other, &path, &body).await;
    assert_eq!(status, 404, "another account's envelope: {answer}");
    let (status, answer) = app.post_json(&key, &path, &json!({"email": "nope"})).await;
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = app.post_json(&key, &path, &json!({})).await;
    assert_eq!(status, 422, "{answer}");

    let (status, answer) = app.post_json(&key, &path, &body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "in_progress");
    assert_eq!(
        answer["notified"],
        json!([]),
        "link signers are not e-mailed"
    );
    let links = answer["links"].as_array().unwrap();
    assert_eq!(links.len(), 1, "{answer}");
    let new_url = links[0]["sign_url"].as_str().unwrap().to_string();
    assert_ne!(new_url, urls[0]);

    let (status, _) = app.signer_get(&urls[0]).await;
    assert_eq!(status, 404, "the old link stays dead");
    for url in [&new_url, &urls[1]] {
        let (status, body) = app.signer_post(url, "complete", &typed_signing()).await;
        assert_eq!(status, 200, "{body}");
    }
    app.run_jobs_until_idle().await;
    let (status, envelope) = app.get_json(&key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(envelope["status"], "completed", "{envelope}");
    let events = app.events_of(&key, &id, "reactivated").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["data"]["by_email"], "ops@example.test");
    app.finish().await;
}
