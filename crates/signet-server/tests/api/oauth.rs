//! The OAuth2 authorization server and its web login, driven over HTTP like a browser (manual
//! cookies, CSRF tokens parsed from the HTML, redirects not followed) and like a client.

mod clients;
mod code;
mod login;
mod python;
mod tokens;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{TEST_PASSWORD, TestAccount, status_and_json};

/// The redirect URI the test clients register.
pub const REDIRECT: &str = "http://127.0.0.1:9/callback";
/// A PKCE pair (the challenge computed independently, with Python's hashlib).
pub const VERIFIER: &str = "dBjftJeZ4CVP-mJ92aFTrLoKz0z4Qo8qHpZg4pzUdxI";
pub const CHALLENGE: &str = "EdaySlrYDg_PTaBX-t1je5lIvktwQR9a9RlIX_Zhpho";

/// A client that never follows redirects, so each step can be checked.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Registers a client through the API; returns (client_id, client_secret or "").
pub async fn register(app: &TestApp, account: &TestAccount, body: Value) -> (String, String) {
    let mut body = body;
    if body.get("redirect_uris").is_none() {
        body["redirect_uris"] = json!([REDIRECT]);
    }
    let (status, client) = app
        .post_json(&account.api_key, "/api/v1/oauth/clients", &body)
        .await;
    assert_eq!(status, 201, "{client}");
    (
        client["client_id"].as_str().unwrap().to_string(),
        client["client_secret"].as_str().unwrap_or("").to_string(),
    )
}

/// The value a `Set-Cookie` header gives cookie `name`.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string()
}

/// The `csrf` hidden field of a page.
pub fn csrf_of(html: &str) -> String {
    let start = html
        .find("name=\"csrf\" value=\"")
        .expect("the page has a CSRF field")
        + 19;
    html[start..].split('"').next().unwrap().to_string()
}

pub fn location(response: &reqwest::Response) -> String {
    response.headers()[LOCATION].to_str().unwrap().to_string()
}

/// Logs the account's owner in; returns the session cookie's value.
pub async fn login(app: &TestApp, email: &str) -> String {
    let web = browser();
    let page = web.get(app.url("/login")).send().await.unwrap();
    let nonce = cookie_value(&set_cookie(&page, "signet_login").unwrap());
    let csrf = csrf_of(&page.text().await.unwrap());
    let response = web
        .post(app.url("/login"))
        .header(COOKIE, format!("signet_login={nonce}"))
        .form(&[
            ("email", email),
            ("password", TEST_PASSWORD),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    cookie_value(&set_cookie(&response, "signet_session").expect("a session cookie"))
}

/// `GET /oauth/authorize?query` within a session.
pub async fn authorize(app: &TestApp, session: &str, query: &[(&str, &str)]) -> reqwest::Response {
    browser()
        .get(app.url("/oauth/authorize"))
        .query(query)
        .header(COOKIE, format!("signet_session={session}"))
        .send()
        .await
        .unwrap()
}

/// Shows the consent page for `query` and approves it; returns the redirect's Location.
pub async fn approve(app: &TestApp, session: &str, query: &[(&str, &str)]) -> String {
    let page = authorize(app, session, query).await;
    assert_eq!(page.status(), 200);
    let csrf = csrf_of(&page.text().await.unwrap());
    let mut form: Vec<(&str, &str)> = query.to_vec();
    form.push(("csrf", &csrf));
    form.push(("decision", "approve"));
    let response = browser()
        .post(app.url("/oauth/authorize"))
        .header(COOKIE, format!("signet_session={session}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    location(&response)
}

/// A query parameter of a URL.
pub fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| {
            let value = value.replace('+', " ");
            percent_decode(&value)
        })
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// A code for a confidential client (with PKCE), from login to the redirect.
pub async fn code_for(app: &TestApp, account: &TestAccount, client_id: &str) -> String {
    let session = login(app, &account.email).await;
    let location = approve(
        app,
        &session,
        &[
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", REDIRECT),
            ("state", "xyz"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    assert_eq!(param(&location, "state").as_deref(), Some("xyz"));
    param(&location, "code").expect("a code")
}

/// `POST /oauth/token` with a form (client_secret_post when the form names the secret).
pub async fn token(app: &TestApp, form: &[(&str, &str)]) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/oauth/token"))
        .form(form)
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// Exchanges a code made with [`CHALLENGE`].
pub async fn exchange(app: &TestApp, client_id: &str, secret: &str, code: &str) -> (u16, Value) {
    token(
        app,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
            ("client_id", client_id),
            ("client_secret", secret),
        ],
    )
    .await
}

/// The status of `GET /api/v1/envelopes` with a Bearer token.
pub async fn list_status(app: &TestApp, access_token: &str) -> u16 {
    app.get_json(access_token, "/api/v1/envelopes").await.0
}
