//! Password reset by e-mailed link, driven like a browser: the forms with their anti-forgery
//! cookie, the mail read back from the SMTP sink, the link opened and used.

use std::time::Duration;

mod browser;
pub(crate) mod database;

use reqwest::header::{CACHE_CONTROL, COOKIE, REFERRER_POLICY, SET_COOKIE};
use signet_core::secret::verify_password;
use signet_core::usecase::account::NewAccount;

use crate::support::TestApp;
use browser::{Browser, form_body, path_of};
use database::{database_bytes, disable, hex};

const OLD_PASSWORD: &str = crate::support::app::TEST_PASSWORD;
const NEW_PASSWORD: &str = "a brand new passphrase";

/// A user with a known address and password; returns the address.
async fn user(app: &TestApp) -> String {
    let email = format!("{}@example.test", uuid::Uuid::new_v4());
    app.app
        .signet
        .create_account(NewAccount {
            name: "Reset Co".into(),
            email: email.clone(),
            password: OLD_PASSWORD.into(),
        })
        .await
        .unwrap();
    email
}

/// Runs the jobs and returns the reset link of the only new mail, checking both its parts.
async fn mailed_link(app: &TestApp, to: &str) -> String {
    let before = app.smtp.messages().len();
    app.run_jobs_until_idle().await;
    let mails = app
        .smtp
        .wait_for(before + 1, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(mails.len(), before + 1, "exactly one new mail");
    let mail = mails.last().unwrap();
    assert_eq!(mail.recipients, vec![to.to_string()]);
    assert_eq!(
        mail.subject().as_deref(),
        Some("Reset your Signet password")
    );
    let prefix = format!("{}/password/reset/", app.base);
    let text = mail.text_body().unwrap();
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with(&prefix))
        .expect("the link in the text part")
        .to_string();
    assert_eq!(link.len(), prefix.len() + 43, "a 256-bit token: {link}");
    let html = mail.html_body().unwrap();
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    link
}

/// Whether the login page greets the session's user (it does while the session lives).
async fn logged_in(app: &TestApp, session: &str, email: &str) -> bool {
    let page = crate::oauth::browser()
        .get(app.url("/login"))
        .header(COOKIE, format!("signet_session={session}"))
        .send()
        .await
        .unwrap();
    page.text().await.unwrap().contains(email)
}

async fn password_hash(app: &TestApp, email: &str) -> String {
    app.app
        .signet
        .store()
        .user_by_email(email)
        .await
        .unwrap()
        .unwrap()
        .password_hash
}

#[tokio::test]
async fn a_mailed_link_sets_a_new_password_once() {
    let app = TestApp::spawn().await;
    let email = user(&app).await;
    let mut browser = Browser::new(&app);

    let session = crate::oauth::login(&app, &email).await;
    assert!(logged_in(&app, &session, &email).await);
    let sent = browser.request_link(&email.to_uppercase()).await;
    assert_eq!(sent.status, 200, "{}", sent.html);
    assert!(sent.html.contains("Check your e-mail"));
    let link = mailed_link(&app, &email).await;

    let form = browser.get(&path_of(&app, &link)).await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert!(form.html.contains(&email), "the page names the login");
    assert_eq!(form.headers[REFERRER_POLICY], "no-referrer");
    assert_eq!(form.headers[CACHE_CONTROL], "no-store");
    assert!(!form.html.contains("<script"), "no script on the page");

    let done = browser
        .set_password(&link, NEW_PASSWORD, NEW_PASSWORD)
        .await;
    assert_eq!(done.status, 200, "{}", done.html);
    assert!(done.html.contains("Password changed"));
    let hash = password_hash(&app, &email).await;
    assert!(
        verify_password(NEW_PASSWORD, &hash),
        "the new password works"
    );
    assert!(
        !verify_password(OLD_PASSWORD, &hash),
        "the old one does not"
    );
    assert!(
        !logged_in(&app, &session, &email).await,
        "a new password ends the user's web sessions"
    );

    // Used once, the link is dead: opening it, and posting to it with a genuine form token.
    let again = browser.get(&path_of(&app, &link)).await;
    assert_eq!(again.status, 410, "{}", again.html);
    assert!(again.html.contains("reset_link_used"));
    assert!(!again.html.contains("name=\"password\""), "no form");
    let replay = browser
        .post(
            &path_of(&app, &link),
            &[
                ("csrf", &form.csrf()),
                ("password", "yet another password"),
                ("password_repeat", "yet another password"),
            ],
        )
        .await;
    assert_eq!(replay.status, 410, "{}", replay.html);
    assert!(verify_password(
        NEW_PASSWORD,
        &password_hash(&app, &email).await
    ));
    app.finish().await;
}

