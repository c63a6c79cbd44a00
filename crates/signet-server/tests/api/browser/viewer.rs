//! The document viewer of the signing page (pdf.js): pages drawn, fields at their places,
//! the guided "next field" flow; and a signature adopted from an uploaded picture.

use serde_json::{Value, json};

use super::page::{
    assert_clean_console, assert_focused, keep_screenshot, open_page, send, wait_for_outcome,
};
use crate::support::TestApp;
use crate::support::webdriver::{ChromeDriver, Session, Viewport};

/// Waits until every document is drawn, then returns each drawn page's size and inked
/// pixel count, and each marker's kind, classes and box relative to its page (CSS pixels).
async fn drawn(browser: &Session) -> Value {
    browser
        .wait_until(
            "the pages drawn",
            "document.body.dataset.pdf === 'rendered'",
        )
        .await;
    browser
        .execute(
            "const pages = [...document.querySelectorAll('.page')].map(p => {\
               const c = p.querySelector('canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;\
               let ink = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 0) ink++;\
               const r = p.getBoundingClientRect(); return {width: r.width, height: r.height, ink};});\
             const markers = [...document.querySelectorAll('.marker')].map(m => {\
               const r = m.getBoundingClientRect(), p = m.parentElement.getBoundingClientRect();\
               return {field: m.dataset.field, kind: m.dataset.kind, classes: m.className,\
                 left: r.left - p.left, top: r.top - p.top, width: r.width, height: r.height};});\
             return {pages, markers, overflow: document.documentElement.scrollWidth - innerWidth};",
            vec![],
        )
        .await
}

