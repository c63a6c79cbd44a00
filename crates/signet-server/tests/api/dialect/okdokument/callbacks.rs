//! `sendInfoURL` hears every status change (sent, completed, declined, canceled), goes through
//! the callback URL checks, and `resulturl` is where the signer's browser goes.

use super::*;
use crate::support::app::typed_signing;

/// The `type` of each callback received on `path`, in order.
fn heard(app: &TestApp, path: &str) -> Vec<String> {
    app.hooks
        .requests()
        .iter()
        .filter(|r| r.path.starts_with(path))
        .map(|r| r.json().unwrap()["type"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn send_info_url_hears_sent_and_completed_and_the_signer_goes_to_resulturl() {
    let app = TestApp::spawn().await;
    let key = app.account("OK").await.api_key;
    let hook = app.hooks.url("/sendInfo?arg=123456");
    let id = create(
        &app,
        &key,
        json!({"sendInfoURL": hook, "resulturl": "https://okdokument.com/done"}),
    )
    .await;
    let link = alices_link(&app).await;
    assert_eq!(heard(&app, "/sendInfo"), ["envelope.sent"]);
    let request = &app.hooks.requests()[0];
    assert!(
        request
            .path
            .starts_with(&format!("/sendInfo?arg=123456&key={id}")),
        "{}",
        request.path
    );

    let (status, outcome) = app.signer_post(&link, "complete", &typed_signing()).await;
    assert_eq!(status, 200, "{outcome}");
    let redirect = reqwest::Url::parse(outcome["redirect_url"].as_str().unwrap()).unwrap();
    assert_eq!(
        redirect.origin().ascii_serialization(),
        "https://okdokument.com"
    );
    assert_eq!(redirect.path(), "/done");
    let query: std::collections::HashMap<_, _> = redirect.query_pairs().into_owned().collect();
    assert_eq!(query["key"], id);
    assert_eq!(query["status"], "success");
    app.run_jobs_until_idle().await;
    assert_eq!(
        heard(&app, "/sendInfo"),
        ["envelope.sent", "envelope.completed"]
    );
    assert_eq!(shown(&app, &key, &id).await["status"], "COMPLETED");
    app.finish().await;
}

#[tokio::test]
async fn send_info_url_set_by_patch_hears_declined_and_canceled() {
    let app = TestApp::spawn().await;
    let key = app.account("OK").await.api_key;
    let declined = create(&app, &key, json!({})).await;
    let link = alices_link(&app).await;
    let body = json!({"signatureRequestId": declined, "sendInfoURL": app.hooks.url("/declined"), "resulturl": "https://okdokument.com/after"});
    let (status, answer) = ok(
        &app,
        reqwest::Method::PATCH,
        Some(&key),
        PATH,
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (status, outcome) = app
        .signer_post(&link, "decline", &json!({"reason": "no"}))
        .await;
    assert_eq!(status, 200, "{outcome}");
    assert!(
        outcome["redirect_url"]
            .as_str()
            .unwrap()
            .starts_with("https://okdokument.com/after?key="),
        "{outcome}"
    );
    app.run_jobs_until_idle().await;
    assert_eq!(heard(&app, "/declined"), ["envelope.declined"]);
    assert_eq!(shown(&app, &key, &declined).await["status"], "DECLINED");

    let canceled = create(
        &app,
        &key,
        json!({"sendInfoUrl": app.hooks.url("/canceled")}),
    )
    .await;
    app.run_jobs_until_idle().await;
    let (status, body) = app
        .post_json(
            &key,
            &format!("/api/v1/envelopes/{canceled}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    assert_eq!(
        heard(&app, "/canceled"),
        ["envelope.sent", "envelope.canceled"]
    );
    assert_eq!(shown(&app, &key, &canceled).await["status"], "CANCELED");
    app.finish().await;
}

#[tokio::test]
async fn private_send_info_urls_are_refused_unless_configured() {
    let app = TestApp::spawn_with(|config| config.allow_private_callbacks = false).await;
    let key = app.account("OK").await.api_key;
    let id = create(&app, &key, json!({})).await;
    for url in [
        "https://azure/sendInfo?arg=123456",
        "http://127.0.0.1:9/x",
        "http://10.0.0.1/x",
    ] {
        let body = json!({"signatureRequestId": id, "sendInfoURL": url});
        let (status, answer) = ok(
            &app,
            reqwest::Method::PATCH,
            Some(&key),
            PATH,
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(status, 400, "{url}: {answer}");
        assert_eq!(answer["value"], "private_callback_url", "{answer}");
    }
    assert_eq!(shown(&app, &key, &id).await["sendInfoURL"], Value::Null);
    let body = json!({"signatureRequestId": id, "sendInfoURL": "https://hooks.example.com/ok"});
    let (status, _) = ok(
        &app,
        reqwest::Method::PATCH,
        Some(&key),
        PATH,
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(status, 200);
    app.run_jobs_until_idle().await;
    app.finish().await;
}
