//! The authorization endpoint and the code grant: redirect URIs, PKCE, single-use codes.

use serde_json::json;

use super::*;
use crate::support::TestApp;

#[tokio::test]
async fn a_wrong_redirect_uri_is_shown_on_a_page_and_never_redirected_to() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, _) = register(&app, &account, json!({"name": "App"})).await;
    let session = login(&app, &account.email).await;
    for (client, redirect) in [
        (client_id.as_str(), "https://evil.example/callback"),
        (client_id.as_str(), "http://127.0.0.1:9/callback/other"),
        ("00000000-0000-0000-0000-000000000000", REDIRECT),
    ] {
        let query = [
            ("response_type", "code"),
            ("client_id", client),
            ("redirect_uri", redirect),
            ("state", "s"),
        ];
        let response = authorize(&app, &session, &query).await;
        assert_eq!(response.status(), 400, "{client} {redirect}");
        assert!(response.headers().get("location").is_none());
        // Also before login: the page, not the login redirect.
        let anonymous = browser()
            .get(app.url("/oauth/authorize"))
            .query(&query)
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 400);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("<!doctype html>") && !html.contains("evil.example"),
            "{html}"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn visitors_are_sent_to_the_login_and_come_back_to_the_request() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, _) = register(&app, &account, json!({"name": "App"})).await;
    let query = [
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("state", "s"),
    ];
    let response = browser()
        .get(app.url("/oauth/authorize"))
        .query(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let to = location(&response);
    assert!(to.starts_with("/login?return_to="), "{to}");
    let back = param(&to, "return_to").unwrap();
    assert!(
        back.starts_with("/oauth/authorize?") && back.contains(&client_id),
        "{back}"
    );
    app.finish().await;
}

#[tokio::test]
async fn public_clients_must_use_pkce_with_s256() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(
        &app,
        &account,
        json!({"name": "SPA", "confidential": false}),
    )
    .await;
    assert_eq!(secret, "");
    let session = login(&app, &account.email).await;
    let base = [
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("state", "st"),
    ];
    let response = authorize(&app, &session, &base).await;
    assert_eq!(response.status(), 302);
    let to = location(&response);
    assert!(to.starts_with(REDIRECT), "{to}");
    assert_eq!(param(&to, "error").as_deref(), Some("invalid_request"));
    assert_eq!(param(&to, "state").as_deref(), Some("st"));
    let mut plain = base.to_vec();
    plain.extend([
        ("code_challenge", VERIFIER),
        ("code_challenge_method", "plain"),
    ]);
    let to = location(&authorize(&app, &session, &plain).await);
    assert_eq!(param(&to, "error").as_deref(), Some("invalid_request"));
    // With S256 the public client gets a code and exchanges it with the verifier alone.
    let mut pkce = base.to_vec();
    pkce.extend([
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]);
    let code = param(&approve(&app, &session, &pkce).await, "code").unwrap();
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &client_id),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    app.finish().await;
}

#[tokio::test]
async fn a_missing_or_wrong_code_verifier_is_refused() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(&app, &account, json!({"name": "App"})).await;
    for verifier in [None, Some("dBjftJeZ4CVP-mJ92aFTrLoKz0z4Qo8qHpZg4pzUdxJ")] {
        let code = code_for(&app, &account, &client_id).await;
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("client_id", client_id.as_str()),
            ("client_secret", secret.as_str()),
        ];
        if let Some(v) = verifier {
            form.push(("code_verifier", v));
        }
        let (status, body) = token(&app, &form).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_grant")),
            "{body}"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn a_replayed_code_fails_and_revokes_the_tokens_it_issued() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(&app, &account, json!({"name": "App"})).await;
    let code = code_for(&app, &account, &client_id).await;
    let (status, tokens) = exchange(&app, &client_id, &secret, &code).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(list_status(&app, access).await, 200);
    let (status, body) = exchange(&app, &client_id, &secret, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    assert_eq!(list_status(&app, access).await, 401);
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
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
    app.finish().await;
}

#[tokio::test]
async fn a_code_expires_after_60_seconds() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) = register(&app, &account, json!({"name": "App"})).await;
    let code = code_for(&app, &account, &client_id).await;
    app.clock.advance(time::Duration::seconds(61));
    let (status, body) = exchange(&app, &client_id, &secret, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_scope_the_client_may_not_have_is_invalid_scope() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) =
        register(&app, &account, json!({"name": "Reader", "scope": "read"})).await;
    let session = login(&app, &account.email).await;
    let query = [
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("scope", "read write"),
        ("state", "q"),
    ];
    let to = location(&authorize(&app, &session, &query).await);
    assert_eq!(
        param(&to, "error").as_deref(),
        Some("invalid_scope"),
        "{to}"
    );
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "admin"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope")),
        "{body}"
    );
    app.finish().await;
}

#[tokio::test]
async fn the_consent_post_needs_the_sessions_csrf_token_and_deny_redirects_with_access_denied() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, _) = register(&app, &account, json!({"name": "App"})).await;
    let session = login(&app, &account.email).await;
    let other_session = login(&app, &account.email).await;
    let page = authorize(
        &app,
        &other_session,
        &[("response_type", "code"), ("client_id", &client_id)],
    )
    .await;
    let foreign_csrf = csrf_of(&page.text().await.unwrap());
    let base = vec![
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("state", "z"),
    ];
    for csrf in [None, Some(""), Some(foreign_csrf.as_str())] {
        let mut form = base.clone();
        form.push(("decision", "approve"));
        if let Some(csrf) = csrf {
            form.push(("csrf", csrf));
        }
        let response = browser()
            .post(app.url("/oauth/authorize"))
            .header(COOKIE, format!("signet_session={session}"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{csrf:?}");
        assert!(response.headers().get("location").is_none());
    }
    let page = authorize(&app, &session, &base).await;
    let html = page.text().await.unwrap();
    assert!(
        html.contains("App") && html.contains("read your envelopes"),
        "{html}"
    );
    let mut form = base.clone();
    let csrf = csrf_of(&html);
    form.extend([("csrf", csrf.as_str()), ("decision", "deny")]);
    let response = browser()
        .post(app.url("/oauth/authorize"))
        .header(COOKIE, format!("signet_session={session}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let to = location(&response);
    assert_eq!(param(&to, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&to, "state").as_deref(), Some("z"));
    assert!(param(&to, "code").is_none());
    app.finish().await;
}
