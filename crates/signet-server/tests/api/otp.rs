//! Signer authentication by one-time code (`email_otp`, `sms`): every rule of the code (single
//! use, ten minutes, five attempts, the send limits), the binding to one browser session, the
//! evidence, and the SMS gateway.

mod rules;
mod sms;

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::token_of;
use crate::support::secrets;

/// One browser of a signer: the signing link's token and the `signet_signer` cookie it holds.
pub struct Browser<'a> {
    app: &'a TestApp,
    token: String,
    pub cookie: Option<String>,
    /// Every `Set-Cookie` line of the last response.
    pub set_cookies: Vec<String>,
    /// `Retry-After` of the last response.
    pub retry_after: Option<u64>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp, sign_url: &str) -> Self {
        Self {
            app,
            token: token_of(sign_url).to_owned(),
            cookie: None,
            set_cookies: Vec::new(),
            retry_after: None,
        }
    }

    /// `method` on `/api/v1/signing/{token}{path}` with this browser's cookie; keeps a new
    /// cookie the server sets.
    pub async fn call(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let url = self
            .app
            .url(&format!("/api/v1/signing/{}{path}", self.token));
        let mut request = self.app.client.request(method, url);
        if let Some(cookie) = &self.cookie {
            request = request.header("Cookie", format!("signet_signer={cookie}"));
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        self.retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()?.parse().ok());
        self.set_cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        if let Some(value) = self
            .set_cookies
            .iter()
            .find_map(|c| c.strip_prefix("signet_signer="))
            .and_then(|rest| rest.split(';').next())
        {
            secrets::remember_as("signer session cookie", value);
            self.cookie = Some(value.to_owned());
        }
        let bytes = response.bytes().await.unwrap();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, json)
    }

    pub async fn send_code(&mut self) -> (u16, Value) {
        self.call(reqwest::Method::POST, "/otp", None).await
    }

    pub async fn verify(&mut self, code: &str) -> (u16, Value) {
        self.call(
            reqwest::Method::POST,
            "/otp/verify",
            Some(json!({"code": code})),
        )
        .await
    }

    pub async fn session(&mut self) -> (u16, Value) {
        self.call(reqwest::Method::GET, "", None).await
    }

    pub async fn document(&mut self, document_id: &str) -> u16 {
        self.call(
            reqwest::Method::GET,
            &format!("/documents/{document_id}"),
            None,
        )
        .await
        .0
    }

    pub async fn sign(&mut self) -> (u16, Value) {
        let body = crate::support::app::typed_signing();
        self.call(reqwest::Method::POST, "/complete", Some(body))
            .await
    }
}

/// A sent envelope whose signers (link invitations, in parallel) have the given extra
/// attributes (`auth_method`, `phone`, …); returns the envelope id, the document id and
/// the signing links.
pub async fn otp_envelope(
    app: &TestApp,
    key: &str,
    signers: &[Value],
) -> (String, String, Vec<String>) {
    let bodies: Vec<Value> = signers
        .iter()
        .enumerate()
        .map(|(i, extra)| {
            let mut body = json!({
                "name": format!("Signer {i}"), "email": format!("s{i}@example.test"),
                "fields": [{"type": "signature", "tag": "signature_1"}],
            });
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        })
        .collect();
    crate::browser::page::send_with_document(app, key, "Lease 7", &bodies).await
}

/// The code in the newest code e-mail to `address`.
pub fn emailed_code(app: &TestApp, address: &str) -> String {
    let mail = app
        .smtp
        .messages()
        .into_iter()
        .rev()
        .filter(|m| m.to().iter().any(|t| t.address == address))
        .find(|m| m.subject().is_some_and(|s| s.contains("verification code")))
        .expect("a code e-mail");
    code_in(&mail.text_body().unwrap())
}

/// The six-digit code standing on a line of its own (or opening an SMS).
pub fn code_in(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .map(str::to_owned)
        .expect("a six-digit code")
}

/// A six-digit code that is not `code`.
pub fn wrong(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

/// The log holds no line naming the code (as a word of its own).
pub fn assert_code_not_logged(code: &str) {
    let leaked: Vec<String> = crate::support::logs::lines_with(code)
        .into_iter()
        .filter(|line| line.split(|c: char| !c.is_ascii_digit()).any(|w| w == code))
        .collect();
    assert!(
        leaked.is_empty(),
        "the one-time code is in the log: {} line(s)",
        leaked.len()
    );
}
