//! Stiply's per-signer `message` and `language` in the invitation, the term-extended mail and
//! its progress entry, and a refused invitation shown as a `failed` progress.

use serde_json::{Value, json};

use super::{add_signer, draft, get, post};
use crate::support::TestApp;

fn progresses(body: &Value) -> Vec<(String, Value)> {
    body["data"]["sign_request"]["signers"][0]["signer_progresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["action"].as_str().unwrap().to_string(),
                p["status"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_signers_own_message_and_language_are_mailed_and_the_extension_too() {
    let app = TestApp::spawn().await;
    let token = app.account("Acme").await.api_key;
    let key = draft(&app, &token, &[("message", "<b>For everyone</b>")]).await;
    let mut body = super::signer_body("jan@example.test");
    body["language"] = json!("nl");
    body["message"] = json!("Hallo <i>Jan</i>,<br>graag tekenen.<script>steal()</script>");
    add_signer(&app, &token, &key, body).await;
    let (status, sent) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/send"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    app.run_jobs_until_idle().await;
    let mails = app.smtp.messages();
    assert_eq!(mails.len(), 1);
    let subject = mails[0].subject().unwrap();
    assert!(
        subject.starts_with("Acme vraagt je om te ondertekenen: "),
        "{subject}"
    );
    let html = mails[0].html_body().unwrap();
    let text = mails[0].text_body().unwrap().replace("\r\n", "\n");
    assert!(
        html.contains("Hallo <i>Jan</i>,<br>graag tekenen."),
        "{html}"
    );
    assert!(text.contains("Hallo Jan,\ngraag tekenen."), "{text}");
    for other in ["For everyone", "script", "steal"] {
        assert!(
            !html.contains(other) && !text.contains(other),
            "{other}: {html}"
        );
    }

    let path = format!("/sign_requests/{key}/actions/extend_term");
    let (status, body) = post(&app, &token, &path, json!({"term": "2d"})).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    let mails = app.smtp.messages();
    assert_eq!(mails.len(), 2);
    let subject = mails[1].subject().unwrap();
    assert!(
        subject.starts_with("Meer tijd om te ondertekenen: "),
        "{subject}"
    );
    assert!(mails[1].text_body().unwrap().contains("verlengd tot"));
    let (_, body) = get(&app, &token, &format!("/sign_requests/{key}")).await;
    let expected = [
        ("mail_signrequest_sent".to_string(), Value::Null),
        ("mail_term_extended_sent".to_string(), Value::Null),
    ];
    assert_eq!(progresses(&body), expected);
    app.finish().await;
}

#[tokio::test]
async fn a_refused_invitation_is_a_failed_progress_and_a_delivery_failed_event() {
    let app = TestApp::spawn().await;
    let token = app.account("Acme").await.api_key;
    let key = draft(&app, &token, &[]).await;
    add_signer(&app, &token, &key, super::signer_body("gone@example.test")).await;
    app.smtp.set_reject_recipients(true);
    let (status, sent) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/send"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    app.run_jobs_until_idle().await;
    assert!(app.smtp.rejected() >= 1);
    assert!(app.smtp.messages().is_empty());

    let (_, body) = get(&app, &token, &format!("/sign_requests/{key}")).await;
    let expected = [("mail_signrequest_sent".to_string(), json!("failed"))];
    assert_eq!(progresses(&body), expected, "{body}");
    let (status, list) = app.get_json(&token, "/api/v1/envelopes").await;
    assert_eq!(status, 200, "{list}");
    let id = list["data"][0]["id"].as_str().unwrap().to_string();
    let failed = app.events_of(&token, &id, "delivery_failed").await;
    assert_eq!(failed.len(), 1, "recorded once, when the job gave up");
    assert_eq!(failed[0]["data"]["email"], "gone@example.test");
    assert_eq!(failed[0]["data"]["mail"], "invitation");
    assert!(
        failed[0]["data"]["error"].as_str().unwrap().contains("550"),
        "{failed:?}"
    );
    app.finish_allowing_dead(&["send_invitation"]).await;
}
