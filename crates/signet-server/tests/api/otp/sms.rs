//! `sms` authentication: the phone rules and the code through the configured HTTP gateway.

use serde_json::{Value, json};

use super::{Browser, assert_code_not_logged, code_in, otp_envelope};
use crate::support::TestApp;

#[tokio::test]
async fn sms_codes_go_through_the_configured_gateway_with_its_headers_and_body() {
    let app = TestApp::spawn().await;
    let account = app.account("Acme").await;
    let sms = json!({"auth_method": "sms", "phone": "+31 6 1234 5678", "language": "nl"});
    let (id, document, urls) = otp_envelope(&app, &account.api_key, &[sms]).await;
    let (_, envelope) = app
        .get_json(&account.api_key, &format!("/api/v1/envelopes/{id}"))
        .await;
    assert_eq!(envelope["signers"][0]["auth_method"], "sms");
    assert_eq!(envelope["signers"][0]["phone"], "+31612345678");
    let mut a = Browser::new(&app, &urls[0]);
    let (status, sent) = a.send_code().await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(
        (sent["channel"].as_str(), sent["destination"].as_str()),
        (Some("sms"), Some("+31*******78"))
    );
    let requests = app.sms.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/messages")
    );
    assert_eq!(
        request.header("authorization"),
        Some("Bearer sms-gateway-key")
    );
    assert_eq!(request.header("x-sender"), Some("Signet"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body: Value = request.json().unwrap();
    assert_eq!(body["recipient"], "+31612345678");
    assert_eq!(body["channel"], "sms");
    let text = body["message"].as_str().unwrap();
    assert!(
        text.contains("uw code om te ondertekenen bij Acme"),
        "Dutch text: {text}"
    );
    let code = code_in(text);
    assert!(
        app.smtp
            .messages()
            .iter()
            .all(|m| !m.text_body().unwrap_or_default().contains(&code))
    );
    assert_eq!(a.verify(&code).await.0, 200);
    assert_eq!(a.document(&document).await, 200);
    let events = app.events_of(&account.api_key, &id, "otp_sent").await;
    assert_eq!(events[0]["data"]["destination"], "+31*******78");
    assert_eq!(events[0]["data"]["channel"], "sms");
    assert_code_not_logged(&code);
    app.finish().await;
}

#[tokio::test]
async fn sms_signers_need_a_valid_phone_and_a_gateway() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (id, _) = app
        .draft_with_contract(&account.api_key, json!({"title": "T"}))
        .await;
    let path = format!("/api/v1/envelopes/{id}/signers");
    let signer = |extra: Value| {
        let mut body = json!({"name": "P", "email": "p@example.test"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    for (extra, code) in [
        (json!({"auth_method": "sms"}), "phone_required"),
        (
            json!({"auth_method": "sms", "phone": "0612345678"}),
            "invalid_phone",
        ),
        (
            json!({"auth_method": "sms", "phone": "+31abc"}),
            "invalid_phone",
        ),
    ] {
        let (status, body) = app.post_json(&account.api_key, &path, &signer(extra)).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some(code)),
            "{body}"
        );
    }
    let (status, body) = app
        .post_json(
            &account.api_key,
            &path,
            &signer(json!({"auth_method": "face_id"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_body"))
    );

    let without = TestApp::spawn_with(|c| c.sms = signet_server::SmsConfig::default()).await;
    let account = without.account("B").await;
    let (id, _) = without
        .draft_with_contract(&account.api_key, json!({"title": "T"}))
        .await;
    let (status, body) = without
        .post_json(
            &account.api_key,
            &format!("/api/v1/envelopes/{id}/signers"),
            &signer(json!({"auth_method": "sms", "phone": "+31612345678"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("sms_unavailable"))
    );
    without.finish().await;
    app.finish().await;
}