#[tokio::test]
async fn an_unknown_or_disabled_address_gets_the_same_page_and_no_mail() {
    let app = TestApp::spawn().await;
    let known = user(&app).await;
    let disabled = user(&app).await;
    disable(&app, &disabled).await;
    let mut browser = Browser::new(&app);

    let for_known = browser.request_link(&known).await;
    let for_unknown = browser.request_link("nobody@example.test").await;
    let for_disabled = browser.request_link(&disabled).await;
    assert_eq!(for_known.status, 200);
    assert_eq!(
        (for_unknown.status, &for_unknown.html),
        (for_known.status, &for_known.html),
        "the same answer for an unknown address"
    );
    assert_eq!(
        (for_disabled.status, &for_disabled.html),
        (for_known.status, &for_known.html),
        "the same answer for a disabled user"
    );
    app.run_jobs_until_idle().await;
    let mails = app.smtp.messages();
    assert_eq!(mails.len(), 1, "only the enabled, known user gets mail");
    assert_eq!(mails[0].recipients, vec![known]);

    let malformed = browser.request_link("not an address").await;
    assert_eq!(malformed.status, 422, "{}", malformed.html);
    assert!(malformed.html.contains("not a valid e-mail address"));
    app.finish().await;
}

#[tokio::test]
async fn a_reset_link_expires_after_its_time() {
    let app = TestApp::spawn_with(|config| config.password_reset_ttl_mins = 30).await;
    let email = user(&app).await;
    let mut browser = Browser::new(&app);
    browser.request_link(&email).await;
    let link = mailed_link(&app, &email).await;
    let mail = app.smtp.messages().pop().unwrap();
    assert!(mail.text_body().unwrap().contains("for 30 minutes"));

    app.clock.advance(time::Duration::minutes(29));
    assert_eq!(browser.get(&path_of(&app, &link)).await.status, 200);
    app.clock.advance(time::Duration::minutes(1));
    let expired = browser.get(&path_of(&app, &link)).await;
    assert_eq!(expired.status, 410, "{}", expired.html);
    assert!(expired.html.contains("reset_link_expired"));
    assert!(verify_password(
        OLD_PASSWORD,
        &password_hash(&app, &email).await
    ));
    app.finish().await;
}

#[tokio::test]
async fn a_newer_request_replaces_the_older_link() {
    let app = TestApp::spawn().await;
    let email = user(&app).await;
    let mut browser = Browser::new(&app);
    browser.request_link(&email).await;
    let first = mailed_link(&app, &email).await;
    browser.request_link(&email).await;
    let second = mailed_link(&app, &email).await;
    assert_ne!(first, second);

    let old = browser.get(&path_of(&app, &first)).await;
    assert_eq!(old.status, 410, "{}", old.html);
    assert!(old.html.contains("reset_link_replaced"));
    let done = browser
        .set_password(&second, NEW_PASSWORD, NEW_PASSWORD)
        .await;
    assert_eq!(done.status, 200, "{}", done.html);
    app.finish().await;
}

#[tokio::test]
async fn a_short_or_mistyped_password_is_refused_and_the_link_still_works() {
    let app = TestApp::spawn().await;
    let email = user(&app).await;
    let mut browser = Browser::new(&app);
    browser.request_link(&email).await;
    let link = mailed_link(&app, &email).await;

    let short = browser.set_password(&link, "short", "short").await;
    assert_eq!(short.status, 422, "{}", short.html);
    assert!(
        short.html.contains("at least 10 characters"),
        "{}",
        short.html
    );
    assert!(short.html.contains("name=\"password\""), "the form again");
    let mistyped = browser
        .set_password(&link, NEW_PASSWORD, "a brand new passphrasf")
        .await;
    assert_eq!(mistyped.status, 422, "{}", mistyped.html);
    assert!(mistyped.html.contains("The two passwords differ"));
    assert!(verify_password(
        OLD_PASSWORD,
        &password_hash(&app, &email).await
    ));

    let done = browser
        .set_password(&link, NEW_PASSWORD, NEW_PASSWORD)
        .await;
    assert_eq!(done.status, 200, "{}", done.html);
    app.finish().await;
}

