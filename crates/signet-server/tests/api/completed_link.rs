//! The completed e-mail's link variant: with the account's `completed_documents: "link"` every
//! party gets a download link of their own instead of attachments; the link serves the exact
//! sealed bytes with no-store and no-referrer, its opening is in the audit trail, a wrong token
//! is 404, a deleted envelope's link stops, a link expires after 30 days, and the database
//! holds only the token's SHA-256; over the size limit an attaching account's mail links too.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use signet_testkit::smtp::ReceivedMail;

use crate::password_reset::database::{database_bytes, hex};
use crate::support::TestApp;
use crate::support::app::{link_in, typed_signing};

/// An account that sends download links; its API key.
async fn linking_account(app: &TestApp) -> String {
    let key = app.account("Acme").await.api_key;
    let body = json!({"completed_documents": "link"});
    let (status, account) = app.patch_json(&key, "/api/v1/account", &body).await;
    assert_eq!(status, 200, "{account}");
    assert_eq!(account["completed_documents"], "link");
    key
}

/// Sends a contract to e-mail signer ann and cc recipient carl, ann signs, jobs run; returns
/// the envelope id.
async fn completed_for_ann_and_carl(app: &TestApp, key: &str) -> String {
    let (id, _) = app
        .draft_with_contract(key, json!({"title": "Lease", "signing_order": "parallel"}))
        .await;
    let parties = [
        json!({"name": "Ann", "email": "ann@example.test",
               "fields": [{"type": "signature", "tag": "signature_1"}]}),
        json!({"name": "Carl", "email": "carl@example.test", "role": "cc"}),
    ];
    app.add_signers_and_send(key, &id, &parties).await;
    app.run_jobs_until_idle().await;
    let invitation = last_to(app, "ann@example.test");
    let link = link_in(&text(&invitation), &app.base);
    let (status, body) = app.signer_post(&link, "complete", &typed_signing()).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    id
}

fn text(mail: &ReceivedMail) -> String {
    mail.text_body().unwrap().replace("\r\n", "\n")
}

fn last_to(app: &TestApp, address: &str) -> ReceivedMail {
    let mails = app.smtp.messages();
    let mut mine = mails
        .into_iter()
        .filter(|m| m.recipients.iter().any(|r| r == address));
    mine.next_back().expect("a mail")
}

/// The download link in a completed mail (remembered as a secret the log must not show).
fn download_link(app: &TestApp, mail: &ReceivedMail) -> String {
    let prefix = format!("{}/d/", app.base);
    let link = text(mail)
        .split_whitespace()
        .find(|w| w.starts_with(&prefix))
        .expect("a download link")
        .to_string();
    crate::support::secrets::remember_as("download token", link.rsplit('/').next().unwrap());
    link
}

async fn fetch(app: &TestApp, url: &str) -> reqwest::Response {
    app.client.get(url).send().await.unwrap()
}

#[tokio::test]
async fn a_completed_mail_carries_a_link_that_serves_the_exact_sealed_bytes() {
    let app = TestApp::spawn().await;
    let key = &linking_account(&app).await;
    let id = completed_for_ann_and_carl(&app, key).await;
    let (_, signers) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    let ann_id = signers["signers"][0]["id"].clone();

    let (ann, carl) = (
        last_to(&app, "ann@example.test"),
        last_to(&app, "carl@example.test"),
    );
    for mail in [&ann, &carl] {
        assert!(
            mail.subject().unwrap().starts_with("Signed by everyone"),
            "{:?}",
            mail.subject()
        );
        assert_eq!(
            mail.parsed().unwrap().attachment_count(),
            0,
            "no attachment"
        );
        assert!(
            mail.html_body()
                .unwrap()
                .contains(&download_link(&app, mail))
        );
    }
    let (ann_link, carl_link) = (download_link(&app, &ann), download_link(&app, &carl));
    assert_ne!(ann_link, carl_link, "a link per recipient");
    let token = ann_link.rsplit('/').next().unwrap().to_string();
    assert!(
        token.len() >= 43,
        "at least 256 bits of base62: {}",
        token.len()
    );

    let response = fetch(&app, &ann_link).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let linked = response.bytes().await.unwrap();
    let (status, native) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        Sha256::digest(&linked),
        Sha256::digest(&native),
        "the sealed bytes"
    );

    let opened = app.events_of(key, &id, "download_link_opened").await;
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert_eq!(opened[0]["data"]["signer_id"], ann_id);
    assert!(opened[0]["ip"].is_string(), "{opened:?}");

    let stored = database_bytes(&app).await;
    let contains = |needle: &[u8]| stored.windows(needle.len()).any(|w| w == needle);
    assert!(!contains(token.as_bytes()), "the token is not stored");
    let hash = Sha256::digest(token.as_bytes());
    assert!(
        contains(&hash) || contains(hex(&hash).as_bytes()),
        "its SHA-256 is"
    );
    app.finish().await;
}

