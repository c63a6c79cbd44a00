//! What the page must get right besides signing: declining, a clean console, keyboard use.

use serde_json::{Value, json};

use super::page::{
    ENTER, TAB, assert_clean_console, draw_strokes, focused, keep_screenshot, open_page, press,
    send, wait_for_outcome,
};
use crate::support::TestApp;
use crate::support::webdriver::{ChromeDriver, Viewport};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signer_declines_through_the_page_with_a_reason() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme Legal").await;
    let key = &account.api_key;
    let signers = [json!({"name": "Ada Lovelace", "email": "ada@example.test",
        "fields": [{"type": "signature", "tag": "signature_1"}]})];
    let (id, urls) = send(&app, key, "To decline", &signers).await;
    let driver = ChromeDriver::start().await;
    let phone = driver.session(Viewport::Phone).await;
    open_page(&phone, &urls[0], "To decline", "decline").await;
    let reason = phone.find("#decline-reason").await;
    assert!(!reason.is_displayed().await, "declining is tucked away");
    phone.find("details.decline summary").await.click().await;
    reason.send_keys("The amount is wrong.").await;
    keep_screenshot(&phone, "decline-open").await;
    phone.find("#decline-button").await.click().await;
    let said = wait_for_outcome(&phone, "declined").await;
    assert_eq!(said, "You declined this request.");
    assert_clean_console(&phone, &[]).await;

    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "declined", "{envelope}");
    assert_eq!(envelope["signers"][0]["status"], "declined");
    assert_eq!(
        envelope["signers"][0]["decline_reason"],
        "The amount is wrong."
    );
    let (_, events) = app
        .get_json(key, &format!("/api/v1/envelopes/{id}/events"))
        .await;
    let declined = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "declined");
    assert_eq!(
        declined.expect("a declined event")["data"]["reason"],
        "The amount is wrong."
    );

    phone.goto(&urls[0]).await;
    let notice = phone.find(".notice").await.text().await;
    assert_eq!(notice, "You declined this request.");
    assert!(phone.try_find("#sign-form").await.is_none());
    phone.quit().await;
    drop(driver);
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_runs_without_script_errors_or_csp_violations() {
    // Every test checks the console of the pages it drives; this one works every control
    // without signing and proves the checks can see a violation.
    let app = TestApp::spawn().await;
    let account = app.account("Acme Legal").await;
    let (_, urls) = app.sent_envelope(&account.api_key, "parallel", 1).await;
    let driver = ChromeDriver::start().await;
    let browser = driver.session(Viewport::Phone).await;
    open_page(&browser, &urls[0], "Agreement", "console").await;
    let drawn = browser.find("input[name=sigkind][value=drawn]").await;
    drawn.click().await;
    draw_strokes(&browser).await;
    browser.find("#clear-pad").await.click().await;
    let typed = browser.find("input[name=sigkind][value=typed]").await;
    typed.click().await;
    browser.find("#sign-button").await.click().await;
    browser.find("details.decline summary").await.click().await;
    assert_clean_console(&browser, &[]).await;

    // An injected inline script and style are refused, and both detectors report it.
    browser
        .execute(
            "const s = document.createElement('script'); s.textContent = 'window.injected = 1';\
             document.body.append(s);\
             const c = document.createElement('style'); c.textContent = 'body { display: none }';\
             document.head.append(c);",
            vec![],
        )
        .await;
    browser
        .wait_until("the CSP reports", "window.pageProblems.length >= 2")
        .await;
    let injected = browser.execute("return window.injected;", vec![]).await;
    assert_eq!(injected, Value::Null, "the inline script did not run");
    let log = browser.browser_log().await;
    assert!(
        log.iter()
            .any(|e| e.level == "SEVERE" && e.message.contains("Content Security Policy")),
        "the browser log reports the violation: {log:?}"
    );
    browser.quit().await;
    drop(driver);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keyboard_user_can_skip_the_preview_and_meets_the_form_in_order() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme Legal").await;
    let key = &account.api_key;
    let signers = [
        json!({"name": "Ada Lovelace", "email": "ada@example.test", "fields": [
            {"type": "signature", "tag": "signature_1"}, {"type": "text", "tag": "text_1"},
        ]}),
    ];
    let (_, urls) = send(&app, key, "Keyboard", &signers).await;
    let driver = ChromeDriver::start().await;
    let browser = driver.session(Viewport::Desktop).await;
    open_page(&browser, &urls[0], "Keyboard", "keyboard").await;
    press(&browser, TAB).await;
    assert_eq!(focused(&browser).await, "Skip to the form");
    press(&browser, ENTER).await;
    let mut order = Vec::new();
    for _ in 0..7 {
        press(&browser, TAB).await;
        order.push(focused(&browser).await);
    }
    let expected = [
        "Text (page 1)",
        "Type",
        "Type your full name",
        "Dancing Script",
        "I agree to sign electronically.",
        "Sign",
        "Decline instead",
    ];
    assert_eq!(order, expected);
    assert_clean_console(&browser, &[]).await;
    browser.quit().await;
    drop(driver);
    app.finish().await;
}