#[tokio::test]
async fn two_concurrent_uses_of_one_link_only_one_wins() {
    let app = TestApp::spawn().await;
    let email = user(&app).await;
    let mut browser = Browser::new(&app);
    browser.request_link(&email).await;
    let link = mailed_link(&app, &email).await;
    let path = path_of(&app, &link);
    let csrf = browser.get(&path).await.csrf();

    let (a, b) = tokio::join!(
        post_reset(
            &app,
            &path,
            &csrf,
            browser.cookie.as_deref(),
            "first new password"
        ),
        post_reset(
            &app,
            &path,
            &csrf,
            browser.cookie.as_deref(),
            "second new password"
        ),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 410], "exactly one use wins");
    let winner = if a.0 == 200 { a.1 } else { b.1 };
    let hash = password_hash(&app, &email).await;
    assert!(
        verify_password(winner, &hash),
        "the winner's password is set"
    );
    app.finish().await;
}

async fn post_reset(
    app: &TestApp,
    path: &str,
    csrf: &str,
    cookie: Option<&str>,
    password: &'static str,
) -> (u16, &'static str) {
    let response = app
        .client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header(COOKIE, cookie.unwrap())
        .body(form_body(&[
            ("csrf", csrf),
            ("password", password),
            ("password_repeat", password),
        ]))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), password)
}

#[tokio::test]
async fn a_form_post_without_its_cookie_or_token_is_refused() {
    let app = TestApp::spawn().await;
    let email = user(&app).await;
    let mut browser = Browser::new(&app);
    let form = browser.get("/password/forgot").await;
    let set_cookie = form.headers[SET_COOKIE].to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"));

    let mut stranger = Browser::new(&app);
    let no_cookie = stranger
        .post(
            "/password/forgot",
            &[("csrf", &form.csrf()), ("email", &email)],
        )
        .await;
    assert_eq!(no_cookie.status, 403, "{}", no_cookie.html);
    let wrong_token = browser
        .post("/password/forgot", &[("csrf", "forged"), ("email", &email)])
        .await;
    assert_eq!(wrong_token.status, 403);
    let cross_site = app
        .client
        .post(app.url("/password/forgot"))
        .header(COOKIE, browser.cookie.clone().unwrap())
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[("csrf", &form.csrf()), ("email", &email)]))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status().as_u16(), 403);
    app.run_jobs_until_idle().await;
    assert!(app.smtp.messages().is_empty(), "no mail for a forged post");

    let genuine = browser
        .post(
            "/password/forgot",
            &[("csrf", &form.csrf()), ("email", &email)],
        )
        .await;
    assert_eq!(genuine.status, 200);
    mailed_link(&app, &email).await;
    app.finish().await;
}

#[tokio::test]
async fn a_reset_token_is_stored_nowhere() {
    let app = TestApp::spawn().await;
    let email = user(&app).await;
    let mut browser = Browser::new(&app);
    browser.request_link(&email).await;
    let link = mailed_link(&app, &email).await;
    let token = link.rsplit('/').next().unwrap().to_string();
    let raw =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &token).unwrap();
    let needles = [
        token.as_bytes().to_vec(),
        raw.clone(),
        hex(&raw).into_bytes(),
    ];

    let stored = database_bytes(&app).await;
    assert!(!stored.is_empty());
    for needle in &needles {
        assert!(
            !stored.windows(needle.len()).any(|w| w == needle.as_slice()),
            "the token (in some form) is in the database"
        );
    }
    // The scan does find what is stored: the token's hash.
    let hash = <sha2::Sha256 as sha2::Digest>::digest(token.as_bytes());
    let found = [hash.to_vec(), hex(&hash).into_bytes()];
    assert!(
        found
            .iter()
            .any(|n| stored.windows(n.len()).any(|w| w == n.as_slice()))
    );
    app.finish().await;
}
