//! The account page (`/account`): personal access tokens and OAuth2 clients made, used and
//! removed through its forms, like a browser would (cookies by hand, CSRF parsed from the HTML).

use reqwest::header::{CACHE_CONTROL, COOKIE, LOCATION, REFERRER_POLICY};
use serde_json::json;

use crate::oauth::{browser, csrf_of, list_status, login, token};
use crate::support::TestApp;
use crate::support::app::TEST_PASSWORD;

/// `GET /account` within a session: (status, body).
async fn account_page(app: &TestApp, session: &str) -> (u16, String) {
    let response = browser()
        .get(app.url("/account"))
        .header(COOKIE, format!("signet_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
    assert_eq!(response.headers()[REFERRER_POLICY], "no-referrer");
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Posts a form of the page within a session: (status, body).
async fn post_form(
    app: &TestApp,
    session: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = browser()
        .post(app.url(path))
        .header(COOKIE, format!("signet_session={session}"))
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(response.headers().get(LOCATION).is_none());
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The text of the first `<code class="secret">` on a page.
fn secret_of(html: &str) -> String {
    let start = html
        .find("<code class=\"secret\">")
        .expect("the page shows a secret")
        + 21;
    html[start..].split('<').next().unwrap().to_string()
}

/// The `id` hidden field of the form posting to `action`.
fn id_in_form(html: &str, action: &str) -> String {
    let form = &html[html
        .find(&format!("action=\"{action}\""))
        .expect("the page has the form")..];
    let start = form.find("name=\"id\" value=\"").unwrap() + 17;
    form[start..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn a_member_makes_uses_and_revokes_a_token_on_the_account_page() {
    let app = TestApp::spawn().await;
    let owner = app.account("Page").await;
    let (status, _) = app
        .post_json(
            &owner.api_key,
            "/api/v1/users",
            &json!({"email": "member@page.example", "name": "Mia Member",
                    "password": TEST_PASSWORD, "role": "member"}),
        )
        .await;
    assert_eq!(status, 201);
    let session = login(&app, "member@page.example").await;

    let (status, page) = account_page(&app, &session).await;
    assert_eq!(status, 200);
    assert!(page.contains("Mia Member") && page.contains("member@page.example"));
    assert!(page.contains("<dd>Page</dd>") && page.contains("action=\"/logout\""));
    assert!(
        !page.contains("OAuth2 clients"),
        "members see no client section"
    );
    assert!(
        !page.contains("name=\"scope_admin\""),
        "members cannot ask for admin"
    );
    assert!(!page.contains("<script"));
    let csrf = csrf_of(&page);

    let (status, page) = post_form(
        &app,
        &session,
        "/account/tokens",
        &[("csrf", &csrf), ("name", "laptop"), ("scope_admin", "on")],
    )
    .await;
    assert_eq!(status, 422, "a member cannot grant admin");
    assert!(page.contains("class=\"error\""));
    let (status, page) = post_form(
        &app,
        &session,
        "/account/tokens",
        &[
            ("csrf", &csrf),
            ("name", "laptop"),
            ("expires_in_days", "0"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("from 1 to 3650"));

    let (status, page) = post_form(
        &app,
        &session,
        "/account/tokens",
        &[
            ("csrf", &csrf),
            ("name", "laptop"),
            ("scope_read", "on"),
            ("expires_in_days", "7"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("will not be shown again"));
    let pat = secret_of(&page);
    assert!(pat.starts_with("pat_"), "{pat}");
    assert_eq!(list_status(&app, &pat).await, 200);

    let (status, page) = account_page(&app, &session).await;
    assert_eq!(status, 200);
    assert!(page.contains("laptop") && !page.contains(&pat));
    let token_id = id_in_form(&page, "/account/tokens/revoke");

    let (status, _) = post_form(
        &app,
        &session,
        "/account/tokens/revoke",
        &[("id", &token_id)],
    )
    .await;
    assert_eq!(status, 403, "no CSRF token");
    assert_eq!(list_status(&app, &pat).await, 200);

    let (status, page) = post_form(
        &app,
        &session,
        "/account/tokens/revoke",
        &[("csrf", &csrf), ("id", &token_id)],
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("revoked"));
    assert_eq!(list_status(&app, &pat).await, 401);

    let (status, page) = post_form(
        &app,
        &session,
        "/account/clients",
        &[
            ("csrf", &csrf),
            ("name", "Forged"),
            ("redirect_uris", "https://client.example/cb"),
            ("confidential", "on"),
        ],
    )
    .await;
    assert_eq!(status, 403, "members may not register clients");
    assert!(!page.contains("class=\"secret\""));
    let (status, _) = post_form(
        &app,
        &session,
        "/account/clients/delete",
        &[("csrf", &csrf), ("id", &uuid::Uuid::new_v4().to_string())],
    )
    .await;
    assert_eq!(status, 403);
    app.finish().await;
}

#[tokio::test]
async fn an_owner_registers_a_client_on_the_account_page_and_its_secret_works() {
    let app = TestApp::spawn().await;
    let owner = app.account("Clients").await;
    let session = login(&app, &owner.email).await;
    let (status, page) = account_page(&app, &session).await;
    assert_eq!(status, 200);
    assert!(page.contains("OAuth2 clients") && page.contains("name=\"scope_admin\""));
    let csrf = csrf_of(&page);

    let (status, page) = post_form(
        &app,
        &session,
        "/account/clients",
        &[
            ("csrf", &csrf),
            ("name", "Bad"),
            ("redirect_uris", "http://evil.example/cb"),
        ],
    )
    .await;
    assert_eq!(status, 422, "plain http off loopback is refused");
    assert!(page.contains("class=\"error\""));

    let (status, page) = post_form(
        &app,
        &session,
        "/account/clients",
        &[
            ("csrf", &csrf),
            ("name", "Integration"),
            (
                "redirect_uris",
                "https://client.example/cb\r\n\r\nhttp://127.0.0.1:9/cb",
            ),
            ("confidential", "on"),
            ("grant_client_credentials", "on"),
            ("scope_read", "on"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let secret = secret_of(&page);
    let start = page.find("Client id: <code>").unwrap() + 17;
    let client_id = page[start..].split('<').next().unwrap().to_string();
    let (status, tokens) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    assert_eq!(list_status(&app, &access).await, 200);
    assert_eq!(tokens["scope"], "read", "the client's scopes, as ticked");
    let (status, refused) = app
        .post_json(
            &access,
            "/api/v1/envelopes",
            &serde_json::json!({"title": "No"}),
        )
        .await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (403, Some("insufficient_scope"))
    );

    let (_, page) = account_page(&app, &session).await;
    assert!(page.contains("Integration") && page.contains("https://client.example/cb"));
    assert!(page.contains("client_credentials") && !page.contains(&secret));
    let (status, page) = post_form(
        &app,
        &session,
        "/account/clients/delete",
        &[("csrf", &csrf), ("id", &client_id)],
    )
    .await;
    assert_eq!(status, 200);
    assert!(!page.contains("Integration"));
    assert_eq!(list_status(&app, &access).await, 401);
    app.finish().await;
}

#[tokio::test]
async fn the_account_page_needs_a_session_and_its_forms_a_csrf_token() {
    let app = TestApp::spawn().await;
    let owner = app.account("Guarded").await;
    let response = browser().get(app.url("/account")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[LOCATION], "/login?return_to=/account");
    let (status, _) = post_form(&app, "not-a-session", "/account/tokens", &[("name", "x")]).await;
    assert_eq!(status, 403);

    let session = login(&app, &owner.email).await;
    let (status, _) = post_form(&app, &session, "/account/tokens", &[("name", "x")]).await;
    assert_eq!(status, 403, "no CSRF token");
    let (status, _) = post_form(
        &app,
        &session,
        "/account/tokens",
        &[("csrf", "0123abcd"), ("name", "x")],
    )
    .await;
    assert_eq!(status, 403, "a wrong CSRF token");
    let (_, page) = account_page(&app, &session).await;
    assert!(page.contains("You have no personal access tokens."));
    app.finish().await;
}
