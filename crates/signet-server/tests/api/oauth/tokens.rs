//! The token endpoint: response shape, refresh rotation and reuse detection, expiry, client
//! authentication, scopes on the API, revocation and the metadata document.

use base64::Engine;
use reqwest::header::AUTHORIZATION;
use serde_json::json;

use super::*;
use crate::support::TestApp;

async fn refresh(
    app: &TestApp,
    client_id: &str,
    secret: &str,
    refresh_token: &str,
) -> (u16, Value) {
    token(
        app,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", client_id),
            ("client_secret", secret),
        ],
    )
    .await
}

#[tokio::test]
async fn token_responses_have_exactly_the_stiply_fields_and_are_not_cached() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(&app, &account, json!({"name": "App"})).await;
    let code = code_for(&app, &account, &client_id).await;
    let response = app
        .client
        .post(app.url("/stiply/oauth/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
            ("client_id", client_id.as_str()),
            ("client_secret", secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, 200, "{body}");
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_in",
            "refresh_token",
            "scope",
            "token_type"
        ]
    );
    assert_eq!(
        (body["token_type"].as_str(), body["expires_in"].as_i64()),
        (Some("Bearer"), Some(1800))
    );
    assert!(body["access_token"].as_str().unwrap().starts_with("sat_"));
    assert!(body["refresh_token"].as_str().unwrap().starts_with("srt_"));
    assert_eq!(body["scope"], "read write admin");
    // Client credentials: no refresh token.
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(
        list_status(&app, body["access_token"].as_str().unwrap()).await,
        200
    );
    app.finish().await;
}

#[tokio::test]
async fn a_reused_refresh_token_revokes_its_whole_family() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(&app, &account, json!({"name": "App"})).await;
    let code = code_for(&app, &account, &client_id).await;
    let (_, first) = exchange(&app, &client_id, &secret, &code).await;
    let first_refresh = first["refresh_token"].as_str().unwrap();
    let (status, second) = refresh(&app, &client_id, &secret, first_refresh).await;
    assert_eq!(status, 200, "{second}");
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    let second_access = second["access_token"].as_str().unwrap();
    assert_eq!(list_status(&app, second_access).await, 200);
    // The rotated-out token comes back: a thief or a replay. The family dies.
    let (status, body) = refresh(&app, &client_id, &secret, first_refresh).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    assert_eq!(list_status(&app, second_access).await, 401);
    let (status, body) = refresh(
        &app,
        &client_id,
        &secret,
        second["refresh_token"].as_str().unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    app.finish().await;
}

#[tokio::test]
async fn access_tokens_expire_after_30_minutes_and_refresh_tokens_after_14_days() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(&app, &account, json!({"name": "App"})).await;
    let code = code_for(&app, &account, &client_id).await;
    let (_, tokens) = exchange(&app, &client_id, &secret, &code).await;
    let access = tokens["access_token"].as_str().unwrap();
    app.clock.advance(time::Duration::minutes(29));
    assert_eq!(list_status(&app, access).await, 200);
    app.clock.advance(time::Duration::minutes(2));
    assert_eq!(list_status(&app, access).await, 401);
    let (status, renewed) = refresh(
        &app,
        &client_id,
        &secret,
        tokens["refresh_token"].as_str().unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{renewed}");
    assert_eq!(
        list_status(&app, renewed["access_token"].as_str().unwrap()).await,
        200
    );
    app.clock
        .advance(time::Duration::days(14) + time::Duration::seconds(1));
    let (status, body) = refresh(
        &app,
        &client_id,
        &secret,
        renewed["refresh_token"].as_str().unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client_with_401() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(&app, &account, json!({"name": "App"})).await;
    let mut wrong = secret.clone();
    wrong.push('x');
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &wrong),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{body}"
    );
    for credentials in [
        format!("{client_id}:{wrong}"),
        format!("{client_id}:{secret}"),
    ] {
        let response = app
            .client
            .post(app.url("/oauth/token"))
            .header(
                AUTHORIZATION,
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(&credentials)
                ),
            )
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        let ok = credentials.ends_with(&secret);
        let (status, body) = status_and_json(response).await;
        assert_eq!(status, if ok { 200 } else { 401 }, "{body}");
    }
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{body}"
    );
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "password"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type")),
        "{body}"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_read_only_token_may_read_but_not_write() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) =
        register(&app, &account, json!({"name": "Reader", "scope": "read"})).await;
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(
        (status, body["scope"].as_str()),
        (200, Some("read")),
        "{body}"
    );
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(list_status(&app, access).await, 200);
    let (status, body) = app
        .post_json(access, "/api/v1/envelopes", &json!({"title": "No"}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("insufficient_scope")),
        "{body}"
    );
    app.finish().await;
}

