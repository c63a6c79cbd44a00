//! The signing page in a real headless Chromium (see `support::webdriver`): a signer types or
//! draws a signature, fills fields, consents and signs, or declines, on a 360 px phone and on
//! a desktop; what the page shows, what the API then reports, and that the sealed PDF
//! validates. The browser console must stay free of script errors and CSP violations.

mod checks;
mod language;
mod oidc;
mod otp;
pub(crate) mod page;
mod sequence;
mod statements;
mod viewer;

use std::process::Command;

use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::TestApp;
use crate::support::validators::pdftotext;
use crate::support::webdriver::{ChromeDriver, Viewport};
use page::{
    assert_clean_console, assert_focused, draw_strokes, ink, keep_screenshot, open_page, send,
    status_text, validated_signed_pdf, wait_for_outcome,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signer_signs_with_a_typed_name_on_a_phone_and_on_a_desktop() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme Legal").await;
    let key = &account.api_key;
    let signers = [
        json!({"name": "Ada Lovelace", "email": "ada@example.test", "fields": [
            {"type": "signature", "tag": "signature_1"}, {"type": "date", "tag": "date_1"},
            {"type": "text", "tag": "text_1", "required": true}, {"type": "checkbox", "tag": "checkbox_1"},
        ]}),
        json!({"name": "Charles Babbage", "email": "charles@example.test",
            "redirect_url": app.hooks.url("/after-signing"),
            "fields": [{"type": "signature", "tag": "signature_2"}]}),
    ];
    let (id, urls) = send(&app, key, "Service agreement", &signers).await;
    let driver = ChromeDriver::start().await;

    let phone = driver.session(Viewport::Phone).await;
    open_page(&phone, &urls[0], "Service agreement", "typed").await;
    assert!(
        phone
            .find("#sign-form")
            .await
            .text()
            .await
            .contains("Date (page 1)"),
        "the date field is explained"
    );
    let text = phone.find("input[data-kind=text]").await;
    assert_eq!(text.attribute("required").await.as_deref(), Some("true"));
    text.send_keys("Chief Engineer").await;
    phone.find("input[data-kind=checkbox]").await.click().await;
    // She picks a style for her typed name: the choices show it in each face.
    phone
        .find("#typed-name")
        .await
        .send_keys("Ada Lovelace")
        .await;
    let vibes = phone.find("input[name=sigfont][value=great_vibes]").await;
    vibes.click().await;
    let sample = phone.find(".sample.font-great_vibes").await.text().await;
    assert_eq!(sample, "Ada Lovelace");
    phone
        .wait_until(
            "the face loaded",
            "document.fonts.check('16px \"Signet Great Vibes\"') && document.fonts.status === 'loaded'",
        )
        .await;
    phone.find("#consent").await.click().await;
    phone.find("#sign-button").await.click().await;
    let status = wait_for_outcome(&phone, "signed").await;
    assert_eq!(status, "Thank you: you have signed.");
    assert_clean_console(&phone, &[]).await;
    phone.quit().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["signers"][0]["status"], "signed", "{envelope}");
    assert_eq!(envelope["status"], "in_progress");

    // The second signer has a redirect URL: the page follows it after signing.
    let desktop = driver.session(Viewport::Desktop).await;
    open_page(&desktop, &urls[1], "Service agreement", "typed").await;
    assert!(desktop.try_find("input[data-kind=text]").await.is_none());
    desktop
        .find("#typed-name")
        .await
        .send_keys("Charles Babbage")
        .await;
    desktop.find("#consent").await.click().await;
    assert_clean_console(&desktop, &[]).await;
    desktop.find("#sign-button").await.click().await;
    let landing = app.hooks.url("/after-signing?");
    let arrived = desktop
        .wait_until(
            "the redirect",
            &format!("location.href.startsWith({landing:?}) && location.href"),
        )
        .await;
    let arrived = arrived.as_str().unwrap();
    assert!(
        arrived.contains(&format!("key={id}")) && arrived.ends_with("status=success"),
        "{arrived}"
    );
    let visits: Vec<_> = app
        .hooks
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/after-signing?"))
        .collect();
    assert_eq!(visits.len(), 1, "the browser landed once on the redirect");
    assert_eq!(visits[0].method, "GET");
    desktop.quit().await;
    drop(driver);

    app.run_jobs_until_idle().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "completed", "{envelope}");
    let signed = validated_signed_pdf(&app, key, &id).await;
    let fonts = Command::new("pdffonts").arg(&signed).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        fonts.contains("GreatVibes"),
        "Ada's chosen face is embedded: {fonts}"
    );
    assert!(
        fonts.contains("DancingScript"),
        "Charles kept the default: {fonts}"
    );
    let text = pdftotext(&signed);
    for stamped in ["Ada Lovelace", "Chief Engineer", "Charles Babbage"] {
        assert!(text.contains(stamped), "{stamped:?} missing from {text}");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signature_drawn_with_touch_and_mouse_strokes_is_stored_and_sealed() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme Legal").await;
    let key = &account.api_key;
    let signers = [
        json!({"name": "Ada Lovelace", "email": "ada@example.test",
            "fields": [{"type": "signature", "tag": "signature_1"}]}),
        json!({"name": "Charles Babbage", "email": "charles@example.test",
            "fields": [{"type": "signature", "tag": "signature_2"}]}),
    ];
    let (id, urls) = send(&app, key, "Drawn agreement", &signers).await;
    let driver = ChromeDriver::start().await;
    let mut drawn = Vec::new();
    for (i, viewport) in [Viewport::Phone, Viewport::Desktop].into_iter().enumerate() {
        let url = &urls[i];
        let browser = driver.session(viewport).await;
        open_page(&browser, url, "Drawn agreement", "drawn").await;
        browser
            .find("input[name=sigkind][value=drawn]")
            .await
            .click()
            .await;
        assert!(browser.find("#pad").await.is_displayed().await);
        assert!(!browser.find("#typed-name").await.is_displayed().await);
        draw_strokes(&browser).await;
        assert!(ink(&browser).await > 100, "the strokes left ink");
        browser.find("#clear-pad").await.click().await;
        assert_eq!(ink(&browser).await, 0, "Clear wipes the pad");
        browser.find("#consent").await.click().await;
        browser.find("#sign-button").await.click().await;
        let said = status_text(&browser).await;
        assert!(said.contains("draw your signature"), "{said}");
        let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
        assert_eq!(
            envelope["signers"][i]["status"], "pending",
            "nothing was signed"
        );
        draw_strokes(&browser).await;
        keep_screenshot(&browser, "drawn-strokes").await;
        assert!(ink(&browser).await > 100, "the second strokes left ink");
        let png = browser
            .execute(
                "return document.getElementById('pad').toDataURL('image/png');",
                vec![],
            )
            .await;
        let png = png
            .as_str()
            .unwrap()
            .strip_prefix("data:image/png;base64,")
            .unwrap();
        drawn.push(
            base64::engine::general_purpose::STANDARD
                .decode(png)
                .unwrap(),
        );
        browser.find("#sign-button").await.click().await;
        wait_for_outcome(&browser, "signed").await;
        assert_clean_console(&browser, &[]).await;
        browser.quit().await;
    }
    drop(driver);

    let (_, events) = app
        .get_json(key, &format!("/api/v1/envelopes/{id}/events"))
        .await;
    let signatures: Vec<&Value> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "signed")
        .map(|e| &e["data"]["signature"])
        .collect();
    assert_eq!(signatures.len(), 2, "{events}");
    for (signature, png) in signatures.iter().zip(&drawn) {
        assert_eq!(signature["kind"], "drawn", "{signature}");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(
            signature["sha256"].as_str(),
            Some(hex::encode(Sha256::digest(png)).as_str()),
            "the stored image is the one drawn on the pad"
        );
    }
    app.run_jobs_until_idle().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "completed", "{envelope}");
    let signed = validated_signed_pdf(&app, key, &id).await;
    let images = Command::new("pdfimages").arg("-list").arg(&signed).output();
    let images = String::from_utf8(images.expect("pdfimages (poppler-utils)").stdout).unwrap();
    let stamped = images.lines().filter(|l| l.contains(" image ")).count();
    assert!(stamped >= 2, "both drawn signatures are stamped:\n{images}");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_what_is_missing_and_signs_nothing_until_it_is_given() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme Legal").await;
    let key = &account.api_key;
    let signers = [
        json!({"name": "Ada Lovelace", "email": "ada@example.test", "fields": [
            {"type": "signature", "tag": "signature_1"}, {"type": "text", "tag": "text_1", "required": true},
        ]}),
    ];
    let (id, urls) = send(&app, key, "Validation", &signers).await;
    let driver = ChromeDriver::start().await;
    let browser = driver.session(Viewport::Desktop).await;
    open_page(&browser, &urls[0], "Validation", "validation").await;

    // What the page itself can check, it checks first, in the order of the form.
    let sign = browser.find("#sign-button").await;
    sign.click().await;
    let said = status_text(&browser).await;
    assert!(said.contains("type your name"), "{said}");
    let status_class = browser.find("#status").await.attribute("class").await;
    assert_eq!(status_class.as_deref(), Some("error"));
    assert_focused(&browser, "#typed-name").await;
    let typed = browser.find("#typed-name").await;
    assert_eq!(
        typed.attribute("aria-invalid").await.as_deref(),
        Some("true")
    );
    typed.send_keys("Ada Lovelace").await;
    assert_eq!(
        typed.attribute("aria-invalid").await,
        None,
        "typing clears the mark"
    );
    sign.click().await;
    let said = status_text(&browser).await;
    assert!(said.contains("tick the consent box"), "{said}");
    assert_focused(&browser, "#consent").await;

    // Only the server knows the text field is required: its 422 message is shown, naming
    // the field as the page labels it.
    browser.find("#consent").await.click().await;
    sign.click().await;
    let said = browser
        .wait_until(
            "the server's answer",
            "document.getElementById('status').textContent.includes('required') \
             && document.getElementById('status').textContent",
        )
        .await;
    keep_screenshot(&browser, "validation-error").await;
    assert_eq!(said, "The field \u{201c}Text (page 1)\u{201d} is required.");
    let text = browser.find("input[data-kind=text]").await;
    assert_eq!(
        text.attribute("aria-invalid").await.as_deref(),
        Some("true")
    );
    assert_focused(&browser, "input[data-kind=text]").await;
    let disabled = sign.attribute("disabled").await;
    assert_eq!(disabled, None, "the signer can try again");
    assert_clean_console(
        &browser,
        &["/complete - Failed to load resource: the server responded with a status of 422"],
    )
    .await;

    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(
        envelope["signers"][0]["status"], "pending",
        "nothing was signed"
    );
    let (_, events) = app
        .get_json(key, &format!("/api/v1/envelopes/{id}/events"))
        .await;
    let kinds: Vec<&str> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(
        !kinds.contains(&"consent_given") && !kinds.contains(&"signed"),
        "{kinds:?}"
    );

    text.send_keys("Chief Engineer").await;
    sign.click().await;
    wait_for_outcome(&browser, "signed").await;
    assert_eq!(text.attribute("aria-invalid").await, None);
    browser.quit().await;
    drop(driver);
    app.run_jobs_until_idle().await;
    app.finish().await;
}
