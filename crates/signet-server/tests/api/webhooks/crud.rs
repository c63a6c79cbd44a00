//! The endpoint API: create (secret shown once), list, change, delete; validation; another
//! account's endpoints and deliveries out of reach; loopback URLs refused without the operator's
//! allow-list.

use serde_json::json;

use super::{create_hook, delete, deliveries};
use crate::support::TestApp;

#[tokio::test]
async fn webhook_endpoints_are_created_listed_changed_and_deleted() {
    let app = TestApp::spawn().await;
    let key = app.account("Hooks").await.api_key;
    let url = app.hooks.url("/crud");
    let (id, secret) = create_hook(
        &app,
        &key,
        &url,
        json!(["envelope.signed", "envelope.sent"]),
    )
    .await;
    assert!(
        secret.starts_with("whsec_") && secret.len() >= 6 + 32,
        "{secret}"
    );

    let (status, list) = app.get_json(&key, "/api/v1/webhooks").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let shown = &list["data"][0];
    assert_eq!(shown["id"], json!(id));
    assert_eq!(shown["url"], json!(url));
    assert_eq!(shown["enabled"], json!(true));
    assert_eq!(
        shown["event_types"],
        json!(["envelope.sent", "envelope.signed"])
    );
    assert!(
        shown.get("secret").is_none(),
        "the secret is shown only once"
    );
    assert!(!list.to_string().contains(&secret));

    let path = format!("/api/v1/webhooks/{id}");
    let change = json!({"description": "renamed", "enabled": false, "event_types": ["*"]});
    let (status, changed) = app.patch_json(&key, &path, &change).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["description"], json!("renamed"));
    assert_eq!(changed["enabled"], json!(false));
    assert_eq!(changed["event_types"], json!(["*"]));
    let (status, got) = app.get_json(&key, &path).await;
    assert_eq!((status, &got), (200, &changed));

    let bad = json!({"url": url, "event_types": ["envelope.exploded"]});
    let (status, reply) = app.post_json(&key, "/api/v1/webhooks", &bad).await;
    assert_eq!(
        (status, reply["error"]["code"].as_str()),
        (422, Some("invalid_event_type"))
    );
    let bad = json!({"url": "ftp://example.test/hook"});
    let (status, reply) = app.post_json(&key, "/api/v1/webhooks", &bad).await;
    assert_eq!(
        (status, reply["error"]["code"].as_str()),
        (422, Some("invalid_url"))
    );

    assert_eq!(delete(&app, &key, &path).await.0, 204);
    let (status, reply) = app.get_json(&key, &path).await;
    assert_eq!(
        (status, reply["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    assert_eq!(delete(&app, &key, &path).await.0, 404);
    app.finish().await;
}

#[tokio::test]
async fn another_account_cannot_see_change_rotate_or_resend_webhooks() {
    let app = TestApp::spawn().await;
    let owner = app.account("Owner").await.api_key;
    let intruder = app.account("Intruder").await.api_key;
    let (id, _) = create_hook(&app, &owner, &app.hooks.url("/owned"), json!([])).await;
    app.sent_envelope(&owner, "parallel", 1).await;
    app.run_jobs_until_idle().await;
    let delivery = deliveries(&app, &owner, &id).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let delivered = app.hooks.requests().len();

    let (status, list) = app.get_json(&intruder, "/api/v1/webhooks").await;
    assert_eq!((status, list["data"].as_array().unwrap().len()), (200, 0));
    let hook = format!("/api/v1/webhooks/{id}");
    let one = format!("{hook}/deliveries/{delivery}");
    for path in [&hook, &format!("{hook}/deliveries"), &one] {
        let (status, reply) = app.get_json(&intruder, path).await;
        assert_eq!(
            (status, reply["error"]["code"].as_str()),
            (404, Some("not_found")),
            "{path}"
        );
    }
    let (status, _) = app
        .patch_json(&intruder, &hook, &json!({"url": "http://127.0.0.1:9/x"}))
        .await;
    assert_eq!(status, 404);
    for path in [format!("{hook}/secret/rotate"), format!("{one}/resend")] {
        let (status, reply) = app.post_json(&intruder, &path, &json!({})).await;
        assert_eq!(
            (status, reply["error"]["code"].as_str()),
            (404, Some("not_found")),
            "{path}"
        );
    }
    assert_eq!(delete(&app, &intruder, &hook).await.0, 404);

    // Nothing changed and nothing was re-sent.
    app.run_jobs_until_idle().await;
    assert_eq!(app.hooks.requests().len(), delivered);
    let (status, still) = app.get_json(&owner, &hook).await;
    assert_eq!(
        (status, &still["url"]),
        (200, &json!(app.hooks.url("/owned")))
    );
    app.finish().await;
}

#[tokio::test]
async fn a_loopback_webhook_url_is_refused_without_the_allow_list() {
    let app = TestApp::spawn_with(|config| config.allow_private_callbacks = false).await;
    let key = app.account("Careful").await.api_key;
    let port = app.hooks.addr().port();
    for url in [
        app.hooks.url("/ssrf"),
        format!("http://localhost:{port}/ssrf"),
        format!("http://[::1]:{port}/ssrf"),
        "http://169.254.169.254/latest/meta-data".to_string(),
        "http://10.1.2.3/hook".to_string(),
    ] {
        let (status, reply) = app
            .post_json(&key, "/api/v1/webhooks", &json!({"url": url}))
            .await;
        assert_eq!(status, 422, "{url}: {reply}");
        assert_eq!(
            reply["error"]["code"],
            json!("url_not_allowed"),
            "{url}: {reply}"
        );
    }
    let (status, list) = app.get_json(&key, "/api/v1/webhooks").await;
    assert_eq!((status, list["data"].as_array().unwrap().len()), (200, 0));
    // Events happen, and the loopback receiver hears nothing.
    app.completed_envelope(&key).await;
    assert!(
        app.hooks.requests().is_empty(),
        "{:?}",
        app.hooks.requests()
    );
    app.finish().await;
}