#[tokio::test]
async fn revoking_a_refresh_token_ends_its_family_and_unknown_tokens_are_fine() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(&app, &account, json!({"name": "App"})).await;
    let code = code_for(&app, &account, &client_id).await;
    let (_, tokens) = exchange(&app, &client_id, &secret, &code).await;
    let revoke = |token: String| {
        let form = vec![
            ("token", token),
            ("client_id", client_id.clone()),
            ("client_secret", secret.clone()),
        ];
        app.client.post(app.url("/oauth/revoke")).form(&form).send()
    };
    assert_eq!(revoke("srt_unknown".into()).await.unwrap().status(), 200);
    assert_eq!(
        revoke(tokens["refresh_token"].as_str().unwrap().into())
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        list_status(&app, tokens["access_token"].as_str().unwrap()).await,
        401
    );
    let (status, _) = refresh(
        &app,
        &client_id,
        &secret,
        tokens["refresh_token"].as_str().unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    app.finish().await;
}

#[tokio::test]
async fn the_metadata_names_this_instances_endpoints() {
    let app = TestApp::spawn().await;
    let (status, doc) = app
        .get_json("", "/.well-known/oauth-authorization-server")
        .await;
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["issuer"], app.base);
    assert_eq!(doc["token_endpoint"], app.url("/oauth/token"));
    assert_eq!(doc["authorization_endpoint"], app.url("/oauth/authorize"));
    assert_eq!(doc["revocation_endpoint"], app.url("/oauth/revoke"));
    assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(doc["scopes_supported"], json!(["read", "write", "admin"]));
    app.finish().await;
}

#[tokio::test]
async fn the_audit_trail_names_the_client_and_a_disabled_users_tokens_stop_working() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(&app, &account, json!({"name": "App"})).await;
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
    let (status, envelope) = app
        .post_json(access, "/api/v1/envelopes", &json!({"title": "Via OAuth"}))
        .await;
    assert_eq!(status, 201, "{envelope}");
    let created = app
        .events_of(access, envelope["id"].as_str().unwrap(), "envelope_created")
        .await;
    assert_eq!(created[0]["actor"]["type"], "oauth_client", "{created:?}");
    assert_eq!(created[0]["actor"]["client_id"], client_id.as_str());
    disable_users(&app).await;
    assert_eq!(list_status(&app, access).await, 401);
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    let web = browser();
    let page = web.get(app.url("/login")).send().await.unwrap();
    let nonce = cookie_value(&set_cookie(&page, "signet_login").unwrap());
    let csrf = csrf_of(&page.text().await.unwrap());
    let response = web
        .post(app.url("/login"))
        .header(COOKIE, format!("signet_login={nonce}"))
        .form(&[
            ("email", account.email.as_str()),
            ("password", TEST_PASSWORD),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    app.finish().await;
}

/// Disables every user, directly in the database (user management is not part of this API).
async fn disable_users(app: &TestApp) {
    use sqlx::Connection;
    if app.database_url.starts_with("sqlite") {
        let mut conn = sqlx::SqliteConnection::connect(&app.database_url)
            .await
            .unwrap();
        sqlx::query("UPDATE users SET disabled_at = 1")
            .execute(&mut conn)
            .await
            .unwrap();
    } else {
        let mut conn = sqlx::PgConnection::connect(&app.database_url)
            .await
            .unwrap();
        sqlx::query("UPDATE users SET disabled_at = now()")
            .execute(&mut conn)
            .await
            .unwrap();
    }
}
