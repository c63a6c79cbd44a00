//! Calling a route of the table and reading the answer as raw text, where leaks are looked for.

use serde_json::Value;

use super::routes::{Body, Case};
use super::world::{People, Target, World};
use crate::support::TestApp;
use crate::support::secrets;

/// A response, with its body as text (leaks are looked for in the raw text).
pub struct Reply {
    pub status: u16,
    pub text: String,
    pub json: Value,
    pub challenge: Option<String>,
}

impl Reply {
    pub fn code(&self) -> Option<&str> {
        self.json["error"]["code"].as_str()
    }
}

pub async fn call(app: &TestApp, method: &str, path: &str, key: Option<&str>, body: Body) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = app.client.request(method, app.url(path));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    request = match body {
        Body::None => request,
        Body::Json(value) => request.json(&value),
        Body::Pdf(bytes) => {
            let part = reqwest::multipart::Part::bytes(bytes)
                .file_name("file.pdf")
                .mime_str("application/pdf")
                .unwrap();
            request.multipart(reqwest::multipart::Form::new().part("file", part))
        }
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_string());
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    secrets::remember_in_json(&json);
    Reply {
        status,
        text,
        json,
        challenge,
    }
}

/// Calls `case` on `target` with `key`.
pub async fn call_case(
    app: &TestApp,
    world: &World,
    case: &Case,
    target: &Target,
    key: &str,
) -> Reply {
    let body = (case.body)(world, target);
    call(
        app,
        case.method,
        &case.path_for(target, ""),
        Some(key),
        body,
    )
    .await
}

pub fn assert_no_markers(reply: &Reply, markers: &[String], what: &str) {
    for marker in markers {
        assert!(
            !reply.text.contains(marker.as_str()),
            "{what} leaked the other account's {marker:?}: {}",
            reply.text
        );
    }
}

/// Ids that exist nowhere.
pub fn phantom() -> Target {
    Target {
        id: uuid::Uuid::new_v4().to_string(),
        document_id: uuid::Uuid::new_v4().to_string(),
        external_key: format!("phantom-{}", uuid::Uuid::new_v4().simple()),
        people: People::phantom(),
    }
}
