//! Signer authentication at an OpenID Connect identity provider (`auth_method` `oidc`),
//! against the loopback provider of `support::oidc_provider`, through the real page routes:
//! the happy path, the gate, the evidence, and every refusal (wrong state, another browser,
//! tampered, expired and wrong-nonce ID tokens, a denied login).

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::otp::otp_envelope;
use crate::support::TestApp;
use crate::support::app::token_of;
use crate::support::oidc_provider::{OidcProvider, SUBJECT, TokenFault};
use crate::support::secrets;

/// A browser: follows nothing by itself, keeps cookies by name (the server's paths and
/// SameSite rules are checked separately).
struct Browser {
    client: reqwest::Client,
    cookies: HashMap<String, String>,
}

struct Hop {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    body: String,
}

impl Browser {
    fn new() -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            client,
            cookies: HashMap::new(),
        }
    }

    async fn get(&mut self, url: &str) -> Hop {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let mut request = self.client.get(url);
        if !cookie.is_empty() {
            request = request.header("Cookie", cookie.join("; "));
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for line in &set_cookies {
            let pair = line.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                secrets::remember_as("oidc test cookie", value);
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Hop {
            status,
            location,
            set_cookies,
            body: response.text().await.unwrap(),
        }
    }

    /// `/s/{token}/oidc/start`, then the provider's authorize endpoint: the callback URL the
    /// provider sends the browser to.
    async fn login_at_provider(&mut self, app: &TestApp, token: &str) -> String {
        let start = self.get(&app.url(&format!("/s/{token}/oidc/start"))).await;
        assert_eq!(start.status, 303, "{}", start.body);
        let authorize = start.location.unwrap();
        let back = self.get(&authorize).await;
        assert_eq!(back.status, 303, "{}", back.body);
        back.location.unwrap()
    }

    /// The signing API with this browser's signer cookie.
    async fn api(
        &self,
        app: &TestApp,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.client.request(method, app.url(path));
        if let Some(c) = self.cookies.get("signet_signer") {
            request = request.header("Cookie", format!("signet_signer={c}"));
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

async fn spawn() -> (TestApp, OidcProvider) {
    let provider = OidcProvider::start().await;
    let setting = provider.setting("idin");
    let app = TestApp::spawn_with(|c| c.oidc_providers = Some(setting)).await;
    (app, provider)
}

/// A sent envelope with one `oidc` signer at `idin`: envelope id, document id, token.
async fn envelope(app: &TestApp, key: &str) -> (String, String, String) {
    let extra = json!({"auth_method": "oidc", "identity_provider": "idin"});
    let (id, document, urls) = otp_envelope(app, key, &[extra]).await;
    (id, document, token_of(&urls[0]).to_owned())
}

/// A signer Ada with one signature field and the attributes of `extra`.
fn signer_body(extra: &Value) -> Value {
    let mut body = json!({"name": "Ada", "email": "ada@example.test",
        "fields": [{"type": "signature", "tag": "signature_1"}]});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn code_of(body: &str) -> Option<&str> {
    let start = body.find("<p class=\"code\">")? + "<p class=\"code\">".len();
    body[start..].split('<').next()
}

#[tokio::test]
async fn an_oidc_signer_reads_and_signs_only_after_logging_in_at_the_provider() {
    let (app, provider) = spawn().await;
    let key = app.account("A").await.api_key;
    let (id, document, token) = envelope(&app, &key).await;
    let mut browser = Browser::new();

    let page = browser.get(&app.url(&format!("/s/{token}"))).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(&format!("href=\"/s/{token}/oidc/start\"")),
        "{}",
        page.body
    );
    let signing = format!("/api/v1/signing/{token}");
    let (status, session) = browser
        .api(&app, reqwest::Method::GET, &signing, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        session["authentication"],
        json!({"method": "oidc", "identity_provider": "idin", "verified": false})
    );
    let body = crate::support::app::typed_signing();
    let (status, err) = browser
        .api(
            &app,
            reqwest::Method::POST,
            &format!("{signing}/complete"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (403, Some("authentication_required"))
    );
    let (status, _) = browser
        .api(
            &app,
            reqwest::Method::GET,
            &format!("{signing}/documents/{document}"),
            None,
        )
        .await;
    assert_eq!(status, 403, "the gate holds the document back");

    let start = browser
        .get(&app.url(&format!("/s/{token}/oidc/start")))
        .await;
    assert_eq!(start.status, 303);
    assert!(
        start
            .set_cookies
            .iter()
            .any(|c| c.starts_with("signet_oidc=")
                && c.contains("Path=/oidc/callback")
                && c.contains("HttpOnly")
                && c.contains("SameSite=Lax"))
    );
    let back = browser.get(&start.location.unwrap()).await;
    let authz = &provider.authorizations()[0];
    assert_eq!(authz["redirect_uri"], app.url("/oidc/callback"));
    assert!(authz["code_challenge"].len() == 43 && authz["nonce"].len() >= 43);
    let planted = browser.cookies["signet_signer"].clone();
    let done = browser.get(&back.location.unwrap()).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.location.as_deref(),
        Some(format!("/s/{token}").as_str())
    );
    assert_ne!(
        browser.cookies["signet_signer"], planted,
        "verifying issues a fresh cookie"
    );
    assert!(
        !browser.cookies.contains_key("signet_oidc"),
        "the state cookie is cleared"
    );

    let (_, session) = browser
        .api(&app, reqwest::Method::GET, &signing, None)
        .await;
    assert_eq!(session["authentication"]["verified"], true);
    let (status, _) = browser
        .api(
            &app,
            reqwest::Method::GET,
            &format!("{signing}/documents/{document}"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let other = Browser::new();
    let (status, _) = other
        .api(
            &app,
            reqwest::Method::POST,
            &format!("{signing}/complete"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, 403, "another browser is still locked out");
    let (status, signed) = browser
        .api(
            &app,
            reqwest::Method::POST,
            &format!("{signing}/complete"),
            Some(body),
        )
        .await;
    assert_eq!(status, 200, "{signed}");

    let events = app.events_of(&key, &id, "identity_verified").await;
    assert_eq!(events.len(), 1);
    let data = &events[0]["data"];
    assert_eq!(data["provider"], "idin");
    assert_eq!(data["issuer"], provider.issuer);
    assert_eq!(data["subject"], SUBJECT);
    assert_eq!(data["claims"]["name"], "Ada van der Meer");
    assert_eq!(data["claims"]["birthdate"], "1982-09-01");
    assert_eq!(
        data["claims"]["phone_number"], "+31612345678",
        "from userinfo"
    );
    assert_eq!(data["id_token_sha256"].as_str().unwrap().len(), 64);
    app.run_jobs_until_idle().await;
    let (status, proof) = app
        .get_bytes(&key, &format!("/api/v1/envelopes/{id}/proof.pdf"))
        .await;
    assert_eq!(status, 200);
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &proof).unwrap();
    let text = crate::support::validators::pdftotext(file.path());
    assert!(
        text.contains("identity_verified"),
        "the proof lists the identity check"
    );
    // The details column wraps: its pieces are there.
    assert!(
        text.contains("{\"claims\":{\"birth") && text.contains("mily_name\":\"van"),
        "{text}"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_callback_with_another_state_or_from_another_browser_is_refused_and_a_retry_works() {
    let (app, _provider) = spawn().await;
    let key = app.account("A").await.api_key;
    let (id, _, token) = envelope(&app, &key).await;
    let mut browser = Browser::new();
    let callback = browser.login_at_provider(&app, &token).await;

    // The state changed: unknown, refused.
    let forged = callback.replace("state=", "state=x");
    let hop = browser.get(&forged).await;
    assert_eq!(
        (hop.status, code_of(&hop.body)),
        (409, Some("identity_state_invalid"))
    );
    // The right state, but in a browser without the state cookie.
    let mut thief = Browser::new();
    let hop = thief.get(&callback).await;
    assert_eq!(
        (hop.status, code_of(&hop.body)),
        (409, Some("identity_state_invalid"))
    );
    assert!(
        hop.body.contains(&format!("href=\"/s/{token}\"")),
        "a way to try again"
    );
    assert!(hop.body.contains("Try again"));
    // That login is spent now; a new one in the right browser succeeds.
    let hop = browser.get(&callback).await;
    assert_eq!(
        (hop.status, code_of(&hop.body)),
        (409, Some("identity_state_invalid"))
    );
    let callback = browser.login_at_provider(&app, &token).await;
    let hop = browser.get(&callback).await;
    assert_eq!(hop.status, 303, "{}", hop.body);
    let failed = app.events_of(&key, &id, "identity_failed").await;
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert_eq!(app.events_of(&key, &id, "identity_verified").await.len(), 1);
    app.finish().await;
}

#[tokio::test]
async fn tampered_expired_and_wrong_nonce_id_tokens_and_denied_logins_are_refused() {
    let (app, provider) = spawn().await;
    let key = app.account("A").await.api_key;
    let (id, _, token) = envelope(&app, &key).await;
    let mut browser = Browser::new();
    for fault in [
        TokenFault::Tampered,
        TokenFault::Expired,
        TokenFault::WrongNonce,
    ] {
        provider.set_token(fault);
        let callback = browser.login_at_provider(&app, &token).await;
        let hop = browser.get(&callback).await;
        assert_eq!(
            (hop.status, code_of(&hop.body)),
            (422, Some("identity_rejected")),
            "{fault:?}"
        );
        let signing = format!("/api/v1/signing/{token}");
        let (_, session) = browser
            .api(&app, reqwest::Method::GET, &signing, None)
            .await;
        assert_eq!(session["authentication"]["verified"], false, "{fault:?}");
    }
    provider.set_token(TokenFault::None);
    provider.set_deny(true);
    let callback = browser.login_at_provider(&app, &token).await;
    assert!(callback.contains("error=access_denied"));
    let hop = browser.get(&callback).await;
    assert_eq!(
        (hop.status, code_of(&hop.body)),
        (422, Some("identity_denied"))
    );
    let failed = app.events_of(&key, &id, "identity_failed").await;
    let reasons: Vec<&str> = failed
        .iter()
        .map(|e| e["data"]["reason"].as_str().unwrap())
        .collect();
    assert!(reasons[0].contains("signature"), "{reasons:?}");
    assert!(reasons[1].contains("expired"), "{reasons:?}");
    assert!(reasons[2].contains("nonce"), "{reasons:?}");
    assert!(reasons[3].contains("access_denied"), "{reasons:?}");
    provider.set_deny(false);
    let callback = browser.login_at_provider(&app, &token).await;
    assert_eq!(browser.get(&callback).await.status, 303, "a retry succeeds");
    app.finish().await;
}

#[tokio::test]
async fn an_oidc_signer_needs_a_configured_provider() {
    let (app, _provider) = spawn().await;
    let key = app.account("A").await.api_key;
    let (draft, _) = app
        .draft_with_contract(&key, json!({"title": "Lease"}))
        .await;
    let path = format!("/api/v1/envelopes/{draft}/signers");
    for (extra, code) in [
        (
            json!({"auth_method": "oidc", "identity_provider": "pimid"}),
            "identity_provider_unknown",
        ),
        (json!({"auth_method": "oidc"}), "identity_provider_required"),
        (
            json!({"auth_method": "email_otp", "identity_provider": "idin"}),
            "identity_provider_unexpected",
        ),
    ] {
        let (status, body) = app.post_json(&key, &path, &signer_body(&extra)).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some(code)),
            "{body}"
        );
    }
    let (status, body) = app
        .post_json(
            &key,
            &path,
            &signer_body(&json!({"auth_method": "oidc", "identity_provider": "idin"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["identity_provider"], "idin");
    app.finish().await;
}

#[tokio::test]
async fn the_provider_must_confirm_the_family_name_and_birthdate_the_sender_named() {
    let (app, _provider) = spawn().await;
    let key = app.account("A").await.api_key;
    let expecting = |family_name: &str, birthdate: &str| {
        json!({"auth_method": "oidc", "identity_provider": "idin",
            "expected_identity": {"family_name": family_name, "birthdate": birthdate}})
    };
    // The provider confirms "van der Meer", born 1982-09-01.
    let (id, _, urls) = otp_envelope(
        &app,
        &key,
        &[
            expecting("Van  der MEER", "1982-09-01"),
            expecting("van der Meer", "1982-01-09"),
        ],
    )
    .await;
    let (right, wrong) = (token_of(&urls[0]), token_of(&urls[1]));
    let mut browser = Browser::new();
    let callback = browser.login_at_provider(&app, right).await;
    assert_eq!(browser.get(&callback).await.status, 303, "the same person");
    let mut other = Browser::new();
    let callback = other.login_at_provider(&app, wrong).await;
    let hop = other.get(&callback).await;
    assert_eq!(
        (hop.status, code_of(&hop.body)),
        (422, Some("identity_mismatch"))
    );
    let signing = format!("/api/v1/signing/{wrong}");
    let (_, session) = other.api(&app, reqwest::Method::GET, &signing, None).await;
    assert_eq!(session["authentication"]["verified"], false);
    let failed = app.events_of(&key, &id, "identity_failed").await;
    assert_eq!(failed.len(), 1);
    let reason = failed[0]["data"]["reason"].as_str().unwrap();
    assert!(reason.contains("birthdate"), "{reason}");
    assert_eq!(app.events_of(&key, &id, "identity_verified").await.len(), 1);
    let (_, envelope) = app.get_json(&key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(
        envelope["signers"][0]["expected_identity"],
        json!({"family_name": "Van der MEER", "birthdate": "1982-09-01"})
    );
    app.finish().await;
}

#[tokio::test]
async fn an_expected_identity_needs_oidc_and_a_real_date() {
    let (app, _provider) = spawn().await;
    let key = app.account("A").await.api_key;
    let (draft, _) = app
        .draft_with_contract(&key, json!({"title": "Lease"}))
        .await;
    let path = format!("/api/v1/envelopes/{draft}/signers");
    let oidc = json!({"auth_method": "oidc", "identity_provider": "idin"});
    for (auth, expected, code) in [
        (
            json!({"auth_method": "email_otp"}),
            json!({"family_name": "Meer"}),
            "expected_identity_unexpected",
        ),
        (
            oidc.clone(),
            json!({"birthdate": "01-09-1982"}),
            "invalid_expected_identity",
        ),
        (oidc.clone(), json!({}), "invalid_expected_identity"),
        (
            oidc.clone(),
            json!({"family_name": " "}),
            "invalid_expected_identity",
        ),
    ] {
        let mut extra = auth;
        extra["expected_identity"] = expected;
        let body = signer_body(&extra);
        let (status, answer) = app.post_json(&key, &path, &body).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (422, Some(code)),
            "{body} → {answer}"
        );
    }
    app.finish().await;
}
