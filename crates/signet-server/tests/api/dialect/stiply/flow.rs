//! Send, send reminder, extend term, update signer, and the documents of a completed request.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::*;
use crate::support::app::{link_in, typed_signing};

/// The signing links e-mailed to `to`, oldest first.
fn links_to(app: &TestApp, to: &str) -> Vec<String> {
    app.smtp
        .messages()
        .iter()
        .filter(|m| m.recipients.iter().any(|r| r == to))
        .map(|m| link_in(&m.text_body().unwrap(), &app.base))
        .collect()
}

/// Runs the sign request's `action` (`send`, `send_reminder`), then the jobs it queued, and
/// returns the newest signing link e-mailed to `to`.
async fn act_and_mail(app: &TestApp, token: &str, key: &str, action: &str, to: &str) -> String {
    let path = format!("/sign_requests/{key}/actions/{action}");
    let (status, body) = post(app, token, &path, json!({})).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    links_to(app, to).pop().expect("a mailed link")
}

#[tokio::test]
async fn send_remind_and_extend_answer_the_documented_shapes() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let key = draft(
        &app,
        &token,
        &[(
            "message",
            "Hi! Could you please sign our license agreement? Cheers!",
        )],
    )
    .await;
    // Reminding and extending need a sent request.
    let (status, _) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/send_reminder"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/extend_term"),
        json!({"term": "2d"}),
    )
    .await;
    assert_eq!(status, 400);
    let signer = add_signer(&app, &token, &key, json!({"signer_email":"signer@stiply.nl","signer_signature_fields":[{"name":"signature_1"}],"auth_method":"sms","cell_phone_number":"31612345678"})).await;
    let (status, body) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/send"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let sr = &body["data"]["sign_request"];
    assert_eq!(sr["key"], key);
    assert_eq!(sr["sent"], 1);
    assert!(is_date(&sr["sent_at"]));
    assert_eq!(sr["all_signed"], 0);
    assert_eq!(sr["all_signed_at"], NO_DATE);
    assert_eq!(sr["terms"][0]["term_code"], "1w");
    assert_eq!(sr["terms"][0]["term_expired"], 0);
    // The term (1w) runs from sending.
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory][offset_minute]"
    );
    let at = |v: &Value| time::OffsetDateTime::parse(v.as_str().unwrap(), format).unwrap();
    assert_eq!(
        at(&sr["terms"][0]["term_expires"]),
        at(&sr["sent_at"]) + time::Duration::weeks(1)
    );
    let s = &sr["signers"][0];
    assert_eq!(s["key"], signer);
    assert_eq!(s["email"], "signer@stiply.nl");
    assert_eq!(s["name"], Value::Null);
    assert_eq!(s["phone"], 31612345678u64);
    assert_eq!(s["auth_method"], "sms");
    assert_eq!(s["sign_url"], Value::Null);
    assert!(is_date(&s["created_at"]) && is_date(&s["updated_at"]));
    assert!(s["signer_progresses"].is_array());
    // Sent once only; no signers can be added or removed any more.
    let (status, _) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/send"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/signers"),
        signer_body("late@example.com"),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &app,
        reqwest::Method::DELETE,
        &token,
        &format!("/sign_requests/{key}/signers/{signer}"),
        None,
    )
    .await;
    assert_eq!(status, 422);
    app.run_jobs_until_idle().await;
    assert_eq!(links_to(&app, "signer@stiply.nl").len(), 1);
    // Send reminder: the invitation again, and its progress entry.
    let (status, body) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/send_reminder"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    assert_eq!(links_to(&app, "signer@stiply.nl").len(), 2);
    let (_, body) = get(&app, &token, &format!("/sign_requests/{key}")).await;
    let progresses = body["data"]["sign_request"]["signers"][0]["signer_progresses"]
        .as_array()
        .unwrap()
        .clone();
    let actions: Vec<&str> = progresses
        .iter()
        .map(|p| p["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["mail_signrequest_sent", "mail_reminder_sent"]);
    for p in &progresses {
        assert_eq!(p["value"], "signer@stiply.nl");
        assert_eq!(p["ip"], Value::Null);
        assert_eq!(p["location"], Value::Null);
        assert_eq!(p["system"], Value::Null);
        assert_eq!(p["status"], Value::Null);
        assert!(is_date(&p["created_at"]));
    }
    // Extend term (the document's example {"term":"2d"}): from the current expiry, kept as history.
    let first_expiry = body["data"]["sign_request"]["terms"][0]["term_expires"].clone();
    let (status, body) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/extend_term"),
        json!({"term":"2d"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let terms = body["data"]["sign_request"]["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 2);
    assert_eq!(terms[0]["term_code"], "1w");
    assert_eq!(terms[0]["term_expires"], first_expiry);
    assert_eq!(terms[1]["term_code"], "2d");
    assert_eq!(terms[1]["term_expired"], 0);
    assert!(is_date(&terms[1]["term_expires"]) && is_date(&terms[1]["created_at"]));
    assert!(terms[1]["term_expires"].as_str() > first_expiry.as_str());
    let (status, _) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/extend_term"),
        json!({"term":"2x"}),
    )
    .await;
    assert_eq!(status, 400);
    // After the first term lapsed, a new term runs from now and the request is open again.
    app.clock.advance(time::Duration::days(30));
    let (_, body) = get(&app, &token, &format!("/sign_requests/{key}")).await;
    assert_eq!(body["data"]["sign_request"]["terms"][1]["term_expired"], 1);
    let (status, _) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/send_reminder"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/extend_term"),
        json!({"term":"1m"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["sign_request"]["terms"][2]["term_expired"], 0);
    let (status, _) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/send_reminder"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn update_signer_replaces_the_address_and_kills_the_old_link() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let key = draft(&app, &token, &[]).await;
    let signer = add_signer(&app, &token, &key, signer_body("signer@stiply.nl")).await;
    let path = format!("/sign_requests/{key}/signers/{signer}");
    let old = act_and_mail(&app, &token, &key, "send", "signer@stiply.nl").await;
    let (status, _) = app.signer_get(&old).await;
    assert_eq!(status, 200);
    // Both values are required.
    let (status, _) = call(
        &app,
        reqwest::Method::PUT,
        &token,
        &path,
        Some(json!({"new_email":"newemail@stiply.nl"})),
    )
    .await;
    assert_eq!(status, 400);
    // The document's example.
    let (status, body) = call(
        &app,
        reqwest::Method::PUT,
        &token,
        &path,
        Some(json!({"new_email":"newemail@stiply.nl","new_cell_phone_number":"+31612345678"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let s = &body["data"][0];
    assert_eq!(s["key"], signer);
    assert_eq!(s["email"], "newemail@stiply.nl");
    assert_eq!(s["phone"], 31612345678u64);
    assert_eq!(s["signer_progresses"][0]["action"], "mail_signrequest_sent");
    assert_eq!(s["signer_progresses"][0]["value"], "signer@stiply.nl");
    // The old link no longer works; no e-mail went out until a reminder is asked for.
    let (status, _) = app.signer_get(&old).await;
    assert!(status == 404 || status == 410, "{status}");
    app.run_jobs_until_idle().await;
    assert!(links_to(&app, "newemail@stiply.nl").is_empty());
    let new = act_and_mail(&app, &token, &key, "send_reminder", "newemail@stiply.nl").await;
    let (status, body) = app.signer_post(&new, "complete", &typed_signing()).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    // A signer who signed can no longer change.
    let (status, _) = call(
        &app,
        reqwest::Method::PUT,
        &token,
        &path,
        Some(json!({"new_email":"x@stiply.nl","new_cell_phone_number":"31612345678"})),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = call(
        &app,
        reqwest::Method::PUT,
        &token,
        &format!("/sign_requests/{key}/signers/unknown"),
        Some(json!({"new_email":"x@stiply.nl","new_cell_phone_number":"31612345678"})),
    )
    .await;
    assert_eq!(status, 404);
    app.finish().await;
}

#[tokio::test]
async fn custom_invitation_links_are_returned_and_signed_documents_downloaded() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let key = draft(&app, &token, &[]).await;
    let mut body = signer_body("custom@example.com");
    body["invitation_method"] = json!("custom");
    let signer = add_signer(&app, &token, &key, body).await;
    let documents = format!("/sign_requests/{key}/documents/actions");
    let (status, body) = get(&app, &token, &format!("{documents}/get_signed_document")).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/send"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let s = &body["data"]["sign_request"]["signers"][0];
    assert_eq!(s["key"], signer);
    let url = s["sign_url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{}/s/", app.base)), "{url}");
    let (status, body) = app.signer_post(&url, "complete", &typed_signing()).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    let (_, request) = get(&app, &token, &format!("/sign_requests/{key}")).await;
    let sr = &request["data"]["sign_request"];
    assert_eq!(sr["all_signed"], 1);
    assert!(is_date(&sr["all_signed_at"]));
    for (action, suffix, hash_field) in [
        ("get_signed_document", "Ondertekend", "signed_hash"),
        ("get_proof_document", "Bewijs", "proof_hash"),
    ] {
        let (status, doc) = get(&app, &token, &format!("{documents}/{action}")).await;
        assert_eq!(status, 200, "{doc}");
        assert_eq!(
            doc["file_name"],
            format!("license-agreement-[{suffix}].pdf")
        );
        assert_eq!(doc["mimeType"], "application/pdf");
        assert_eq!(doc["status_code"], "200");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(doc["data"].as_str().unwrap())
            .unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(doc["file_size"], bytes.len().to_string());
        assert_eq!(doc["hash"], hex::encode(Sha256::digest(&bytes)));
        assert_eq!(sr[hash_field], doc["hash"]);
    }
    let (_, list) = get(&app, &token, "/sign_requests?all_signed=1").await;
    assert_eq!(list["data"][0]["sign_request"]["key"], key);
    app.finish().await;
}

#[tokio::test]
async fn callback_and_redirect_name_the_request_by_its_stiply_keys() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let callback = app.hooks.url("/stiply-callback");
    let key = draft(
        &app,
        &token,
        &[("call_back_url", &callback), ("external_key", "crm-7")],
    )
    .await;
    let mut body = signer_body("custom@example.com");
    body["invitation_method"] = json!("custom");
    body["redirect_url"] = json!("https://crm.example.test/done");
    let signer = add_signer(&app, &token, &key, body).await;
    let (status, sent) = post(
        &app,
        &token,
        &format!("/sign_requests/{key}/actions/send"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    let url = sent["data"]["sign_request"]["signers"][0]["sign_url"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, done) = app.signer_post(&url, "complete", &typed_signing()).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["redirect_url"],
        format!(
            "https://crm.example.test/done?key={key}&signer_key={signer}&external_key=crm-7&status=success"
        )
    );
    app.run_jobs_until_idle().await;
    let requests = app.hooks.requests();
    assert_eq!(requests.len(), 1, "one completion callback");
    assert_eq!(
        requests[0].path,
        format!("/stiply-callback?key={key}&external_key=crm-7")
    );
    app.finish().await;
}

#[tokio::test]
async fn a_new_phone_number_reaches_the_core_signer_and_their_codes_go_there() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let key = draft(&app, &token, &[]).await;
    let body = json!({"signer_email":"sms@stiply.nl","signer_signature_fields":[{"name":"signature_1"}],
        "auth_method":"sms","cell_phone_number":"31612345678"});
    let signer = add_signer(&app, &token, &key, body).await;
    let path = format!("/sign_requests/{key}/signers/{signer}");
    let old = act_and_mail(&app, &token, &key, "send", "sms@stiply.nl").await;

    // The same address, a new number: the codes must go to the new number, so the old link
    // (whose browser may have confirmed with the old one) stops working.
    let change = json!({"new_email":"sms@stiply.nl","new_cell_phone_number":"31687654321"});
    let (status, body) = call(&app, reqwest::Method::PUT, &token, &path, Some(change)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"][0]["phone"], 31687654321u64);
    let (status, _) = app.signer_get(&old).await;
    assert!(status == 404 || status == 410, "{status}");
    let new = act_and_mail(&app, &token, &key, "send_reminder", "sms@stiply.nl").await;
    assert_ne!(new, old);
    let mut browser = crate::otp::Browser::new(&app, &new);
    let (status, sent) = browser.send_code().await;
    assert_eq!(status, 200, "{sent}");
    let requests = app.sms.requests();
    let texted: Value = requests.last().expect("a text message").json().unwrap();
    assert_eq!(texted["recipient"], "+31687654321");
    // One core: the native API shows the new number, and the audit trail both.
    let (_, list) = app.get_json(&token, "/api/v1/envelopes").await;
    let id = list["data"][0]["id"].as_str().unwrap().to_string();
    let (_, envelope) = app
        .get_json(&token, &format!("/api/v1/envelopes/{id}"))
        .await;
    assert_eq!(
        envelope["signers"][0]["phone"], "+31687654321",
        "{envelope}"
    );
    let updated = app.events_of(&token, &id, "signer_updated").await;
    assert_eq!(updated[0]["data"]["previous_phone"], "+31612345678");
    assert_eq!(updated[0]["data"]["phone"], "+31687654321");
    app.finish().await;
}
