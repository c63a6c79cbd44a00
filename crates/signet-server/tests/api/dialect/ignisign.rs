//! The Ignisign v3 dialect (`/ignisign/v3`): the documented `PUT
//! /v3/signature-requests/{signatureRequestId}` replayed field by field with its errors, the
//! neighbouring routes a client needs (init, documents, signers, publish, context, close), a
//! full flow to a signed request, interplay with the native API, and isolation on every route.

mod auth_session;
mod errors;
mod flow;
mod isolation;
mod statements;
mod update;

use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::TestApp;
use crate::support::app::{bearer, status_and_json};
use crate::support::fixtures::contract_pdf;

/// The dialect's mount point.
const BASE: &str = "/ignisign/v3";

/// Every (method, path) of the dialect, as mounted; each is exercised by `isolation`.
pub const ISOLATED: &[(&str, &str)] = &[
    (
        "POST",
        "/ignisign/v3/applications/{appId}/envs/{appEnv}/signature-requests",
    ),
    (
        "PUT",
        "/ignisign/v3/signature-requests/{signatureRequestId}",
    ),
    (
        "POST",
        "/ignisign/v3/signature-requests/{signatureRequestId}/publish",
    ),
    (
        "POST",
        "/ignisign/v3/signature-requests/{signatureRequestId}/close",
    ),
    (
        "GET",
        "/ignisign/v3/signature-requests/{signatureRequestId}/context",
    ),
    (
        "POST",
        "/ignisign/v3/applications/{appId}/envs/{appEnv}/init-documents",
    ),
    ("POST", "/ignisign/v3/documents/{documentId}/file"),
    ("GET", "/ignisign/v3/documents/{documentId}/context"),
    (
        "POST",
        "/ignisign/v3/applications/{appId}/envs/{appEnv}/signers",
    ),
];

/// A call to the dialect with `Authorization: Bearer <key>` and, unless `None`, a JSON body.
async fn call(
    app: &TestApp,
    key: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, app.url(&format!("{BASE}{path}")))
        .header(AUTHORIZATION, bearer(key));
    if let Some(body) = body {
        request = request.json(body);
    }
    status_and_json(request.send().await.unwrap()).await
}

/// `POST /applications/{appId}/envs/DEVELOPMENT/signature-requests`; the new id.
async fn init_request(app: &TestApp, key: &str) -> String {
    let (status, body) = call(
        app,
        key,
        reqwest::Method::POST,
        "/applications/app-1/envs/DEVELOPMENT/signature-requests",
        Some(&json!({"signatureProfileId": "profile-1"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = body["signatureRequestId"].as_str().unwrap().to_string();
    assert_eq!(body, json!({"signatureRequestId": id}));
    id
}

/// `init-documents` then the file upload of the contract; the document id.
async fn add_document(app: &TestApp, key: &str, request: &str, label: &str) -> String {
    let (status, body) = call(
        app,
        key,
        reqwest::Method::POST,
        "/applications/app-1/envs/DEVELOPMENT/init-documents",
        Some(&json!({"signatureRequestId": request, "label": label,
            "description": "The contract", "externalId": format!("ext-{label}")})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = body["documentId"].as_str().unwrap().to_string();
    let (status, doc) = upload(app, key, &id, contract_pdf()).await;
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["_id"], id.as_str());
    assert_eq!(doc["status"], "PROVIDED");
    assert_eq!(doc["documentHash"], sha256_hex(&contract_pdf()));
    id
}

/// `POST /documents/{documentId}/file` with the multipart field `file`.
async fn upload(app: &TestApp, key: &str, document: &str, bytes: Vec<u8>) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name("contract.pdf")
        .mime_str("application/pdf")
        .unwrap();
    let form = reqwest::multipart::Form::new().part("file", part);
    let response = app
        .client
        .post(app.url(&format!("{BASE}/documents/{document}/file")))
        .header(AUTHORIZATION, bearer(key))
        .multipart(form)
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// `POST /applications/{appId}/envs/DEVELOPMENT/signers`; the signer id.
async fn create_signer(app: &TestApp, key: &str, first: &str, email: &str) -> String {
    let (status, body) = call(
        app,
        key,
        reqwest::Method::POST,
        "/applications/app-1/envs/DEVELOPMENT/signers",
        Some(
            &json!({"firstName": first, "lastName": "Lovelace", "email": email,
            "externalId": format!("crm-{first}")}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["entityType"], "NATURAL");
    body["signerId"].as_str().unwrap().to_string()
}

/// `PUT /signature-requests/{id}`.
async fn put(app: &TestApp, key: &str, request: &str, body: &Value) -> (u16, Value) {
    call(
        app,
        key,
        reqwest::Method::PUT,
        &format!("/signature-requests/{request}"),
        Some(body),
    )
    .await
}

/// `GET /signature-requests/{id}/context`.
/// `POST /signature-requests/{request}/publish`.
async fn publish(app: &TestApp, key: &str, request: &str) -> (u16, Value) {
    let path = format!("/signature-requests/{request}/publish");
    call(app, key, reqwest::Method::POST, &path, None).await
}

async fn context(app: &TestApp, key: &str, request: &str) -> (u16, Value) {
    call(
        app,
        key,
        reqwest::Method::GET,
        &format!("/signature-requests/{request}/context"),
        None,
    )
    .await
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Asserts the Ignisign error shape.
fn assert_error(status: u16, body: &Value, want_status: u16, code: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["statusCode"], want_status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}
