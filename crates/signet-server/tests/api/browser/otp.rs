//! A signer with `auth_method: email_otp` in real Chromium: the e-mailed link opens the code
//! page, the code comes from the real SMTP sink, a wrong code is refused on the page, the
//! right one opens the documents, and the signature seals and validates.

use serde_json::json;

use super::page::{
    assert_clean_console, keep_screenshot, open_page, sign_typed, validated_signed_pdf,
};
use crate::otp::{emailed_code, wrong};
use crate::support::TestApp;
use crate::support::app::link_in;
use crate::support::webdriver::{ChromeDriver, Session, Viewport};

/// The code form's status line once it says something other than "…ing".
async fn otp_status(browser: &Session, contains: &str) -> String {
    let condition = format!(
        "document.getElementById('otp-status').textContent.includes({contains:?}) \
         && document.getElementById('otp-status').textContent"
    );
    let said = browser.wait_until(contains, &condition).await;
    said.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_otp_signer_opens_the_mailed_link_mistypes_the_code_then_signs() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme Legal").await;
    let key = &account.api_key;
    let (id, _) = app
        .draft_with_contract(
            key,
            json!({"title": "Lease 7", "signing_order": "parallel"}),
        )
        .await;
    let signer = json!({"name": "Ada Lovelace", "email": "ada@example.test", "auth_method": "email_otp",
        "fields": [{"type": "signature", "tag": "signature_1"}, {"type": "date", "tag": "date_1"}]});
    app.add_signers_and_send(key, &id, &[signer]).await;
    app.run_jobs_until_idle().await;
    let invitation = app
        .smtp
        .messages()
        .into_iter()
        .find(|m| m.to().iter().any(|t| t.address == "ada@example.test"))
        .expect("the invitation");
    let link = link_in(&invitation.text_body().unwrap(), &app.base);
    crate::support::app::token_of(&link);

    let driver = ChromeDriver::start().await;
    let browser = driver.session(Viewport::Phone).await;
    open_page(&browser, &link, "Lease 7", "otp-code").await;
    assert!(
        browser.try_find("#sign-form").await.is_none(),
        "nothing to sign yet"
    );
    assert!(
        browser.try_find(".doc").await.is_none(),
        "no document before the code"
    );
    let intro = browser.find("#otp-intro").await.text().await;
    assert!(intro.contains("by e-mail to a***@example.test"), "{intro}");

    browser.find("#otp-send").await.click().await;
    let said = otp_status(&browser, "We sent a code").await;
    assert_eq!(said, "We sent a code to a***@example.test. Enter it below.");
    let send = browser.find("#otp-send").await;
    assert_eq!(send.attribute("disabled").await.as_deref(), Some("true"));
    assert!(
        send.text().await.starts_with("Send a new code ("),
        "counts down"
    );
    let code = emailed_code(&app, "ada@example.test");

    let input = browser.find("#otp-code").await;
    input.send_keys(&wrong(&code)).await;
    browser.find("#otp-verify").await.click().await;
    let said = otp_status(&browser, "not right").await;
    assert_eq!(said, "That code is not right. Attempts left: 4.");
    let class = browser.find("#otp-status").await.attribute("class").await;
    assert_eq!(class.as_deref(), Some("error"));
    assert_eq!(
        input.attribute("aria-invalid").await.as_deref(),
        Some("true")
    );
    keep_screenshot(&browser, "otp-wrong-code").await;
    assert_clean_console(
        &browser,
        &["/otp/verify - Failed to load resource: the server responded with a status of 422"],
    )
    .await;

    browser
        .execute("document.getElementById('otp-code').value = '';", vec![])
        .await;
    input.send_keys(&code).await;
    browser.find("#otp-verify").await.click().await;
    // The page reloads with the documents once the code is right.
    browser
        .wait_until("the documents", "!!document.getElementById('sign-form')")
        .await;
    open_page(&browser, &link, "Lease 7", "otp-verified").await;
    sign_typed(&browser, "Ada Lovelace").await;
    browser.quit().await;
    drop(driver);

    let kinds: Vec<String> = {
        let (_, events) = app
            .get_json(key, &format!("/api/v1/envelopes/{id}/events"))
            .await;
        events["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_owned())
            .collect()
    };
    let order = [
        "otp_sent",
        "otp_failed",
        "otp_verified",
        "consent_given",
        "signed",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|k| {
            kinds
                .iter()
                .position(|x| x == k)
                .unwrap_or_else(|| panic!("{k} in {kinds:?}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{kinds:?}");
    app.run_jobs_until_idle().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "completed", "{envelope}");
    validated_signed_pdf(&app, key, &id).await;
    crate::otp::assert_code_not_logged(&code);
    app.finish().await;
}
