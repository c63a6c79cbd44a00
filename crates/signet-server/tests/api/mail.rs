//! The e-mails a recipient gets, read from the SMTP server in the test: each in the
//! recipient's language with both parts, the sender's message through the HTML allow-list, the
//! signed documents for cc and dc recipients, and the notices of a declined, reactivated and
//! expired envelope.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use signet_testkit::smtp::ReceivedMail;

use crate::support::TestApp;
use crate::support::app::{link_in, typed_signing};

const HOSTILE: &str = "<p>Please <b>sign</b><script>alert(1)</script> \
    <a href=\"javascript:alert(2)\" onclick=\"steal()\">here</a></p><img src=x onerror=alert(3)>";

/// Adds a recipient; `extra` is merged into the body.
async fn add(app: &TestApp, key: &str, id: &str, name: &str, extra: Value) -> Value {
    let mut body = json!({"name": name, "email": format!("{}@example.test", name.to_lowercase())});
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    let (status, signer) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &body)
        .await;
    assert_eq!(status, 201, "{signer}");
    signer
}

fn signs() -> Value {
    json!({"fields": [{"type": "signature", "tag": "signature_1"}]})
}

async fn send(app: &TestApp, key: &str, id: &str) {
    let (status, sent) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200, "{sent}");
    app.run_jobs_until_idle().await;
}

/// The one mail to `address` among `mails`.
fn to<'a>(mails: &'a [ReceivedMail], address: &str) -> &'a ReceivedMail {
    let found: Vec<_> = mails
        .iter()
        .filter(|m| m.recipients.iter().any(|r| r == address))
        .collect();
    assert_eq!(found.len(), 1, "mails to {address}: {}", found.len());
    found[0]
}

/// The text part (line ends as `\n`) and the HTML part.
fn parts(mail: &ReceivedMail) -> (String, String) {
    let text = mail.text_body().unwrap().replace("\r\n", "\n");
    (text, mail.html_body().unwrap())
}

#[tokio::test]
async fn invitations_are_in_each_signers_language_and_sanitise_the_message() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme & Co").await.api_key;
    let (status, account) = app
        .patch_json(key, "/api/v1/account", &json!({"default_language": "de"}))
        .await;
    assert_eq!(
        (status, &account["default_language"]),
        (200, &json!("de")),
        "{account}"
    );
    let body = json!({"title": "Lease", "signing_order": "parallel", "message": HOSTILE});
    let (id, _) = app.draft_with_contract(key, body).await;
    for (name, language) in [("Nora", "nl"), ("Fleur", "fr"), ("Emma", "en")] {
        let mut extra = signs();
        extra["language"] = json!(language);
        add(&app, key, &id, name, extra).await;
    }
    let dieter = add(&app, key, &id, "Dieter", signs()).await;
    assert_eq!(dieter["language"], "de", "the account's default language");
    send(&app, key, &id).await;

    let mails = app.smtp.messages();
    assert_eq!(mails.len(), 4);
    let expected = [
        (
            "nora",
            "Acme & Co vraagt je om te ondertekenen: Lease",
            "Beste Nora,",
            "Open het document",
        ),
        (
            "dieter",
            "Acme & Co bittet Sie um Ihre Unterschrift: Lease",
            "Hallo Dieter,",
            "Dokument öffnen",
        ),
        (
            "fleur",
            "Acme & Co vous invite à signer : Lease",
            "Bonjour Fleur,",
            "Ouvrir le document",
        ),
        (
            "emma",
            "Acme & Co asks you to sign: Lease",
            "Hello Emma,",
            "Open the document",
        ),
    ];
    for (who, subject, greeting, button) in expected {
        let mail = to(&mails, &format!("{who}@example.test"));
        assert_eq!(mail.subject().as_deref(), Some(subject));
        assert_eq!(mail.from().unwrap().name.as_deref(), Some("Acme & Co"));
        let (text, html) = parts(mail);
        assert!(text.starts_with(greeting), "{text}");
        assert!(text.contains(&format!("{button}:\n")), "{text}");
        assert!(html.contains(button), "{html}");
        let link = link_in(&text, &app.base);
        assert!(
            html.contains(&format!("href=\"{link}\"")),
            "the same link in both parts"
        );
        assert!(text.contains("Please sign here"), "{text}");
        for markup in ["<p>", "<b>", "<script", "alert", "<a "] {
            assert!(!text.contains(markup), "{markup} in the text part: {text}");
        }
        assert!(
            html.contains("<p>Please <b>sign</b> <a>here</a></p>"),
            "{html}"
        );
        for hostile in [
            "<script",
            "alert(",
            "javascript:",
            "onclick",
            "onerror",
            "<img",
        ] {
            assert!(
                !html.contains(hostile),
                "{hostile} in the HTML part: {html}"
            );
        }
        let (status, page) = app.signer_get(&link).await;
        assert_eq!(status, 200, "{page}");
    }
    app.finish().await;
}

