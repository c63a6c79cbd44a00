//! Extended authentication sessions: a code verified on one envelope with
//! `extended_auth_session` lets the same browser open another such envelope of the account,
//! as a signer with the same e-mail and method, for 30 minutes without a new code; everything
//! else still asks for a code.

mod oidc;
mod refused;

use serde_json::{Value, json};

use crate::otp::emailed_code;
use crate::support::TestApp;
use crate::support::app::token_of;
use crate::support::secrets;

pub const PAT: &str = "pat@example.test";

/// One browser with a cookie jar: cookies are kept by name and path and sent, as a browser
/// does, with requests whose path is the cookie's path or below it.
pub struct Device<'a> {
    app: &'a TestApp,
    /// (name, path, value)
    cookies: Vec<(String, String, String)>,
    /// Every `Set-Cookie` line of the last response.
    pub set_cookies: Vec<String>,
}

impl<'a> Device<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: Vec::new(),
            set_cookies: Vec::new(),
        }
    }

    fn cookie_header(&self, path: &str) -> String {
        self.cookies
            .iter()
            .filter(|(_, p, _)| {
                path == p
                    || path
                        .strip_prefix(p.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
            .map(|(n, _, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, line: &str) {
        let mut parts = line.split(';').map(str::trim);
        let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
            return;
        };
        let attr = |key: &str| {
            line.split(';')
                .map(str::trim)
                .find_map(|a| a.strip_prefix(key))
                .map(str::to_owned)
        };
        let path = attr("Path=").unwrap_or_else(|| "/".into());
        self.cookies.retain(|(n, p, _)| !(n == name && *p == path));
        if attr("Max-Age=").as_deref() != Some("0") {
            secrets::remember_as("signer cookie", value);
            self.cookies.push((name.into(), path, value.into()));
        }
    }

    /// `method` on `/api/v1/signing/{token of url}{path}` with this browser's cookies.
    pub async fn call(
        &mut self,
        method: reqwest::Method,
        url: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let full = format!("/api/v1/signing/{}{path}", token_of(url));
        let mut request = self.app.client.request(method, self.app.url(&full));
        let cookies = self.cookie_header(&full);
        if !cookies.is_empty() {
            request = request.header("Cookie", cookies);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        self.set_cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        for line in self.set_cookies.clone() {
            self.keep(&line);
        }
        let bytes = response.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// GET `url` without following redirects, sending this browser's cookies to the server
    /// (not to other hosts); returns the status and the `Location`.
    pub async fn visit(&mut self, url: &str) -> (u16, Option<String>) {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut request = client.get(url);
        if let Some(path) = url.strip_prefix(self.app.base.as_str()) {
            let path = format!("/{}", path.trim_start_matches('/'));
            let path = path.split('?').next().unwrap_or_default().to_owned();
            let cookies = self.cookie_header(&path);
            if !cookies.is_empty() {
                request = request.header("Cookie", cookies);
            }
        }
        let response = request.send().await.unwrap();
        let lines: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        for line in &lines {
            self.keep(line);
        }
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (response.status().as_u16(), location)
    }

    /// Opens the link; returns whether the signer counts as verified in this browser.
    pub async fn opens_verified(&mut self, url: &str) -> bool {
        let (status, session) = self.call(reqwest::Method::GET, url, "", None).await;
        assert_eq!(status, 200, "{session}");
        session["authentication"]["verified"].as_bool().unwrap()
    }

    /// Requests a code and enters the one e-mailed to `email`.
    pub async fn verify_by_mail(&mut self, url: &str, email: &str) {
        let (status, body) = self.call(reqwest::Method::POST, url, "/otp", None).await;
        assert_eq!(status, 200, "{body}");
        let code = emailed_code(self.app, email);
        let body = json!({"code": code});
        let (status, body) = self
            .call(reqwest::Method::POST, url, "/otp/verify", Some(body))
            .await;
        assert_eq!(status, 200, "{body}");
    }

    pub async fn sign(&mut self, url: &str) -> (u16, Value) {
        let body = crate::support::app::typed_signing();
        self.call(reqwest::Method::POST, url, "/complete", Some(body))
            .await
    }

    /// Whether the browser holds an auth pass.
    pub fn has_pass(&self) -> bool {
        self.cookies.iter().any(|(n, _, _)| n == "signet_auth_pass")
    }
}

/// A sent envelope (one document, parallel, link invitation) with `extended_auth_session` set
/// to `extended` and one signer with `email` and the extra attributes `auth`; returns the
/// envelope id and the signing link.
pub async fn envelope(
    app: &TestApp,
    key: &str,
    extended: bool,
    email: &str,
    auth: Value,
) -> (String, String) {
    let body = json!({"title": "Lease", "signing_order": "parallel",
        "extended_auth_session": extended});
    let (id, _) = app.draft_with_contract(key, body).await;
    let mut signer = json!({"name": "Pat Doe", "email": email, "invitation": "link",
        "fields": [{"type": "signature", "tag": "signature_1"}]});
    for (k, v) in auth.as_object().unwrap() {
        signer[k] = v.clone();
    }
    let sent = app.add_signers_and_send(key, &id, &[signer]).await;
    let url = sent["signers"][0]["sign_url"].as_str().unwrap().to_owned();
    (id, url)
}

pub fn email_otp() -> Value {
    json!({"auth_method": "email_otp"})
}

/// The code e-mails sent to `address` so far.
pub fn code_mails(app: &TestApp, address: &str) -> usize {
    app.smtp
        .messages()
        .iter()
        .filter(|m| m.to().iter().any(|t| t.address == address))
        .filter(|m| m.subject().is_some_and(|s| s.contains("verification code")))
        .count()
}

#[tokio::test]
async fn a_code_verified_on_one_envelope_opens_another_of_the_account_in_the_same_browser() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (first, first_url) = envelope(&app, key, true, PAT, email_otp()).await;
    let (second, second_url) = envelope(&app, key, true, "Pat@Example.test", email_otp()).await;
    let (_, native) = app
        .get_json(key, &format!("/api/v1/envelopes/{first}"))
        .await;
    assert_eq!(native["extended_auth_session"], true);

    let mut browser = Device::new(&app);
    assert!(!browser.opens_verified(&first_url).await);
    browser.verify_by_mail(&first_url, PAT).await;
    for path in ["/s", "/api/v1/signing"] {
        assert!(
            browser.set_cookies.iter().any(|c| {
                c.starts_with("signet_auth_pass=")
                    && c.contains(&format!("Path={path};"))
                    && c.contains("HttpOnly")
                    && c.contains("SameSite=Strict")
                    && c.contains("Max-Age=1800")
            }),
            "{:?}",
            browser.set_cookies
        );
    }
    let verified_at = app.events_of(key, &first, "otp_verified").await[0]["at"].clone();
    assert_eq!(code_mails(&app, PAT), 1);

    assert!(
        browser.opens_verified(&second_url).await,
        "no code needed on the second envelope"
    );
    let (status, signed) = browser.sign(&second_url).await;
    assert_eq!(status, 200, "{signed}");
    assert_eq!(code_mails(&app, PAT), 1, "no code was sent for the second");
    assert!(app.events_of(key, &second, "otp_sent").await.is_empty());
    let reused = app.events_of(key, &second, "authentication_reused").await;
    assert_eq!(reused.len(), 1);
    let data = &reused[0]["data"];
    assert_eq!(data["method"], "email_otp");
    assert_eq!(data["source_envelope_id"], first.as_str());
    let (_, first_native) = app
        .get_json(key, &format!("/api/v1/envelopes/{first}"))
        .await;
    assert_eq!(data["source_signer_id"], first_native["signers"][0]["id"]);
    assert_eq!(data["verified_at"], verified_at);

    let (status, signed) = browser.sign(&first_url).await;
    assert_eq!(status, 200, "{signed}");
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn an_auth_pass_counts_for_thirty_minutes_from_the_verification_not_from_its_use() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (_, first) = envelope(&app, key, true, PAT, email_otp()).await;
    let (_, second) = envelope(&app, key, true, PAT, email_otp()).await;
    let (_, third) = envelope(&app, key, true, PAT, email_otp()).await;
    let mut browser = Device::new(&app);
    browser.verify_by_mail(&first, PAT).await;

    app.clock.advance(time::Duration::minutes(29));
    assert!(browser.opens_verified(&second).await);
    app.clock.advance(time::Duration::minutes(2));
    assert!(
        !browser.opens_verified(&third).await,
        "31 minutes after the code, a code is needed again"
    );
    assert!(
        browser.opens_verified(&second).await,
        "the session made within the 30 minutes lasts"
    );
    app.run_jobs_until_idle().await;
    app.finish().await;
}
