//! Credentials for tests: API keys and users made through the API, personal access tokens
//! made as the login page will make them, and requests that report the auth challenge.

use reqwest::Method;
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};

use super::TestApp;
use super::app::{bearer, status_and_json};

/// Sends a request with `key` (and a JSON body unless `body` is null): (status, body, the
/// `WWW-Authenticate` header).
pub async fn call(
    app: &TestApp,
    method: Method,
    key: &str,
    path: &str,
    body: Value,
) -> (u16, Value, Option<String>) {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header(AUTHORIZATION, bearer(key));
    if !body.is_null() {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_string());
    let (status, body) = status_and_json(response).await;
    (status, body, challenge)
}

/// Creates an API key with `body`; returns the created key's JSON.
pub async fn create_api_key(app: &TestApp, admin_key: &str, body: Value) -> Value {
    let (status, created) = app.post_json(admin_key, "/api/v1/api-keys", &body).await;
    assert_eq!(status, 201, "{created}");
    created
}

/// Adds a user with `role` through the API; returns its id.
pub async fn create_user(app: &TestApp, admin_key: &str, role: &str) -> String {
    let body = json!({
        "email": format!("{}@example.test", uuid::Uuid::new_v4()), "name": format!("A {role}"),
        "password": "a long enough password", "role": role,
    });
    let (status, user) = app.post_json(admin_key, "/api/v1/users", &body).await;
    assert_eq!(status, 201, "{user}");
    user["id"].as_str().unwrap().to_string()
}

/// A personal access token of `user`, made as the web login page will once the user has
/// signed in (the operator's principal for that user stands in for the login session here).
pub async fn personal_token_of(app: &TestApp, account: &str, user: &str) -> String {
    let signet = &app.app.signet;
    let who = signet
        .operator_principal(account.parse().unwrap(), Some(user.parse().unwrap()))
        .await
        .unwrap();
    let new = signet_core::usecase::credential::NewCredential {
        name: "login".into(),
        ..Default::default()
    };
    signet.create_personal_token(&who, new).await.unwrap().text
}
