//! OKdokument (`/okdokument/JSON`): the `PATCH /signatureRequest` HTTP snippet and request body
//! replayed, its success and error bodies field by field, 401/403, the create and get routes a
//! client needs, `sendInfoURL` called on status changes and `resulturl` reached by the
//! signer's redirect, and isolation.

mod callbacks;
mod examples;
mod isolation;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{link_in, status_and_json};
use crate::support::fixtures::contract_pdf;

/// Every OKdokument route, each proved in [`isolation`].
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/okdokument/JSON/signatureRequest"),
    ("PATCH", "/okdokument/JSON/signatureRequest"),
    (
        "GET",
        "/okdokument/JSON/signatureRequest/{signatureRequestId}",
    ),
];

const PATH: &str = "/okdokument/JSON/signatureRequest";

/// A request as an OKdokument client sends it: `x-api-key`, a raw JSON body.
async fn ok(
    app: &TestApp,
    method: reqwest::Method,
    key: Option<&str>,
    path: &str,
    body: Option<&str>,
) -> (u16, Value) {
    let mut request = app.client.request(method, app.url(path));
    if let Some(key) = key {
        request = request.header("x-api-key", key);
    }
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    status_and_json(request.send().await.unwrap()).await
}

/// Creates a signature request for one signer (`alice@example.test`) with `extra` fields;
/// returns its id.
async fn create(app: &TestApp, key: &str, extra: Value) -> String {
    let mut body = json!({
        "title": "Service agreement",
        "documents": [{"name": "contract.pdf", "content": base64::engine::general_purpose::STANDARD.encode(contract_pdf())}],
        "signers": [{"name": "Alice Novak", "email": "alice@example.test", "tag": "signature_1"}],
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let (status, created) = ok(
        app,
        reqwest::Method::POST,
        Some(key),
        PATH,
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let id = created["result"].as_str().unwrap().to_string();
    assert_eq!(created, done("msg.created", app, &id));
    id
}

/// The success body: `{"message", "result", "url"}`.
fn done(message: &str, app: &TestApp, id: &str) -> Value {
    json!({"message": message, "result": id, "url": app.url(&format!("{PATH}/{id}"))})
}

/// `GET /signatureRequest/{id}`, 200.
async fn shown(app: &TestApp, key: &str, id: &str) -> Value {
    let (status, body) = ok(
        app,
        reqwest::Method::GET,
        Some(key),
        &format!("{PATH}/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Runs the jobs; the newest signing link e-mailed to Alice.
async fn alices_link(app: &TestApp) -> String {
    app.run_jobs_until_idle().await;
    let mail = app
        .smtp
        .messages()
        .into_iter()
        .rfind(|m| m.recipients == ["alice@example.test"])
        .expect("an invitation to Alice");
    link_in(&mail.text_body().unwrap_or_default(), &app.base)
}

/// The documented error body for an id that does not exist.
fn view_id_does_not_exist(id: &str) -> Value {
    json!({"message": format!("View ID does not exist: {id}"), "value": id})
}
