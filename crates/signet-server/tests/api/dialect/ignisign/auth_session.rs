//! `extendedAuthSessionEnabled` is the core's extended authentication sessions: set on two
//! requests through `PUT`, a code verified for the signer of one lets the same browser sign
//! the other without a new code.

use serde_json::json;

use super::{add_document, context, init_request, publish, put};
use crate::auth_pass::{Device, PAT, code_mails};
use crate::support::TestApp;
use crate::support::app::link_in;

/// An Ignisign request titled `title` with a document and an `email_otp` signer (added through
/// the native API: Ignisign's own signers have no code), updated with
/// `extendedAuthSessionEnabled` and published; returns its id.
async fn published(app: &TestApp, key: &str, title: &str) -> String {
    let id = init_request(app, key).await;
    let doc = add_document(app, key, &id, title).await;
    let signer = json!({"name": "Pat Doe", "email": PAT, "auth_method": "email_otp"});
    let (status, signer) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &signer)
        .await;
    assert_eq!(status, 201, "{signer}");
    let body = json!({"title": title, "documentIds": [doc], "signerIds": [signer["id"]],
        "extendedAuthSessionEnabled": true});
    let (status, ctx) = put(app, key, &id, &body).await;
    assert_eq!(status, 200, "{ctx}");
    assert_eq!(ctx["extendedAuthSessionEnabled"], true);
    let (status, body) = publish(app, key, &id).await;
    assert_eq!(status, 200, "{body}");
    id
}

/// The signing link of the invitation to `PAT` for the request titled `title`.
fn invitation_link(app: &TestApp, title: &str) -> String {
    let mail = app
        .smtp
        .messages()
        .into_iter()
        .find(|m| m.recipients == [PAT] && m.subject().is_some_and(|s| s.contains(title)))
        .expect("an invitation");
    link_in(&mail.text_body().unwrap_or_default(), &app.base)
}

#[tokio::test]
async fn extended_auth_session_enabled_lets_a_verified_signer_sign_the_next_request_without_a_code()
{
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let first = published(&app, key, "Lease").await;
    let second = published(&app, key, "Deposit").await;
    let (_, native) = app
        .get_json(key, &format!("/api/v1/envelopes/{second}"))
        .await;
    assert_eq!(native["extended_auth_session"], true);
    let (_, ctx) = context(&app, key, &second).await;
    assert_eq!(ctx["extendedAuthSessionEnabled"], true);
    app.run_jobs_until_idle().await;

    let mut browser = Device::new(&app);
    let lease = invitation_link(&app, "Lease");
    browser.verify_by_mail(&lease, PAT).await;
    let deposit = invitation_link(&app, "Deposit");
    assert!(browser.opens_verified(&deposit).await);
    let (status, signed) = browser.sign(&deposit).await;
    assert_eq!(status, 200, "{signed}");
    assert_eq!(code_mails(&app, PAT), 1);
    let reused = app.events_of(key, &second, "authentication_reused").await;
    assert_eq!(reused[0]["data"]["source_envelope_id"], first.as_str());

    let (status, ctx) = put(
        &app,
        key,
        &init_request(&app, key).await,
        &json!({"extendedAuthSessionEnabled": null}),
    )
    .await;
    assert_eq!(status, 200, "{ctx}");
    assert_eq!(ctx["extendedAuthSessionEnabled"], false);
    app.run_jobs_until_idle().await;
    app.finish().await;
}