#[tokio::test]
async fn wrong_tokens_and_deleted_envelopes_get_404_and_links_expire() {
    let app = TestApp::spawn().await;
    let key = &linking_account(&app).await;
    let first = completed_for_ann_and_carl(&app, key).await;
    let ann_link = download_link(&app, &last_to(&app, "ann@example.test"));
    let carl_link = download_link(&app, &last_to(&app, "carl@example.test"));
    completed_for_ann_and_carl(&app, key).await;
    let other_link = download_link(&app, &last_to(&app, "ann@example.test"));
    assert_eq!(
        fetch(&app, &other_link).await.status(),
        200,
        "the other envelope's own link"
    );

    let mut altered = ann_link.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'a' { 'b' } else { 'a' });
    let random = format!("{}/d/{}", app.base, "x".repeat(43));
    let beyond = format!("{ann_link}/2");
    for url in [&altered, &random, &beyond] {
        let response = fetch(&app, url).await;
        assert_eq!(response.status(), 404, "{url}");
        assert_eq!(response.headers()["cache-control"], "no-store");
    }
    let listing_of_one = format!("{ann_link}/1");
    assert_eq!(fetch(&app, &listing_of_one).await.status(), 200);

    let response = app
        .client
        .delete(app.url(&format!("/api/v1/envelopes/{first}")))
        .header("authorization", crate::support::app::bearer(key))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        fetch(&app, &carl_link).await.status(),
        404,
        "deleted envelope"
    );

    app.clock.advance(time::Duration::days(30));
    let response = fetch(&app, &other_link).await;
    assert_eq!(response.status(), 410, "expired after 30 days");
    app.finish().await;
}

#[tokio::test]
async fn the_completed_documents_setting_is_checked() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (_, account) = app.get_json(key, "/api/v1/account").await;
    assert_eq!(account["completed_documents"], "attach", "the default");
    for bad in [json!("zip"), json!(true), json!({"link": 1})] {
        let (status, body) = app
            .patch_json(key, "/api/v1/account", &json!({"completed_documents": bad}))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("invalid_completed_documents")),
            "{bad}: {body}"
        );
    }
    let (status, body) = app
        .patch_json(
            key,
            "/api/v1/account",
            &json!({"completed_documents": null}),
        )
        .await;
    assert_eq!(
        (status, &body["completed_documents"]),
        (200, &Value::from("attach"))
    );
    app.finish().await;
}

#[tokio::test]
async fn attachments_over_the_size_limit_become_a_link() {
    let app = TestApp::spawn_with(|c| c.mail_attachment_limit_bytes = 1024).await;
    let key = &app.account("Acme").await.api_key;
    let (_, account) = app.get_json(key, "/api/v1/account").await;
    assert_eq!(account["completed_documents"], "attach");
    let id = completed_for_ann_and_carl(&app, key).await;
    let mail = last_to(&app, "ann@example.test");
    assert_eq!(mail.parsed().unwrap().attachment_count(), 0, "over 1 KiB");
    let response = fetch(&app, &download_link(&app, &mail)).await;
    assert_eq!(response.status(), 200);
    let linked = response.bytes().await.unwrap();
    let (_, native) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    assert_eq!(Sha256::digest(&linked), Sha256::digest(&native));
    app.finish().await;
}
