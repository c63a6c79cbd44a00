//! Account B's credential on account A's objects, route by route (`super::ISOLATED`): the
//! Ignisign not-found error, and A's request unchanged.

use serde_json::json;

use super::{add_document, assert_error, call, context, create_signer, init_request, put, upload};
use crate::support::TestApp;
use crate::support::fixtures::contract_pdf;

#[tokio::test]
async fn another_accounts_credential_reaches_nothing_on_any_route() {
    let app = TestApp::spawn().await;
    let a = app.account("A").await.api_key;
    let b = app.account("B").await.api_key;
    let id = init_request(&app, &a).await;
    let doc = add_document(&app, &a, &id, "A").await;
    let ada = create_signer(&app, &a, "Ada", "ada@example.test").await;
    // A pending document of A (initialised, no file yet).
    let (status, pending) = call(
        &app,
        &a,
        reqwest::Method::POST,
        "/applications/app-1/envs/DEVELOPMENT/init-documents",
        Some(&json!({"signatureRequestId": id})),
    )
    .await;
    assert_eq!(status, 200, "{pending}");
    let pending = pending["documentId"].as_str().unwrap().to_string();
    let (status, before) = put(&app, &a, &id, &json!({"signerIds": [ada], "title": "A's"})).await;
    assert_eq!(status, 200, "{before}");

    // PUT /signature-requests/{id}
    let (status, body) = put(&app, &b, &id, &json!({"title": "B's"})).await;
    assert_error(status, &body, 404, "SIGNATURE_REQUEST_NOT_FOUND");
    // GET /signature-requests/{id}/context
    let (status, body) = context(&app, &b, &id).await;
    assert_error(status, &body, 404, "SIGNATURE_REQUEST_NOT_FOUND");
    // POST /signature-requests/{id}/publish and /close
    for action in ["publish", "close"] {
        let (status, body) = call(
            &app,
            &b,
            reqwest::Method::POST,
            &format!("/signature-requests/{id}/{action}"),
            None,
        )
        .await;
        assert_error(status, &body, 404, "SIGNATURE_REQUEST_NOT_FOUND");
    }
    // POST init-documents on A's request
    let (status, body) = call(
        &app,
        &b,
        reqwest::Method::POST,
        "/applications/app-1/envs/DEVELOPMENT/init-documents",
        Some(&json!({"signatureRequestId": id})),
    )
    .await;
    assert_error(status, &body, 404, "SIGNATURE_REQUEST_NOT_FOUND");
    // POST /documents/{documentId}/file on A's pending document
    let (status, body) = upload(&app, &b, &pending, contract_pdf()).await;
    assert_error(status, &body, 404, "SIGNATURE_REQUEST_NOT_FOUND");
    // GET /documents/{documentId}/context
    let (status, body) = call(
        &app,
        &b,
        reqwest::Method::GET,
        &format!("/documents/{doc}/context"),
        None,
    )
    .await;
    assert_error(status, &body, 404, "SIGNATURE_REQUEST_NOT_FOUND");
    // B's own request cannot take A's signer or A's document.
    let b_request = init_request(&app, &b).await;
    let (status, body) = put(&app, &b, &b_request, &json!({"signerIds": [ada]})).await;
    assert_error(status, &body, 404, "SIGNER_NOT_FOUND");
    let (status, body) = put(&app, &b, &b_request, &json!({"documentIds": [doc]})).await;
    assert_error(status, &body, 404, "DOCUMENT_NOT_FOUND");
    // B's signers and requests are B's own: creating them touches nothing of A's.
    let b_signer = create_signer(&app, &b, "Eve", "eve@example.test").await;
    let (status, body) = put(&app, &a, &id, &json!({"signerIds": [b_signer]})).await;
    assert_error(status, &body, 404, "SIGNER_NOT_FOUND");

    let (status, after) = context(&app, &a, &id).await;
    assert_eq!(status, 200);
    assert_eq!(after, before, "A's request is unchanged");
    assert_eq!(after["documentIds"].as_array().unwrap().len(), 2);
    app.finish().await;
}
