//! Client registration: validation, secrets shown once, and isolation between accounts.

use serde_json::json;

use super::*;
use crate::support::TestApp;

#[tokio::test]
async fn redirect_uris_must_be_https_or_loopback_and_secrets_are_shown_once() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    for uri in [
        "http://app.example/cb",
        "https://app.example/cb#f",
        "not a url",
    ] {
        let body = json!({"name": "Bad", "redirect_uris": [uri]});
        let (status, body) = app
            .post_json(&account.api_key, "/api/v1/oauth/clients", &body)
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("invalid_redirect_uri")),
            "{uri}"
        );
    }
    let body = json!({"name": "Bad", "confidential": false, "grants": ["client_credentials"]});
    let (status, body) = app
        .post_json(&account.api_key, "/api/v1/oauth/clients", &body)
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_grant_type")),
        "{body}"
    );
    let (client_id, secret) = register(&app, &account, json!({"name": "Good"})).await;
    assert!(secret.starts_with("scs_"));
    let (status, client) = app
        .get_json(
            &account.api_key,
            &format!("/api/v1/oauth/clients/{client_id}"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(client.get("client_secret").is_none(), "{client}");
    assert_eq!(
        client["grants"],
        json!(["authorization_code", "refresh_token", "client_credentials"])
    );
    app.finish().await;
}

#[tokio::test]
async fn another_accounts_client_is_not_found_and_a_deleted_clients_tokens_stop_working() {
    let app = TestApp::spawn().await;
    let owner = app.account("A").await;
    let intruder = app.account("B").await;
    let (client_id, secret) = register(&app, &owner, json!({"name": "App"})).await;
    let path = format!("/api/v1/oauth/clients/{client_id}");
    let (status, body) = app.get_json(&intruder.api_key, &path).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let response = app
        .client
        .delete(app.url(&path))
        .header("authorization", format!("Bearer {}", intruder.api_key))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let (_, list) = app
        .get_json(&intruder.api_key, "/api/v1/oauth/clients")
        .await;
    assert_eq!(list["data"], json!([]));
    // B's user cannot approve A's client either.
    let session = login(&app, &intruder.email).await;
    let response = authorize(
        &app,
        &session,
        &[("response_type", "code"), ("client_id", &client_id)],
    )
    .await;
    assert_eq!(response.status(), 400);
    let (_, tokens) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(list_status(&app, access).await, 200);
    let response = app
        .client
        .delete(app.url(&path))
        .header("authorization", format!("Bearer {}", owner.api_key))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(list_status(&app, access).await, 401);
    app.finish().await;
}
