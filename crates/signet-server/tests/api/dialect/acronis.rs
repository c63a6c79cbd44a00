//! The Acronis Cyber Notary v2 dialect (`/acronis`): the document's examples replayed against
//! the real server, its full Python example run as a script, the password grant's negatives,
//! and account isolation on every route.

mod documents;
mod isolation;
mod python;
mod token;

use reqwest::header::AUTHORIZATION;
use serde_json::Value;

use crate::support::TestApp;
use crate::support::app::{TEST_PASSWORD, bearer, status_and_json};

/// The notary API's base URL, as the document builds it from `server_url`.
pub fn base_url(app: &TestApp) -> String {
    app.url("/acronis/api/notary/v2")
}

/// Posts the password grant exactly as the document's full example does.
pub async fn password_grant(app: &TestApp, login: &str, password: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(app.url("/acronis/api/2/idp/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .form(&[
            ("grant_type", "password"),
            ("username", login),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// An access token for the owner of `account`.
pub async fn token_of(app: &TestApp, email: &str) -> String {
    let (status, body) = password_grant(app, email, TEST_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

/// `GET {url}` with the document's `auth` header.
pub async fn get(token: &str, url: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(url)
        .header(AUTHORIZATION, bearer(token))
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// `GET {url}` with the document's `auth` header; the status, content type and bytes.
pub async fn get_bytes(token: &str, url: &str) -> (u16, String, Vec<u8>) {
    let response = reqwest::Client::new()
        .get(url)
        .header(AUTHORIZATION, bearer(token))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

/// `POST {url}` without a body, as the document's resend does.
pub async fn post_empty(token: &str, url: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .header(AUTHORIZATION, bearer(token))
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// `POST {base_url}/stored-files/sign` with `files={'file': ...}`: the upload to sign.
pub async fn upload_to_sign(app: &TestApp, token: &str, name: &str, pdf: Vec<u8>) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(pdf).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    let response = reqwest::Client::new()
        .post(format!("{}/stored-files/sign", base_url(app)))
        .header(AUTHORIZATION, bearer(token))
        .multipart(form)
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// `POST {base_url}/documents/{doc_id}/signees` with `{"signees": [...]}`.
pub async fn invite(app: &TestApp, token: &str, doc_id: &str, signees: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/documents/{doc_id}/signees", base_url(app)))
        .header(AUTHORIZATION, bearer(token))
        .json(&serde_json::json!({ "signees": signees }))
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// The contract uploaded to sign and sent to `signees`; returns (file id, doc id).
pub async fn sent_document(app: &TestApp, token: &str, signees: Value) -> (String, String) {
    let (status, body) = upload_to_sign(
        app,
        token,
        "contract.pdf",
        crate::support::fixtures::contract_pdf(),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let file_id = body["file"]["id"].as_str().unwrap().to_string();
    let doc_id = body["file"]["document_id"].as_str().unwrap().to_string();
    let (status, body) = invite(app, token, &doc_id, signees).await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    (file_id, doc_id)
}

/// Asserts the dialect's error body: `{"domain": "Notary", "code": ..., "debug": {"message"}}`.
pub fn assert_error(status: u16, body: &Value, expected: (u16, &str)) {
    assert_eq!(
        (status, body["code"].as_str()),
        (expected.0, Some(expected.1)),
        "{body}"
    );
    assert_eq!(body["domain"], "Notary", "{body}");
    assert!(body["debug"]["message"].is_string(), "{body}");
    assert_eq!(body.as_object().unwrap().len(), 3, "{body}");
}

/// The routes of the dialect, each exercised across accounts by [`isolation`].
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/acronis/api/1/accounts"),
    ("POST", "/acronis/api/2/idp/token"),
    ("POST", "/acronis/api/notary/v2/stored-files/sign"),
    ("GET", "/acronis/api/notary/v2/stored-files/{file_id}"),
    ("GET", "/acronis/api/notary/v2/documents/{doc_id}"),
    ("POST", "/acronis/api/notary/v2/documents/{doc_id}/signees"),
    (
        "POST",
        "/acronis/api/notary/v2/documents/{doc_id}/signees/{signee_id}/resend",
    ),
    ("GET", "/acronis/doc/{doc_id}/download"),
    ("GET", "/acronis/certificate/{certificate_id}"),
];
