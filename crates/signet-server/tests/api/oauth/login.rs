//! The web login: one answer for every failure, CSRF on the form, cookie attributes, no open
//! redirect, logout.

use super::*;
use crate::support::TestApp;

/// Posts the login form with a fresh login cookie and its CSRF token.
async fn post_login(
    app: &TestApp,
    email: &str,
    password: &str,
    return_to: &str,
) -> reqwest::Response {
    let web = browser();
    let page = web.get(app.url("/login")).send().await.unwrap();
    let nonce = cookie_value(&set_cookie(&page, "signet_login").unwrap());
    let csrf = csrf_of(&page.text().await.unwrap());
    web.post(app.url("/login"))
        .header(COOKIE, format!("signet_login={nonce}"))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", &csrf),
            ("return_to", return_to),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn unknown_users_and_wrong_passwords_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let wrong = post_login(&app, &account.email, "not the password", "").await;
    let unknown = post_login(&app, "nobody@example.test", TEST_PASSWORD, "").await;
    assert_eq!(
        (wrong.status().as_u16(), unknown.status().as_u16()),
        (401, 401)
    );
    assert!(set_cookie(&wrong, "signet_session").is_none());
    let (a, b) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(a.contains("Wrong e-mail or password.") && b.contains("Wrong e-mail or password."));
    app.finish().await;
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_the_login_form_needs_its_csrf_token() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let response = post_login(
        &app,
        &account.email,
        TEST_PASSWORD,
        "/oauth/authorize?client_id=x",
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/oauth/authorize?client_id=x");
    let cookie = set_cookie(&response, "signet_session").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain-http instance: {cookie}");
    assert!(cookie_value(&cookie).len() >= 43);
    // Without the login cookie, or with a token for another one, the POST is refused.
    for (nonce, csrf) in [("", "x"), ("abc", "x")] {
        let response = browser()
            .post(app.url("/login"))
            .header(COOKIE, format!("signet_login={nonce}"))
            .form(&[
                ("email", account.email.as_str()),
                ("password", TEST_PASSWORD),
                ("csrf", csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert!(set_cookie(&response, "signet_session").is_none());
    }
    app.finish().await;
}

#[tokio::test]
async fn return_to_only_accepts_local_paths() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    for target in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
    ] {
        let response = post_login(&app, &account.email, TEST_PASSWORD, target).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/login", "{target}");
    }
    app.finish().await;
}

#[tokio::test]
async fn logout_needs_the_csrf_token_and_ends_the_session() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let session = login(&app, &account.email).await;
    let cookie = format!("signet_session={session}");
    let page = browser()
        .get(app.url("/login"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains(&account.email), "{html}");
    let csrf = csrf_of(&html);
    let refused = browser()
        .post(app.url("/logout"))
        .header(COOKIE, &cookie)
        .form(&[("csrf", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let done = browser()
        .post(app.url("/logout"))
        .header(COOKIE, &cookie)
        .form(&[("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    let response = authorize(&app, &session, &[("response_type", "code")]).await;
    // No client: the page, whatever the session. With a client the visitor goes to the login.
    assert_eq!(response.status(), 400);
    let (client_id, _) = register(&app, &account, serde_json::json!({"name": "App"})).await;
    let response = authorize(
        &app,
        &session,
        &[("response_type", "code"), ("client_id", &client_id)],
    )
    .await;
    assert_eq!(response.status(), 302);
    assert!(location(&response).starts_with("/login?"));
    app.finish().await;
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, _) = register(&app, &account, serde_json::json!({"name": "App"})).await;
    let session = login(&app, &account.email).await;
    let query = [("response_type", "code"), ("client_id", client_id.as_str())];
    assert_eq!(authorize(&app, &session, &query).await.status(), 200);
    app.clock.advance(time::Duration::minutes(31));
    assert_eq!(authorize(&app, &session, &query).await.status(), 302);
    app.finish().await;
}
