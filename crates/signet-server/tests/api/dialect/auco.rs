//! Auco v1.5 (`/auco/v1.5/ext`): every example of the "Reactivate Process" document replayed
//! (curl, Python, Node.js; the Python one also run as a script), its error cases, the process
//! routes a client needs to reach it, reactivation through to completion, and isolation.

mod errors;
mod examples;
mod flow;
mod isolation;

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{link_in, status_and_json};
use crate::support::fixtures::contract_pdf;

/// Every Auco route, each proved in [`isolation`].
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/auco/v1.5/ext/document/upload"),
    ("POST", "/auco/v1.5/ext/package/upload"),
    ("GET", "/auco/v1.5/ext/document"),
    ("PUT", "/auco/v1.5/ext/document/reactivate"),
];

const BASE: &str = "/auco/v1.5/ext";

/// The two signers of the document's success example, in signing order.
const JUAN: (&str, &str) = ("Juan Pérez", "juan@example.test");
const MARIA: (&str, &str) = ("María García", "maria@example.test");

fn contract_b64() -> String {
    base64::engine::general_purpose::STANDARD.encode(contract_pdf())
}

fn sign_profile() -> Value {
    json!([
        {"name": JUAN.0, "email": JUAN.1, "tag": "signature_1"},
        {"name": MARIA.0, "email": MARIA.1, "tag": "signature_1"},
    ])
}

/// A request as an Auco client sends it: the bare key in `Authorization`, a raw JSON body.
async fn auco(
    app: &TestApp,
    method: reqwest::Method,
    key: Option<&str>,
    path_and_query: &str,
    body: Option<&str>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, app.url(&format!("{BASE}{path_and_query}")));
    if let Some(key) = key {
        request = request.header("Authorization", key);
    }
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    status_and_json(request.send().await.unwrap()).await
}

/// Uploads a one-document process for Juan and María (parallel); returns its code.
async fn upload_document(app: &TestApp, key: &str, extra: Value) -> String {
    let mut body = json!({
        "name": "Contrato de arrendamiento", "email": "manager@auco.ai",
        "subject": "Firma", "message": "Por favor firme",
        "file": contract_b64(), "signProfile": sign_profile(),
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let (status, answer) = auco(
        app,
        reqwest::Method::POST,
        Some(key),
        "/document/upload",
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer.as_object().unwrap().len(), 1, "{answer}");
    answer["document"].as_str().unwrap().to_string()
}

/// Uploads a two-document package for Juan and María; returns its code.
async fn upload_package(app: &TestApp, key: &str) -> String {
    let body = json!({
        "name": "Paquete", "email": "manager@auco.ai",
        "documents": [
            {"name": "contrato.pdf", "file": contract_b64()},
            {"name": "anexo.pdf", "file": format!("data:application/pdf;base64,{}", contract_b64())},
        ],
        "signProfile": sign_profile(),
    });
    let (status, answer) = auco(
        app,
        reqwest::Method::POST,
        Some(key),
        "/package/upload",
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    answer["package"].as_str().unwrap().to_string()
}

/// `GET /document?code=` (or `package=`), 200.
async fn process(app: &TestApp, key: &str, query: &str) -> Value {
    let (status, body) = auco(
        app,
        reqwest::Method::GET,
        Some(key),
        &format!("/document?{query}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Runs the jobs and returns the newest signing link e-mailed to each address.
async fn links(app: &TestApp) -> HashMap<String, String> {
    app.run_jobs_until_idle().await;
    let mut links = HashMap::new();
    for mail in app.smtp.messages() {
        let link = link_in(&mail.text_body().unwrap_or_default(), &app.base);
        links.insert(mail.recipients[0].clone(), link);
    }
    links
}

/// Juan declines through his link; returns that (now old) link.
async fn juan_declines(app: &TestApp) -> String {
    let link = links(app).await[JUAN.1].clone();
    let (status, body) = app
        .signer_post(&link, "decline", &json!({"reason": "Falta una cláusula"}))
        .await;
    assert_eq!(status, 200, "{body}");
    app.run_jobs_until_idle().await;
    link
}

/// A process Juan rejected; returns its code.
async fn rejected_document(app: &TestApp, key: &str) -> String {
    let code = upload_document(app, key, json!({})).await;
    juan_declines(app).await;
    assert_eq!(
        process(app, key, &format!("code={code}")).await["status"],
        "REJECT"
    );
    code
}

/// The body of the document's success example, for the given signers' names.
fn notified(names: &[&str]) -> Value {
    json!({"notifications": names.len(), "users": names})
}