fn close(a: &Value, b: f64) -> bool {
    (a.as_f64().unwrap() - b).abs() <= 1.5
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_are_drawn_with_the_fields_in_place_and_the_signer_is_led_through_them() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme Legal").await.api_key;
    let signers = [
        json!({"name": "Ada Lovelace", "email": "ada@example.test", "fields": [
            {"type": "signature", "tag": "signature_1"}, {"type": "date", "tag": "date_1"},
            {"type": "text", "tag": "text_1", "required": true}, {"type": "checkbox", "tag": "checkbox_1"},
        ]}),
    ];
    let (id, urls) = send(&app, key, "Viewer", &signers).await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    let document = &envelope["documents"][0];
    let fields = envelope["signers"][0]["fields"].as_array().unwrap().clone();
    let driver = ChromeDriver::start().await;

    // The phone only looks; the desktop then goes through the fields and signs.
    for viewport in [Viewport::Phone, Viewport::Desktop] {
        let browser = driver.session(viewport).await;
        open_page(&browser, &urls[0], "Viewer", "viewer").await;
        let laid_out = browser
            .execute(
                "return [...document.querySelectorAll('.page')].map(p => p.getBoundingClientRect().top);",
                vec![],
            )
            .await;
        let view = drawn(&browser).await;
        keep_screenshot(&browser, "viewer-drawn").await;
        let tops = browser
            .execute(
                "return [...document.querySelectorAll('.page')].map(p => p.getBoundingClientRect().top);",
                vec![],
            )
            .await;
        let moved = |(a, b): (&Value, &Value)| (a.as_f64().unwrap() - b.as_f64().unwrap()).abs();
        let shift = laid_out
            .as_array()
            .unwrap()
            .iter()
            .zip(tops.as_array().unwrap())
            .map(moved);
        assert!(
            shift.fold(0.0, f64::max) < 2.0,
            "drawing moved the pages: {laid_out} {tops}"
        );
        let pages = view["pages"].as_array().unwrap();
        assert_eq!(
            pages.len() as u64,
            document["pages"].as_u64().unwrap(),
            "{view}"
        );
        assert!(
            view["overflow"].as_i64().unwrap() <= 0,
            "no sideways scrolling: {view}"
        );
        for page in pages {
            assert!(
                page["ink"].as_u64().unwrap() > 500,
                "the page's text is drawn: {view}"
            );
        }
        // Every field of the signer sits where the API says it is, scaled to the drawn page.
        let markers = view["markers"].as_array().unwrap();
        assert_eq!(markers.len(), fields.len(), "{view}");
        for field in &fields {
            let marker = markers.iter().find(|m| m["field"] == field["id"]).unwrap();
            let n = field["page"].as_u64().unwrap() as usize - 1;
            let size = &document["page_sizes"][n];
            let (pw, ph) = (
                size["width"].as_f64().unwrap(),
                size["height"].as_f64().unwrap(),
            );
            let scale = pages[n]["width"].as_f64().unwrap() / pw;
            let (x, y) = (field["x"].as_f64().unwrap(), field["y"].as_f64().unwrap());
            let (w, h) = (
                field["width"].as_f64().unwrap(),
                field["height"].as_f64().unwrap(),
            );
            assert!(close(&marker["left"], x * scale), "{field} {marker}");
            assert!(
                close(&marker["top"], (ph - y - h) * scale),
                "{field} {marker}"
            );
            assert!(close(&marker["width"], w * scale) && close(&marker["height"], h * scale));
        }
        assert_clean_console(&browser, &[]).await;
        if viewport == Viewport::Phone {
            browser.quit().await;
            continue;
        }

        // The guide: what is still needed, and a button that goes to it.
        let remaining = || async { browser.find("#remaining").await.text().await };
        let said = remaining().await;
        assert!(
            said.contains("Text (page 1)") && said.contains("your signature"),
            "{said}"
        );
        assert!(
            !said.contains("Checkbox"),
            "optional fields are not demanded: {said}"
        );
        let text_id = fields.iter().find(|f| f["type"] == "text").unwrap()["id"]
            .as_str()
            .unwrap();
        browser.find("#next-field").await.click().await;
        assert_focused(&browser, &format!("#f-{text_id}")).await;
        let current = format!(".marker.current[data-field='{text_id}']");
        assert!(
            browser.try_find(&current).await.is_some(),
            "the field is marked on the page"
        );
        browser
            .find(&format!("#f-{text_id}"))
            .await
            .send_keys("Chief Engineer")
            .await;
        let done = format!(".marker.done[data-field='{text_id}']");
        assert!(browser.try_find(&done).await.is_some());
        assert!(!remaining().await.contains("Text (page 1)"));

        browser.find("#next-field").await.click().await;
        assert_focused(&browser, "#typed-name").await;
        browser
            .find("#typed-name")
            .await
            .send_keys("Ada Lovelace")
            .await;
        assert!(remaining().await.contains("Everything is filled in"));
        browser.find("#next-field").await.click().await;
        assert_focused(&browser, "#consent").await;
        browser.find("#consent").await.click().await;
        browser.find("#sign-button").await.click().await;
        wait_for_outcome(&browser, "signed").await;
        assert_clean_console(&browser, &[]).await;
        browser.quit().await;
    }
    app.run_jobs_until_idle().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "completed");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signer_adopts_an_uploaded_picture_of_their_signature() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme Legal").await.api_key;
    let signers = [json!({"name": "Ada Lovelace", "email": "ada@example.test",
        "fields": [{"type": "signature", "tag": "signature_1"}]})];
    let (id, urls) = send(&app, key, "Upload", &signers).await;
    let picture = app.data_path().join("signature.png");
    std::fs::write(&picture, crate::support::fixtures::tiny_png()).unwrap();
    let not_a_picture = app.data_path().join("notes.png");
    std::fs::write(&not_a_picture, b"just text").unwrap();
    let driver = ChromeDriver::start().await;
    let browser = driver.session(Viewport::Phone).await;
    open_page(&browser, &urls[0], "Upload", "upload").await;
    browser
        .find("input[name=sigkind][value=drawn]")
        .await
        .click()
        .await;
    let upload = browser.find("#sig-upload").await;
    upload.send_keys(not_a_picture.to_str().unwrap()).await;
    let said = browser
        .wait_until(
            "the refusal",
            "document.getElementById('status').textContent",
        )
        .await;
    assert!(said.as_str().unwrap().contains("not a picture"), "{said}");
    upload.send_keys(picture.to_str().unwrap()).await;
    browser
        .wait_until(
            "the picture on the pad",
            "document.getElementById('pad').dataset.drawn === 'true'",
        )
        .await;
    assert!(
        super::page::ink(&browser).await > 0,
        "the picture is on the pad"
    );
    browser.find("#consent").await.click().await;
    browser.find("#sign-button").await.click().await;
    wait_for_outcome(&browser, "signed").await;
    assert_clean_console(&browser, &[]).await;
    browser.quit().await;
    app.run_jobs_until_idle().await;
    let signed = super::page::validated_signed_pdf(&app, key, &id).await;
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&signed)
        .output()
        .unwrap();
    let images = String::from_utf8_lossy(&images.stdout);
    assert!(
        images.lines().any(|l| l.contains(" image ")),
        "the picture is stamped: {images}"
    );
    app.finish().await;
}
