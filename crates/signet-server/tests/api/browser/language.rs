//! The page in the signer's language, in real Chromium: a German signer's page, its scripts'
//! messages, the disclosure recorded as shown, and the date field filled by the server's clock
//! in German on the page and in the sealed PDF.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use signet_core::locale::long_date;
use signet_core::model::Language;

use super::page::{
    assert_clean_console, keep_screenshot, open_page, send, status_text, validated_signed_pdf,
    wait_for_outcome,
};
use crate::support::TestApp;
use crate::support::validators::pdftotext;
use crate::support::webdriver::{ChromeDriver, Viewport};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_german_signer_signs_in_german_and_the_date_is_stamped_in_german() {
    let app = TestApp::spawn().await;
    let expected_date = long_date(app.clock_now(), Language::De);
    let account = app.account("Acme Legal").await;
    let key = &account.api_key;
    let signers = [
        json!({"name": "Ada Lovelace", "email": "ada@example.test", "language": "de",
        "fields": [
            {"type": "signature", "tag": "signature_1"}, {"type": "date", "tag": "date_1"},
            {"type": "text", "tag": "text_1", "required": true},
        ]}),
    ];
    let (id, urls) = send(&app, key, "Dienstvertrag", &signers).await;
    let driver = ChromeDriver::start().await;
    let browser = driver.session(Viewport::Phone).await;
    open_page(&browser, &urls[0], "Dienstvertrag", "german").await;

    let lang = browser
        .execute("return document.documentElement.lang;", vec![])
        .await;
    assert_eq!(lang, "de");
    let sender = browser.find(".sender").await.text().await;
    assert_eq!(
        sender,
        "Acme Legal bittet Ada Lovelace um eine Unterschrift"
    );
    assert_eq!(
        browser.find("#sign-button").await.text().await,
        "Unterschreiben"
    );
    let form = browser.find("#sign-form").await.text().await;
    let date_note = format!(
        "Datum (Seite 1): wird beim Unterschreiben mit dem heutigen Datum ausgefüllt, {expected_date}."
    );
    assert!(form.contains(&date_note), "{form}");
    assert!(form.contains("Ich bin damit einverstanden, elektronisch zu unterschreiben."));
    browser
        .wait_until("the preview", "document.body.dataset.pdf === 'rendered'")
        .await;
    // The marker names the date in its tooltip; its box shows it too when the box is big
    // enough for readable words (not at this phone's scale).
    let marker = browser
        .execute(
            "const m = document.querySelector('.marker.date'); return [m.title, m.textContent];",
            vec![],
        )
        .await;
    let (title, text) = (marker[0].as_str().unwrap(), marker[1].as_str().unwrap());
    assert!(
        title.contains(&expected_date),
        "the date marker names the server's date: {title}"
    );
    assert!(
        text.is_empty() || text == expected_date,
        "the date marker's words: {text}"
    );
    let remaining = browser.find("#remaining").await.text().await;
    assert_eq!(
        remaining,
        "Noch erforderlich: Text (Seite 1), Ihre Unterschrift."
    );

    // The scripts speak German too: their own checks and the server's refusals.
    browser.find("#sign-button").await.click().await;
    assert_eq!(
        status_text(&browser).await,
        "Bitte geben Sie Ihren Namen ein oder wählen Sie Zeichnen."
    );
    browser
        .find("#typed-name")
        .await
        .send_keys("Ada Lovelace")
        .await;
    browser.find("#consent").await.click().await;
    browser.find("#sign-button").await.click().await;
    let refused = browser
        .wait_until(
            "the server's answer",
            "document.getElementById('status').textContent.includes('Pflichtfeld') \
             && document.getElementById('status').textContent",
        )
        .await;
    assert_eq!(
        refused,
        "Das Feld \u{201e}Text (Seite 1)\u{201c} ist ein Pflichtfeld."
    );
    browser
        .find("input[data-kind=text]")
        .await
        .send_keys("Geschäftsführerin")
        .await;
    keep_screenshot(&browser, "german-filled").await;
    let shown_disclosure = browser
        .execute(
            "return document.getElementById('consent-text').textContent;",
            vec![],
        )
        .await;
    browser.find("#sign-button").await.click().await;
    let said = wait_for_outcome(&browser, "signed").await;
    assert_eq!(said, "Vielen Dank: Sie haben unterschrieben.");
    assert_clean_console(
        &browser,
        &["/complete - Failed to load resource: the server responded with a status of 422"],
    )
    .await;
    browser.quit().await;
    drop(driver);

    // The audit trail holds the disclosure that was shown, in German, and the date given.
    let consent = &app.events_of(key, &id, "consent_given").await[0]["data"];
    let shown = shown_disclosure.as_str().unwrap();
    assert!(
        shown.starts_with("Mit Ihrer elektronischen Unterschrift"),
        "{shown}"
    );
    assert_eq!(consent["language"], "de", "{consent}");
    assert_eq!(consent["disclosure_version"], "2026-11-de-1");
    assert_eq!(
        consent["disclosure_sha256"].as_str(),
        Some(hex::encode(Sha256::digest(shown.as_bytes())).as_str()),
        "the recorded hash is the hash of the text on the page"
    );
    let signed = &app.events_of(key, &id, "signed").await[0]["data"];
    let date: Vec<&Value> = signed["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "date")
        .collect();
    assert_eq!(date[0]["value"]["text"], expected_date.as_str(), "{signed}");

    app.run_jobs_until_idle().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "completed", "{envelope}");
    let pdf = validated_signed_pdf(&app, key, &id).await;
    let text = pdftotext(&pdf);
    for stamped in [expected_date.as_str(), "Geschäftsführerin", "Ada Lovelace"] {
        assert!(text.contains(stamped), "{stamped:?} missing from {text}");
    }
    app.finish().await;
}