#[tokio::test]
async fn cc_and_dc_recipients_receive_the_signed_pdf_when_everyone_has_signed() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let body = json!({"title": "Lease", "signing_order": "parallel"});
    let (id, _) = app.draft_with_contract(key, body).await;
    add(&app, key, &id, "Ann", signs()).await;
    add(
        &app,
        key,
        &id,
        "Cleo",
        json!({"role": "cc", "language": "nl"}),
    )
    .await;
    let dirk = add(
        &app,
        key,
        &id,
        "Dirk",
        json!({"role": "dc", "language": "de"}),
    )
    .await;
    assert_eq!(dirk["role"], "dc");
    send(&app, key, &id).await;
    let sent = app.smtp.messages();
    assert_eq!(
        sent.len(),
        2,
        "ann's invitation and cleo's notice; dc hears nothing yet"
    );
    let cc = to(&sent, "cleo@example.test");
    assert_eq!(cc.subject().as_deref(), Some("Ter informatie: Lease"));
    assert!(
        cc.text_body()
            .unwrap()
            .contains("Acme heeft \"Lease\" ter ondertekening verstuurd")
    );

    let link = link_in(
        &to(&sent, "ann@example.test").text_body().unwrap(),
        &app.base,
    );
    let (status, body) = app.signer_post(&link, "complete", &typed_signing()).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    let (status, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!((status, &envelope["status"]), (200, &json!("completed")));
    let (status, signed) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
        .await;
    assert_eq!(status, 200);
    let download = Sha256::digest(&signed);

    let mails = app.smtp.messages();
    let completed = &mails[2..];
    assert_eq!(completed.len(), 3, "every party");
    let expected = [
        ("ann", "Signed by everyone: Lease"),
        ("cleo", "Door iedereen ondertekend: Lease"),
        ("dirk", "Von allen unterschrieben: Lease"),
    ];
    for (who, subject) in expected {
        let mail = to(completed, &format!("{who}@example.test"));
        assert_eq!(mail.subject().as_deref(), Some(subject));
        let parsed = mail.parsed().unwrap();
        assert_eq!(parsed.attachment_count(), 1);
        let pdf = parsed.attachment(0).unwrap();
        use mail_parser::MimeHeaders;
        assert_eq!(pdf.attachment_name(), Some("contract-signed.pdf"));
        assert_eq!(
            Sha256::digest(pdf.contents()),
            download,
            "the sealed download"
        );
        assert!(parsed.body_text(0).is_some() && parsed.body_html(0).is_some());
    }
    app.finish().await;
}

#[tokio::test]
async fn a_declined_envelope_is_reported_reactivated_and_then_expires() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let key = &account.api_key;
    let expires = (app.clock_now() + time::Duration::days(10))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let body = json!({"title": "Lease", "signing_order": "parallel", "expires_at": expires});
    let (id, _) = app.draft_with_contract(key, body).await;
    add(&app, key, &id, "Ann", signs()).await;
    let mut bob = signs();
    bob["language"] = json!("nl");
    add(&app, key, &id, "Bob", bob).await;
    add(
        &app,
        key,
        &id,
        "Cleo",
        json!({"role": "cc", "language": "fr"}),
    )
    .await;
    send(&app, key, &id).await;
    let ann_link = link_in(
        &to(&app.smtp.messages(), "ann@example.test")
            .text_body()
            .unwrap(),
        &app.base,
    );
    app.smtp.clear();

    let reason = json!({"reason": "Wrong amount"});
    let (status, body) = app.signer_post(&ann_link, "decline", &reason).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    let declined = app.smtp.messages();
    assert_eq!(declined.len(), 3, "the sender, bob and cleo; not ann");
    let owner = to(&declined, &account.email);
    assert_eq!(owner.subject().as_deref(), Some("Declined: Lease"));
    let (text, html) = parts(owner);
    assert!(
        text.contains("Ann has declined to sign \"Lease\"")
            && text.contains("Reason given: Wrong amount")
    );
    assert!(html.contains("Reason given: Wrong amount"));
    let bob_mail = to(&declined, "bob@example.test");
    assert_eq!(bob_mail.subject().as_deref(), Some("Geweigerd: Lease"));
    assert!(
        bob_mail
            .text_body()
            .unwrap()
            .contains("Opgegeven reden: Wrong amount")
    );
    assert_eq!(
        to(&declined, "cleo@example.test").subject().as_deref(),
        Some("Refusé : Lease")
    );
    app.smtp.clear();

    let path = format!("/api/v1/envelopes/{id}/reactivate");
    let (status, answer) = app
        .post_json(key, &path, &json!({"email": "ops@example.test"}))
        .await;
    assert_eq!(status, 200, "{answer}");
    app.run_jobs_until_idle().await;
    let reopened = app.smtp.messages();
    assert_eq!(reopened.len(), 2, "ann and bob, with their links");
    let ann = to(&reopened, "ann@example.test");
    assert_eq!(
        ann.subject().as_deref(),
        Some("Open again for signing: Lease")
    );
    let new_link = link_in(&ann.text_body().unwrap(), &app.base);
    assert_ne!(new_link, ann_link);
    assert_eq!(app.signer_get(&new_link).await.0, 200, "the new link works");
    let bob = to(&reopened, "bob@example.test");
    assert_eq!(
        bob.subject().as_deref(),
        Some("Opnieuw open voor ondertekening: Lease")
    );
    app.smtp.clear();

    app.clock.advance(time::Duration::days(11));
    app.run_jobs_until_idle().await;
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(envelope["status"], "expired", "{envelope}");
    let expired = app.smtp.messages();
    assert_eq!(expired.len(), 4, "the sender, ann, bob and cleo");
    assert_eq!(
        to(&expired, &account.email).subject().as_deref(),
        Some("Expired: Lease")
    );
    assert_eq!(
        to(&expired, "ann@example.test").subject().as_deref(),
        Some("Expired: Lease")
    );
    assert_eq!(
        to(&expired, "bob@example.test").subject().as_deref(),
        Some("Verlopen: Lease")
    );
    assert_eq!(
        to(&expired, "cleo@example.test").subject().as_deref(),
        Some("Expiré : Lease")
    );
    let ids: std::collections::HashSet<_> = expired.iter().map(|m| m.message_id()).collect();
    assert_eq!(ids.len(), 4, "a Message-ID of its own each");
    app.finish().await;
}
