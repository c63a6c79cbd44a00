//! Two e-mail signers in sequence, each in real Chromium through the link they were mailed:
//! the second hears nothing until the first has signed (initials, text, checkbox and a typed
//! signature), then gets their turn by e-mail and signs; the envelope seals and validates.

use serde_json::json;

use super::page::{open_page, sign_typed, validated_signed_pdf};
use crate::support::TestApp;
use crate::support::app::link_in;
use crate::support::validators::pdftotext;
use crate::support::webdriver::{ChromeDriver, Viewport};

/// The signing link in the one e-mail `address` has received.
fn mailed_link(app: &TestApp, address: &str) -> String {
    let mails = mails_to(app, address);
    assert_eq!(mails.len(), 1, "one e-mail to {address}");
    link_in(&mails[0], &app.base)
}

/// The text parts of the e-mails sent to `address`.
fn mails_to(app: &TestApp, address: &str) -> Vec<String> {
    app.smtp
        .messages()
        .into_iter()
        .filter(|m| m.to().iter().any(|to| to.address == address))
        .map(|m| m.text_body().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_signer_in_sequence_is_invited_only_once_the_first_has_signed() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme Legal").await;
    let key = &account.api_key;
    let (id, _) = app
        .draft_with_contract(
            key,
            json!({"title": "Joint venture", "signing_order": "sequential"}),
        )
        .await;
    let signers = [
        json!({"name": "Ada Lovelace", "email": "ada@example.test", "order": 1, "fields": [
            {"type": "signature", "tag": "signature_1"}, {"type": "initials", "tag": "initials_1"},
            {"type": "text", "tag": "text_1", "required": true}, {"type": "checkbox", "tag": "checkbox_1"},
        ]}),
        json!({"name": "Charles Babbage", "email": "charles@example.test", "order": 2,
            "fields": [{"type": "signature", "tag": "signature_2"}]}),
    ];
    app.add_signers_and_send(key, &id, &signers).await;
    app.run_jobs_until_idle().await;
    let first = mailed_link(&app, "ada@example.test");
    assert!(
        mails_to(&app, "charles@example.test").is_empty(),
        "the second signer hears nothing before the first has signed"
    );

    let driver = ChromeDriver::start().await;
    let ada = driver.session(Viewport::Desktop).await;
    open_page(&ada, &first, "Joint venture", "sequence-first").await;
    ada.wait_until("the preview", "document.body.dataset.pdf === 'rendered'")
        .await;
    assert!(
        ada.try_find(".marker.initials").await.is_some(),
        "the initials field is marked on its page"
    );
    ada.find("input[data-kind=text]")
        .await
        .send_keys("Analyst")
        .await;
    ada.find("input[data-kind=checkbox]").await.click().await;
    sign_typed(&ada, "Ada Lovelace").await;
    ada.quit().await;

    app.run_jobs_until_idle().await;
    let second = mailed_link(&app, "charles@example.test");
    let turn = &mails_to(&app, "charles@example.test")[0];
    assert!(turn.contains("your turn"), "{turn}");
    let charles = driver.session(Viewport::Phone).await;
    open_page(&charles, &second, "Joint venture", "sequence-second").await;
    assert!(charles.try_find("input[data-kind=text]").await.is_none());
    sign_typed(&charles, "Charles Babbage").await;
    charles.quit().await;
    drop(driver);

    app.run_jobs_until_idle().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "completed", "{envelope}");
    let signed = validated_signed_pdf(&app, key, &id).await;
    let text = pdftotext(&signed);
    for stamped in ["Analyst", "Ada Lovelace", "Charles Babbage"] {
        assert!(text.contains(stamped), "{stamped:?} missing from {text}");
    }
    app.finish().await;
}
