//! The errors of the dialect, in Ignisign's shape: bad input, unknown ids, DRAFT only, no
//! credential.

use serde_json::json;

use super::{add_document, assert_error, call, create_signer, init_request, publish, put, upload};
use crate::support::TestApp;
use crate::support::fixtures::contract_pdf;

#[tokio::test]
async fn put_refuses_bad_values_with_input_validation_failed() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let id = init_request(&app, key).await;
    let doc = add_document(&app, key, &id, "A").await;
    let cases = [
        json!({"language": "NL"}),
        json!({"diffusionMode": "LATER"}),
        json!({"diffusionMode": "SCHEDULED"}),
        json!({"diffusionDate": "tomorrow"}),
        json!({"expirationDate": "31/01/2030"}),
        json!({"expirationDate": "2001-01-01T00:00:00.000Z", "expirationDateIsActivated": true}),
        json!({"expirationDateIsActivated": true}),
        json!({"title": null}),
        json!({"title": 42}),
        json!({"signerIds": "not-a-list"}),
        json!({"documentIds": [doc, doc]}),
        json!({"recipients": ["not an email"]}),
        json!({"statements": [{"appId": "a", "appEnv": "LOCAL", "signatureRequestId": id, "target": "DOCUMENT"}]}),
        json!({"statements": [{"appId": "a", "appEnv": "PRODUCTION", "signatureRequestId": id, "target": "PAGE"}]}),
        json!({"statements": [{"appId": "a", "appEnv": "PRODUCTION", "signatureRequestId": id, "target": "DOCUMENT"}]}),
        json!({"statements": [{"appId": "a", "appEnv": "PRODUCTION", "signatureRequestId": "other", "target": "SIGNATURE_REQUEST"}]}),
        json!({"statements": [{"appEnv": "PRODUCTION", "signatureRequestId": id, "target": "SIGNATURE_REQUEST"}]}),
    ];
    for body in cases {
        let (status, answer) = put(&app, key, &id, &body).await;
        assert_error(status, &answer, 400, "INPUT_VALIDATION_FAILED");
    }
    // Malformed JSON too.
    let response = app
        .client
        .put(app.url(&format!("/ignisign/v3/signature-requests/{id}")))
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, answer) = crate::support::app::status_and_json(response).await;
    assert_error(status, &answer, 400, "INPUT_VALIDATION_FAILED");
    // Nothing changed.
    let (_, ctx) = super::context(&app, key, &id).await;
    assert_eq!(ctx["title"], "Signature request");
    assert_eq!(ctx["documentIds"], json!([doc]));
    app.finish().await;
}

#[tokio::test]
async fn unknown_ids_are_ignisign_not_found() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let id = init_request(&app, key).await;
    let missing = uuid::Uuid::now_v7();
    for path in [format!("{missing}"), "nope".to_string()] {
        let (status, body) = put(&app, key, &path, &json!({"title": "x"})).await;
        assert_error(status, &body, 404, "SIGNATURE_REQUEST_NOT_FOUND");
        let (status, body) = super::context(&app, key, &path).await;
        assert_error(status, &body, 404, "SIGNATURE_REQUEST_NOT_FOUND");
    }
    let (status, body) = put(&app, key, &id, &json!({"signerIds": [missing.to_string()]})).await;
    assert_error(status, &body, 404, "SIGNER_NOT_FOUND");
    let (status, body) = put(
        &app,
        key,
        &id,
        &json!({"documentIds": [format!("{id}.{missing}")]}),
    )
    .await;
    assert_error(status, &body, 404, "DOCUMENT_NOT_FOUND");
    let (status, body) = upload(&app, key, &format!("{id}.{missing}"), contract_pdf()).await;
    assert_error(status, &body, 404, "DOCUMENT_NOT_FOUND");
    let (status, body) = call(
        &app,
        key,
        reqwest::Method::POST,
        "/applications/app-1/envs/DEVELOPMENT/init-documents",
        Some(&json!({"signatureRequestId": missing.to_string()})),
    )
    .await;
    assert_error(status, &body, 404, "SIGNATURE_REQUEST_NOT_FOUND");
    let (status, body) = call(
        &app,
        key,
        reqwest::Method::POST,
        "/applications/app-1/envs/NOWHERE/signers",
        Some(&json!({"email": "a@example.test"})),
    )
    .await;
    assert_error(status, &body, 400, "INPUT_VALIDATION_FAILED");
    let (status, body) = call(
        &app,
        key,
        reqwest::Method::POST,
        "/applications/app-1/envs/PRODUCTION/signers",
        Some(&json!({"firstName": "No email"})),
    )
    .await;
    assert_error(status, &body, 400, "INPUT_VALIDATION_FAILED");
    app.finish().await;
}

