//! The cloud lookup and the password grant: the document's requests as printed, and the
//! grant's negatives (wrong password, unknown login, turned off per account, rate limit).

use serde_json::json;

use super::*;
use crate::support::TestApp;
use crate::support::app::TEST_PASSWORD;

/// The password of the users [`new_user`] makes.
const USER_PASSWORD: &str = "a long enough password";

/// A user of `role` made through the native API; returns its id and login.
async fn new_user(app: &TestApp, admin_key: &str, role: &str) -> (String, String) {
    let email = format!("{}@example.test", uuid::Uuid::new_v4());
    let body = json!({"email": email, "name": "A user", "password": USER_PASSWORD, "role": role});
    let (status, user) = app.post_json(admin_key, "/api/v1/users", &body).await;
    assert_eq!(status, 201, "{user}");
    (user["id"].as_str().unwrap().to_string(), email)
}

#[tokio::test]
async fn the_cloud_lookup_answers_the_signet_server_url_for_any_login() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let expected = json!({"server_url": app.url("/acronis")});
    for login in [account.email.as_str(), "nobody@example.test"] {
        // requests.get(f'{cloud_url}/api/1/accounts', params={'login': LOGIN})
        let response = reqwest::Client::new()
            .get(app.url("/acronis/api/1/accounts"))
            .query(&[("login", login)])
            .send()
            .await
            .unwrap();
        let (status, body) = status_and_json(response).await;
        assert_eq!(
            (status, &body),
            (200, &expected),
            "the same for every login"
        );
    }
    let response = reqwest::get(app.url("/acronis/api/1/accounts"))
        .await
        .unwrap();
    let (status, body) = status_and_json(response).await;
    assert_error(status, &body, (400, "missing_login"));
    app.finish().await;
}

