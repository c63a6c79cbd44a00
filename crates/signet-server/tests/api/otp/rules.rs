//! The rules of an e-mailed code and of the browser session it unlocks.

use serde_json::json;
use time::Duration;

use super::{Browser, assert_code_not_logged, emailed_code, otp_envelope, wrong};
use crate::support::TestApp;

const EMAIL_OTP: &str = "email_otp";

#[tokio::test]
async fn an_email_otp_signer_reads_and_signs_only_in_the_browser_that_verified_a_code() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (id, document, urls) =
        otp_envelope(&app, &account.api_key, &[json!({"auth_method": EMAIL_OTP})]).await;
    let mut a = Browser::new(&app, &urls[0]);
    let (status, session) = a.session().await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(
        session["authentication"],
        json!({"method": "email_otp", "verified": false})
    );
    assert_eq!(
        (
            session["documents"].as_array().unwrap().len(),
            session["fields"].as_array().unwrap().len()
        ),
        (0, 0)
    );
    assert_eq!(a.document(&document).await, 403);
    let (status, body) = a.sign().await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("authentication_required"))
    );
    let (status, body) = a
        .call(reqwest::Method::POST, "/decline", Some(json!({})))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("authentication_required"))
    );

    let (status, sent) = a.send_code().await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(
        (sent["channel"].as_str(), sent["destination"].as_str()),
        (Some("email"), Some("s***@example.test"))
    );
    assert_eq!(sent["resend_in"], 60);
    let token = crate::support::app::token_of(&urls[0]);
    for path in [format!("/s/{token}"), format!("/api/v1/signing/{token}")] {
        assert!(
            a.set_cookies
                .iter()
                .any(|c| c.contains(&format!("Path={path};"))
                    && c.contains("HttpOnly")
                    && c.contains("SameSite=Strict")),
            "{:?}",
            a.set_cookies
        );
    }
    let planted = a.cookie.clone();
    let code = emailed_code(&app, "s0@example.test");

    // Another browser (no cookie, or a cookie of its own) cannot use the code.
    let mut b = Browser::new(&app, &urls[0]);
    let (status, body) = b.verify(&code).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("otp_required"))
    );
    let (status, body) = b.send_code().await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("otp_rate_limited")),
        "the limit is per signer"
    );
    assert!(b.retry_after.is_some_and(|s| s > 0 && s <= 60));

    let (status, body) = a.verify(&wrong(&code)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("otp_incorrect"))
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("4 attempts left")
    );
    let (status, body) = a.verify(&code).await;
    assert_eq!(status, 200, "{body}");
    assert_ne!(a.cookie, planted, "verifying issues a fresh cookie");
    let (status, body) = a.verify(&code).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("otp_required")),
        "single use"
    );

    let (_, session) = a.session().await;
    assert_eq!(session["authentication"]["verified"], true);
    assert_eq!(session["documents"].as_array().unwrap().len(), 1);
    assert_eq!(a.document(&document).await, 200);
    assert_eq!(
        b.document(&document).await,
        403,
        "the other browser is still locked out"
    );
    let mut old = Browser::new(&app, &urls[0]);
    old.cookie = planted;
    assert_eq!(
        old.document(&document).await,
        403,
        "the pre-verification cookie is dead"
    );
    let (status, body) = a.sign().await;
    assert_eq!(status, 200, "{body}");

    let key = &account.api_key;
    let sent = app.events_of(key, &id, "otp_sent").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["data"]["channel"], "email");
    assert_eq!(sent[0]["data"]["destination"], "s***@example.test");
    let failed = app.events_of(key, &id, "otp_failed").await;
    assert_eq!(
        (failed.len(), &failed[0]["data"]["attempt"]),
        (1, &json!(1))
    );
    assert_eq!(app.events_of(key, &id, "otp_verified").await.len(), 1);
    let signed = app.events_of(key, &id, "signed").await;
    assert_eq!(signed[0]["data"]["auth_method"], "email_otp");
    app.run_jobs_until_idle().await;
    assert_code_not_logged(&code);
    app.finish().await;
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes_and_dies_after_five_wrong_attempts() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (id, _, urls) =
        otp_envelope(&app, &account.api_key, &[json!({"auth_method": EMAIL_OTP})]).await;
    let mut a = Browser::new(&app, &urls[0]);
    assert_eq!(a.send_code().await.0, 200);
    let code = emailed_code(&app, "s0@example.test");
    app.clock.advance(Duration::minutes(10));
    let (status, body) = a.verify(&code).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("otp_expired"))
    );

    assert_eq!(a.send_code().await.0, 200);
    let code = emailed_code(&app, "s0@example.test");
    for left in (0..5).rev() {
        let (status, body) = a.verify(&wrong(&code)).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("otp_incorrect"))
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("{left} attempts left"))
        );
    }
    let (status, body) = a.verify(&code).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("otp_attempts_exhausted")),
        "even the right code"
    );
    let failed = app.events_of(&account.api_key, &id, "otp_failed").await;
    assert_eq!(failed.len(), 5);
    assert_eq!(failed[4]["data"]["attempts_left"], 0);
    app.finish().await;
}