#[tokio::test]
async fn the_date_a_french_signer_sees_and_gets_is_the_servers_not_the_browsers() {
    let app = TestApp::spawn().await;
    // Move the server's clock well away from the real day: the page and the stamped value
    // follow it (a browser's clock plays no part).
    app.clock.advance(time::Duration::days(45));
    let expected_date = long_date(app.clock_now(), Language::Fr);
    let account = app.account("Acme").await;
    let key = &account.api_key;
    let signers = [
        json!({"name": "Ada Lovelace", "email": "ada@example.test", "language": "fr",
        "fields": [{"type": "signature", "tag": "signature_1"}, {"type": "date", "tag": "date_1"}]}),
    ];
    let (id, urls) = send(&app, key, "Contrat", &signers).await;
    let page = app
        .client
        .get(&urls[0])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<html lang=\"fr\">"), "{page}");
    let note =
        format!("Date (p. 1) : rempli avec la date du jour, {expected_date}, lorsque vous signez.");
    assert!(page.contains(&note), "{note} not in {page}");
    assert!(
        page.contains(&format!("data-today=\"{expected_date}\"")),
        "{page}"
    );
    assert!(page.contains("En signant électroniquement, vous acceptez"));
    let (status, body) = app
        .signer_post(&urls[0], "complete", &crate::support::app::typed_signing())
        .await;
    assert_eq!(status, 200, "{body}");
    let signed = &app.events_of(key, &id, "signed").await[0]["data"];
    let date = signed["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "date")
        .unwrap();
    assert_eq!(date["value"]["text"], expected_date.as_str(), "{signed}");
    let consent = &app.events_of(key, &id, "consent_given").await[0]["data"];
    assert_eq!(
        (
            consent["language"].as_str(),
            consent["disclosure_version"].as_str()
        ),
        (Some("fr"), Some("2026-11-fr-1"))
    );
    app.run_jobs_until_idle().await;
    app.finish().await;
}