#[tokio::test]
async fn the_password_grant_answers_as_the_document_posts_it() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let (status, body) = password_grant(&app, &account.email, TEST_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    let token = body["access_token"].as_str().unwrap();
    assert!(token.starts_with("sat_"), "an ordinary access token");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 1800);
    assert_eq!(
        body["expires_on"],
        app.clock_now().unix_timestamp() + 1800,
        "{body}"
    );
    assert_eq!(body["scope"], "read write admin", "the owner's role scopes");
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(body.as_object().unwrap().len(), 5, "{body}");

    // The token acts as that user on the notary API and on the native API alike.
    let unknown = format!("{}/stored-files/{}", base_url(&app), uuid::Uuid::now_v7());
    let (status, body) = get(token, &unknown).await;
    assert_error(status, &body, (404, "not_found"));
    let (status, me) = app.get_json(token, "/api/v1/account").await;
    assert_eq!((status, &me["id"]), (200, &json!(account.account_id)));

    // A member gets a member's scopes, and may narrow them.
    let (_, member) = new_user(&app, &account.api_key, "member").await;
    let (status, body) = password_grant(&app, &member, USER_PASSWORD).await;
    assert_eq!(
        (status, &body["scope"]),
        (200, &json!("read write")),
        "{body}"
    );
    let response = reqwest::Client::new()
        .post(app.url("/acronis/api/2/idp/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", member.as_str()),
            ("password", USER_PASSWORD),
            ("scope", "read"),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_json(response).await;
    assert_eq!((status, &body["scope"]), (200, &json!("read")), "{body}");
    let response = reqwest::Client::new()
        .post(format!("{}/stored-files/sign", base_url(&app)))
        .header(
            "authorization",
            bearer(body["access_token"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_json(response).await;
    assert_error(status, &body, (403, "insufficient_scope"));
    app.finish().await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_are_refused_alike() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let (status, wrong) = password_grant(&app, &account.email, "not the password").await;
    let (status_unknown, unknown) =
        password_grant(&app, "nobody@example.test", TEST_PASSWORD).await;
    assert_eq!(status, 400, "{wrong}");
    assert_eq!(wrong["error"], "invalid_grant", "{wrong}");
    assert!(wrong["error_description"].is_string());
    assert_eq!(
        (status_unknown, &unknown),
        (status, &wrong),
        "nothing tells them apart"
    );

    // A disabled user too.
    let (id, member) = new_user(&app, &account.api_key, "member").await;
    let (status, body) = password_grant(&app, &member, USER_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .post_json(
            &account.api_key,
            &format!("/api/v1/users/{id}/disable"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = password_grant(&app, &member, USER_PASSWORD).await;
    assert_eq!(
        (status, &body["error"]),
        (400, &json!("invalid_grant")),
        "{body}"
    );
    assert_eq!(body["error_description"], wrong["error_description"]);
    app.finish().await;
}

#[tokio::test]
async fn an_account_can_turn_the_password_grant_off() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.account("A").await, app.account("B").await);
    let token = token_of(&app, &a.email).await;
    let (status, settings) = app.get_json(&a.api_key, "/api/v1/account").await;
    assert_eq!(
        (status, &settings["password_grant"]),
        (200, &json!(true)),
        "on by default"
    );

    let off = json!({"password_grant": false});
    let (status, settings) = app.patch_json(&a.api_key, "/api/v1/account", &off).await;
    assert_eq!(
        (status, &settings["password_grant"]),
        (200, &json!(false)),
        "{settings}"
    );
    let (status, body) = password_grant(&app, &a.email, TEST_PASSWORD).await;
    assert_eq!(
        (status, &body["error"]),
        (400, &json!("unauthorized_client")),
        "{body}"
    );
    // Without the password nothing tells a turned-off account from a wrong password.
    let (status, body) = password_grant(&app, &a.email, "guess").await;
    assert_eq!((status, &body["error"]), (400, &json!("invalid_grant")));
    // Other accounts are untouched; tokens issued before keep working until they expire.
    token_of(&app, &b.email).await;
    let (status, _) = get(
        &token,
        &format!("{}/documents/{}", base_url(&app), "0".repeat(64)),
    )
    .await;
    assert_eq!(status, 404);

    // Members cannot change it; owners can turn it back on.
    let (member, _) = new_user(&app, &a.api_key, "member").await;
    let member_key =
        crate::support::credential::personal_token_of(&app, &a.account_id, &member).await;
    let on = json!({"password_grant": true});
    let (status, _) = app.patch_json(&member_key, "/api/v1/account", &on).await;
    assert_eq!(status, 403);
    let (status, settings) = app.patch_json(&a.api_key, "/api/v1/account", &on).await;
    assert_eq!((status, &settings["password_grant"]), (200, &json!(true)));
    token_of(&app, &a.email).await;
    app.finish().await;
}

#[tokio::test]
async fn the_token_endpoint_is_rate_limited_per_client_address() {
    let app = TestApp::spawn_with(|config| {
        config.rate.token_per_min = 1;
        config.rate.token_burst = 2;
    })
    .await;
    let account = app.account("Acme").await;
    for _ in 0..2 {
        let (status, _) = password_grant(&app, &account.email, "wrong").await;
        assert_eq!(status, 400);
    }
    let response = reqwest::Client::new()
        .post(app.url("/acronis/api/2/idp/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", &account.email),
            ("password", TEST_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    assert!(response.headers().contains_key("retry-after"));
    app.finish().await;
}

#[tokio::test]
async fn malformed_token_requests_get_rfc6749_errors() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("username", "x"), ("password", "y")], "invalid_request"),
        (
            &[("grant_type", "client_credentials")],
            "unsupported_grant_type",
        ),
        (
            &[("grant_type", "password"), ("password", "y")],
            "invalid_request",
        ),
        (
            &[("grant_type", "password"), ("username", "x")],
            "invalid_request",
        ),
    ];
    for (form, error) in cases {
        let response = reqwest::Client::new()
            .post(app.url("/acronis/api/2/idp/token"))
            .form(form)
            .send()
            .await
            .unwrap();
        let (status, body) = status_and_json(response).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some(error)),
            "{form:?}: {body}"
        );
    }
    let response = reqwest::Client::new()
        .post(app.url("/acronis/api/2/idp/token"))
        .json(&json!({"grant_type": "password", "username": account.email, "password": TEST_PASSWORD}))
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_json(response).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request")),
        "JSON is not the form"
    );
    app.finish().await;
}

#[tokio::test]
async fn notary_routes_need_a_valid_bearer_token() {
    let app = TestApp::spawn().await;
    let url = format!("{}/documents/{}", base_url(&app), "a".repeat(64));
    let response = reqwest::get(&url).await.unwrap();
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (status, body) = status_and_json(response).await;
    assert_error(status, &body, (401, "unauthenticated"));
    let (status, body) = get("sat_not-a-token", &url).await;
    assert_error(status, &body, (401, "unauthenticated"));
    app.finish().await;
}
