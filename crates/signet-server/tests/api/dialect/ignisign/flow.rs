//! A whole life cycle through the dialect, signed through the signing API, and the interplay
//! with the native API in both directions.

use serde_json::json;

use super::{add_document, call, context, create_signer, init_request, publish, put};
use crate::support::TestApp;
use crate::support::app::{link_in, typed_signing};

#[tokio::test]
async fn init_upload_signers_put_publish_sign_ends_completed() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let id = init_request(&app, key).await;
    let doc = add_document(&app, key, &id, "Contract").await;
    let ada = create_signer(&app, key, "Ada", "ada@example.test").await;
    let body = json!({"title": "Contract", "documentIds": [doc], "signerIds": [ada],
        "recipients": ["hr@example.test"], "language": "EN"});
    let (status, ctx) = put(&app, key, &id, &body).await;
    assert_eq!(status, 200, "{ctx}");
    let (status, published) = publish(&app, key, &id).await;
    assert_eq!(status, 200, "{published}");
    let (_, ctx) = context(&app, key, &id).await;
    assert_eq!(ctx["status"], "IN_PROGRESS");
    assert_eq!(ctx["signers"][0]["status"], "ACTIVE");

    app.run_jobs_until_idle().await;
    let mails = app.smtp.messages();
    let invitation = mails
        .iter()
        .find(|m| m.recipients == ["ada@example.test"])
        .expect("Ada is invited by e-mail");
    let url = link_in(&invitation.text_body().unwrap_or_default(), &app.base);
    let (status, signed) = app.signer_post(&url, "complete", &typed_signing()).await;
    assert_eq!(status, 200, "{signed}");
    app.run_jobs_until_idle().await;

    let (status, ctx) = context(&app, key, &id).await;
    assert_eq!(status, 200, "{ctx}");
    assert_eq!(ctx["status"], "COMPLETED");
    assert_eq!(ctx["signedBy"], json!([ada]));
    assert_eq!(ctx["signatureProofStatus"], "CREATED");
    let summaries = ctx["documents"][0]["signatureSummaries"]
        .as_array()
        .unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0]["signerId"], ada.as_str());
    assert!(summaries[0]["signatureId"].as_str().is_some());
    assert!(summaries[0]["date"].as_str().unwrap().ends_with('Z'));
    // documentHash stays the hash of the document as uploaded.
    assert_eq!(
        ctx["documents"][0]["documentHash"],
        super::sha256_hex(&crate::support::fixtures::contract_pdf())
    );
    let (_, doc_ctx) = call(
        &app,
        key,
        reqwest::Method::GET,
        &format!("/documents/{doc}/context"),
        None,
    )
    .await;
    assert_eq!(doc_ctx["_id"], doc.as_str());
    assert_eq!(
        doc_ctx["signatureSummaries"],
        ctx["documents"][0]["signatureSummaries"]
    );
    let (status, native) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(native["status"], "completed");
    app.finish().await;
}

#[tokio::test]
async fn a_native_envelope_reads_and_updates_through_ignisign() {
    let app = TestApp::spawn().await;
    let acct = app.account("Acme").await;
    let key = &acct.api_key;
    let (id, document) = app
        .draft_with_contract(key, json!({"title": "Native", "external_key": "n-1"}))
        .await;
    let body = json!({"name": "Grace Hopper", "email": "grace@example.test",
        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let (status, signer) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &body)
        .await;
    assert_eq!(status, 201, "{signer}");
    let signer_id = signer["id"].as_str().unwrap();
    let doc_id = format!("{id}.{}", document["id"].as_str().unwrap());

    let (status, ctx) = context(&app, key, &id).await;
    assert_eq!(status, 200, "{ctx}");
    assert_eq!(ctx["title"], "Native");
    assert_eq!(ctx["externalId"], "n-1");
    assert_eq!(ctx["status"], "DRAFT");
    assert_eq!(ctx["appId"], acct.account_id.as_str());
    assert_eq!(ctx["appEnv"], "PRODUCTION");
    assert_eq!(ctx["signerIds"], json!([signer_id]));
    assert_eq!(ctx["signers"][0]["firstName"], "Grace");
    assert_eq!(ctx["signers"][0]["lastName"], "Hopper");
    assert_eq!(ctx["documentIds"], json!([doc_id]));

    // The native signer keeps its field and is published with it.
    let (status, ctx) = put(
        &app,
        key,
        &id,
        &json!({"title": "Renamed", "signerIds": [signer_id]}),
    )
    .await;
    assert_eq!(status, 200, "{ctx}");
    let (status, body) = publish(&app, key, &id).await;
    assert_eq!(status, 200, "{body}");
    let (_, native) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(native["title"], "Renamed");
    assert_eq!(native["status"], "in_progress");
    assert_eq!(native["signers"][0]["fields"].as_array().unwrap().len(), 1);
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn an_ignisign_request_is_a_native_envelope() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let id = init_request(&app, key).await;
    add_document(&app, key, &id, "A").await;
    let ada = create_signer(&app, key, "Ada", "ada@example.test").await;
    let (status, _) = put(
        &app,
        key,
        &id,
        &json!({"title": "From Ignisign", "signerIds": [ada]}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, native) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(status, 200, "{native}");
    assert_eq!(native["title"], "From Ignisign");
    assert_eq!(native["status"], "draft");
    assert_eq!(native["documents"].as_array().unwrap().len(), 1);
    assert_eq!(native["signers"][0]["name"], "Ada Lovelace");
    // Sent natively, the context follows.
    let (status, sent) = publish(&app, key, &id).await;
    assert_eq!(status, 200, "{sent}");
    let (status, canceled) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(status, 200, "{canceled}");
    let (_, ctx) = context(&app, key, &id).await;
    assert_eq!(ctx["status"], "CANCELLED");
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn a_scheduled_request_invites_its_signers_at_the_diffusion_date() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let id = init_request(&app, key).await;
    let doc = add_document(&app, key, &id, "Contract").await;
    let ada = create_signer(&app, key, "Ada", "ada@example.test").await;
    let at = app.clock_now() + time::Duration::days(2);
    let date = at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let body = json!({"documentIds": [doc], "signerIds": [ada],
        "diffusionMode": "SCHEDULED", "diffusionDate": date});
    let (status, ctx) = put(&app, key, &id, &body).await;
    assert_eq!(status, 200, "{ctx}");
    let publish = format!("/signature-requests/{id}/publish");
    let (status, published) = call(&app, key, reqwest::Method::POST, &publish, None).await;
    assert_eq!(status, 200, "{published}");

    app.run_jobs_until_idle().await;
    assert!(
        app.smtp.messages().is_empty(),
        "nobody is invited before the date"
    );
    app.clock.advance(time::Duration::days(1));
    app.run_jobs_until_idle().await;
    assert!(app.smtp.messages().is_empty(), "still a day to go");
    app.clock.advance(time::Duration::days(1));
    app.run_jobs_until_idle().await;
    let mails = app.smtp.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipients, ["ada@example.test"]);
    app.finish().await;
}