#[tokio::test]
async fn codes_are_sent_once_a_minute_and_five_times_an_hour_and_failed_sends_do_not_count() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (id, _, urls) =
        otp_envelope(&app, &account.api_key, &[json!({"auth_method": EMAIL_OTP})]).await;
    let mut a = Browser::new(&app, &urls[0]);
    app.smtp.set_temp_fail(true);
    let (status, _) = a.send_code().await;
    assert_eq!(status, 503);
    assert_eq!(
        app.events_of(&account.api_key, &id, "otp_send_failed")
            .await
            .len(),
        1
    );
    app.smtp.set_temp_fail(false);
    for n in 0..5 {
        let (status, body) = a.send_code().await;
        assert_eq!(status, 200, "send {n}: {body}");
        let (status, body) = a.send_code().await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (429, Some("otp_rate_limited"))
        );
        // After the fifth, the hourly limit is the longer wait.
        let most = if n < 4 { 60 } else { 3600 };
        assert!(
            a.retry_after.is_some_and(|s| (1..=most).contains(&s)),
            "{:?}",
            a.retry_after
        );
        app.clock.advance(Duration::seconds(61));
    }
    let (status, body) = a.send_code().await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("otp_rate_limited")),
        "the sixth in an hour"
    );
    let wait = a.retry_after.unwrap();
    assert!(wait > 60 && wait <= 3600 - 4 * 61, "{wait}");
    app.clock.advance(Duration::seconds(wait as i64));
    assert_eq!(a.send_code().await.0, 200, "the window moved on");
    assert_eq!(
        app.events_of(&account.api_key, &id, "otp_sent").await.len(),
        6
    );
    app.finish().await;
}

#[tokio::test]
async fn another_signers_verified_session_does_not_unlock_this_signer() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let otp = json!({"auth_method": EMAIL_OTP});
    let (_, document, urls) = otp_envelope(&app, &account.api_key, &[otp.clone(), otp]).await;
    let mut first = Browser::new(&app, &urls[0]);
    assert_eq!(first.send_code().await.0, 200);
    let code = emailed_code(&app, "s0@example.test");
    assert_eq!(first.verify(&code).await.0, 200);
    assert_eq!(first.document(&document).await, 200);
    // The first signer's verified cookie, sent with the second signer's link.
    let mut second = Browser::new(&app, &urls[1]);
    second.cookie = first.cookie.clone();
    assert_eq!(second.document(&document).await, 403);
    let (status, body) = second.sign().await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("authentication_required"))
    );
    let (status, body) = second.verify(&code).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("otp_required"))
    );
    let (_, session) = second.session().await;
    assert_eq!(session["authentication"]["verified"], false);
    app.finish().await;
}

#[tokio::test]
async fn signers_without_authentication_need_no_code() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (_, document, urls) = otp_envelope(&app, &account.api_key, &[json!({})]).await;
    let mut a = Browser::new(&app, &urls[0]);
    let (_, session) = a.session().await;
    assert_eq!(
        session["authentication"],
        json!({"method": "none", "verified": true})
    );
    assert_eq!(a.document(&document).await, 200);
    let (status, body) = a.send_code().await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("otp_not_needed"))
    );
    app.finish().await;
}