#[tokio::test]
async fn no_credential_is_unauthorized() {
    let app = TestApp::spawn().await;
    for auth in [None, Some("Bearer not-a-key"), Some("Basic abc")] {
        let mut request = app.client.get(app.url(&format!(
            "/ignisign/v3/signature-requests/{}/context",
            uuid::Uuid::now_v7()
        )));
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        let (status, body) =
            crate::support::app::status_and_json(request.send().await.unwrap()).await;
        assert_error(status, &body, 401, "UNAUTHORIZED");
    }
    app.finish().await;
}

#[tokio::test]
async fn only_a_draft_can_be_updated_published_or_given_documents() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let id = init_request(&app, key).await;
    // Publishing needs documents and signers.
    let (status, body) = publish(&app, key, &id).await;
    assert_error(status, &body, 400, "INPUT_VALIDATION_FAILED");
    add_document(&app, key, &id, "A").await;
    let ada = create_signer(&app, key, "Ada", "ada@example.test").await;
    let (status, body) = put(&app, key, &id, &json!({"signerIds": [ada]})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = publish(&app, key, &id).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"signatureRequestId": id}));

    let (status, body) = put(&app, key, &id, &json!({"title": "Too late"})).await;
    assert_error(status, &body, 400, "SIGNATURE_REQUEST_NOT_DRAFT");
    let (status, body) = publish(&app, key, &id).await;
    assert_error(status, &body, 400, "SIGNATURE_REQUEST_NOT_DRAFT");
    let (status, body) = call(
        &app,
        key,
        reqwest::Method::POST,
        "/applications/app-1/envs/DEVELOPMENT/init-documents",
        Some(&json!({"signatureRequestId": id})),
    )
    .await;
    assert_error(status, &body, 400, "SIGNATURE_REQUEST_NOT_DRAFT");
    let (_, ctx) = super::context(&app, key, &id).await;
    assert_eq!(ctx["status"], "IN_PROGRESS");
    assert_eq!(ctx["title"], "Signature request");

    // Closing: CANCELLED, then closing again and updating are refused.
    let (status, body) = call(
        &app,
        key,
        reqwest::Method::POST,
        &format!("/signature-requests/{id}/close"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"signatureRequestId": id}));
    let (_, ctx) = super::context(&app, key, &id).await;
    assert_eq!(ctx["status"], "CANCELLED");
    let (status, body) = call(
        &app,
        key,
        reqwest::Method::POST,
        &format!("/signature-requests/{id}/close"),
        None,
    )
    .await;
    assert_error(status, &body, 400, "SIGNATURE_REQUEST_CANNOT_BE_CLOSED");
    let (status, body) = put(&app, key, &id, &json!({"title": "Too late"})).await;
    assert_error(status, &body, 400, "SIGNATURE_REQUEST_NOT_DRAFT");
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn a_read_only_key_reads_but_does_not_write_and_uploads_must_be_pdfs() {
    let app = TestApp::spawn().await;
    let acct = app.account("Acme").await;
    let key = &acct.api_key;
    let id = init_request(&app, key).await;
    let reader = crate::support::fixtures::key_with_scopes(&app, &acct, "read").await;
    let (status, body) = super::context(&app, &reader, &id).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = put(&app, &reader, &id, &json!({"title": "No"})).await;
    assert_error(status, &body, 403, "FORBIDDEN");

    let (status, body) = call(
        &app,
        key,
        reqwest::Method::POST,
        "/applications/app-1/envs/DEVELOPMENT/init-documents",
        Some(&json!({"signatureRequestId": id})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let document = body["documentId"].as_str().unwrap().to_string();
    let (status, body) = upload(&app, key, &document, b"plain text, not a PDF".to_vec()).await;
    assert_error(status, &body, 415, "UNSUPPORTED_MEDIA_TYPE");
    let (status, body) = upload(&app, key, &document, contract_pdf()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = upload(&app, key, &document, contract_pdf()).await;
    assert_error(status, &body, 400, "DOCUMENT_ALREADY_PROVIDED");
    app.finish().await;
}
