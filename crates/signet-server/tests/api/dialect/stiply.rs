//! Stiply v1.1 (`/stiply/v1.1`): the document's examples replayed against the real server
//! (its PHP snippets as the HTTP they make, its JSON bodies as printed), field by field, plus
//! each documented error status and account isolation on every route. The document has no
//! Python snippets.

mod flow;
pub mod isolation;
mod mail;
mod sign_request;
mod signer;

use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};

use crate::support::app::{bearer, status_and_json};
use crate::support::{TestApp, fixtures};

const BASE: &str = "/stiply/v1.1";

/// A date in Stiply's format (`2017-03-29T13:43:07+0000`).
fn is_date(value: &Value) -> bool {
    let text = value.as_str().unwrap_or("");
    let b = text.as_bytes();
    text.len() == 24
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'+'
        && text[20..].chars().all(|c| c.is_ascii_digit())
}

const NO_DATE: &str = "0000-00-00 00:00:00";

fn is_key(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|k| k.len() == 50 && k.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A Stiply call with a JSON body (or none).
async fn call(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, app.url(&format!("{BASE}{path}")))
        .header(AUTHORIZATION, bearer(token));
    if let Some(body) = body {
        request = request.json(&body);
    }
    status_and_json(request.send().await.unwrap()).await
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    call(app, reqwest::Method::GET, token, path, None).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    call(app, reqwest::Method::POST, token, path, Some(body)).await
}

/// `POST /sign_requests` with the contract fixture as `file` and the given text fields.
async fn create_with(
    app: &TestApp,
    token: &str,
    file: Option<(&str, Vec<u8>)>,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new();
    if let Some((name, bytes)) = file {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        form = form.part("file", part);
    }
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    let response = app
        .client
        .post(app.url(&format!("{BASE}/sign_requests")))
        .header(AUTHORIZATION, bearer(token))
        .multipart(form)
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// A draft sign request on the contract (term 1w); returns its key.
async fn draft(app: &TestApp, token: &str, fields: &[(&str, &str)]) -> String {
    let mut all = vec![("term", "1w")];
    all.extend_from_slice(fields);
    let (status, body) = create_with(
        app,
        token,
        Some(("license-agreement.pdf", fixtures::contract_pdf())),
        &all,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["data"]["sign_request"]["key"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Adds a signer; returns its key.
async fn add_signer(app: &TestApp, token: &str, key: &str, body: Value) -> String {
    let (status, signer) = post(app, token, &format!("/sign_requests/{key}/signers"), body).await;
    assert_eq!(status, 200, "{signer}");
    signer["data"]["key"].as_str().unwrap().to_string()
}

/// A signer on the fixture's `{{signature_1}}`.
fn signer_body(email: &str) -> Value {
    json!({"signer_email": email, "signer_signature_fields": [{"name": "signature_1"}]})
}
