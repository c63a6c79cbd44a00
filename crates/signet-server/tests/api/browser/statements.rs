//! A statement on the signing page: shown with its Markdown rendered safely and its document's
//! name, a required checkbox the page insists on before it signs anything.

use serde_json::json;

use super::page::{
    assert_clean_console, assert_focused, open_page, press, sign_typed, status_text,
    validated_signed_pdf,
};
use crate::support::TestApp;
use crate::support::webdriver::{ChromeDriver, Viewport};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signer_ticks_the_statement_before_the_page_signs() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme Legal").await.api_key;
    let (id, document) = app
        .draft_with_contract(key, json!({"title": "Terms", "signing_order": "parallel"}))
        .await;
    let label = "I accept the **general terms** <b>as is</b>";
    let statements = json!({"statements": [
        {"id": "terms", "label": label, "document_id": document["id"]},
    ]});
    let (status, body) = app
        .patch_json(key, &format!("/api/v1/envelopes/{id}"), &statements)
        .await;
    assert_eq!(status, 200, "{body}");
    let signer = json!({"name": "Ada Lovelace", "email": "ada@example.test", "invitation": "link",
        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let sent = app.add_signers_and_send(key, &id, &[signer]).await;
    let url = sent["signers"][0]["sign_url"].as_str().unwrap();

    let driver = ChromeDriver::start().await;
    let browser = driver.session(Viewport::Phone).await;
    open_page(&browser, url, "Terms", "statement").await;
    let shown = browser.find("label.statement").await.text().await;
    let shown = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        shown,
        "I accept the general terms <b>as is</b> (About contract.pdf)"
    );
    let bold = browser.find("label.statement strong").await.text().await;
    assert_eq!(bold, "general terms", "Markdown bold is rendered");
    let injected = browser
        .execute(
            "return document.querySelectorAll('label.statement b').length;",
            vec![],
        )
        .await;
    assert_eq!(injected, 0, "the sender's HTML is text");
    let guide = browser.find("#remaining").await.text().await;
    assert!(guide.contains("the declarations"), "{guide}");

    browser
        .find("#typed-name")
        .await
        .send_keys("Ada Lovelace")
        .await;
    browser.find("#consent").await.click().await;
    browser.find("#sign-button").await.click().await;
    let said = status_text(&browser).await;
    assert_eq!(said, "Please tick every declaration first.");
    assert_focused(&browser, "[data-statement=terms]").await;
    let clear = browser
        .execute(
            "return document.querySelector('[data-statement=terms]').getBoundingClientRect().top \
             >= document.getElementById('guide').getBoundingClientRect().bottom;",
            vec![],
        )
        .await;
    assert_eq!(clear, true, "the focused box is not under the sticky guide");
    // The focus is on the box: Space ticks it.
    press(&browser, " ").await;
    let guide = browser.find("#remaining").await.text().await;
    assert!(
        !guide.contains("declarations"),
        "the guide follows the tick: {guide}"
    );
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["signers"][0]["status"], "pending");

    // sign_typed types the name again and ticks the consent box: undo both first.
    browser.find("#consent").await.click().await;
    browser
        .execute("document.getElementById('typed-name').value = '';", vec![])
        .await;
    sign_typed(&browser, "Ada Lovelace").await;
    assert_clean_console(&browser, &[]).await;
    browser.quit().await;
    drop(driver);

    app.run_jobs_until_idle().await;
    let signed = app.events_of(key, &id, "signed").await;
    assert_eq!(signed[0]["data"]["statements"][0]["statement_id"], "terms");
    assert_eq!(signed[0]["data"]["statements"][0]["label"], label);
    validated_signed_pdf(&app, key, &id).await;
    app.finish().await;
}
