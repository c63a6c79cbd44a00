//! Where an auth pass does not count: the setting off on either envelope, another browser,
//! another account, another e-mail address or method, a new link for the verified signer.

use serde_json::json;

use super::{Device, PAT, code_mails, email_otp, envelope};
use crate::support::TestApp;

#[tokio::test]
async fn an_auth_pass_needs_the_setting_on_both_envelopes_and_the_same_browser() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (_, plain) = envelope(&app, key, false, PAT, email_otp()).await;
    let (_, extended) = envelope(&app, key, true, PAT, email_otp()).await;
    let (_, off) = envelope(&app, key, false, PAT, email_otp()).await;
    let (_, on) = envelope(&app, key, true, PAT, email_otp()).await;

    let mut browser = Device::new(&app);
    browser.verify_by_mail(&plain, PAT).await;
    assert!(
        !browser.has_pass(),
        "no pass from an envelope without the setting"
    );
    assert!(!browser.opens_verified(&on).await);

    browser.verify_by_mail(&extended, PAT).await;
    assert!(browser.has_pass());
    assert!(
        !browser.opens_verified(&off).await,
        "the second envelope has the setting off"
    );
    let mut other = Device::new(&app);
    assert!(
        !other.opens_verified(&on).await,
        "another browser has no pass"
    );
    assert!(browser.opens_verified(&on).await);
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn an_auth_pass_counts_only_in_its_account_for_the_same_email_and_method() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let other_key = &app.account("Other").await.api_key;
    let (_, first) = envelope(&app, key, true, PAT, email_otp()).await;
    let (_, foreign) = envelope(&app, other_key, true, PAT, email_otp()).await;
    let sms = json!({"auth_method": "sms", "phone": "+31 6 1234 5678"});
    let (_, by_sms) = envelope(&app, key, true, PAT, sms).await;
    let (_, someone_else) = envelope(&app, key, true, "sam@example.test", email_otp()).await;
    let (_, same) = envelope(&app, key, true, PAT, email_otp()).await;

    let mut browser = Device::new(&app);
    browser.verify_by_mail(&first, PAT).await;
    assert!(
        !browser.opens_verified(&foreign).await,
        "another account's envelope"
    );
    assert!(
        !browser.opens_verified(&by_sms).await,
        "a code by e-mail does not stand for one by SMS"
    );
    assert!(
        !browser.opens_verified(&someone_else).await,
        "another e-mail address"
    );
    assert!(browser.opens_verified(&same).await);
    assert_eq!(code_mails(&app, PAT), 1);
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn a_new_link_for_the_verified_signer_ends_their_auth_pass() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (first, first_url) = envelope(&app, key, true, PAT, email_otp()).await;
    let (_, second_url) = envelope(&app, key, true, PAT, email_otp()).await;
    let mut browser = Device::new(&app);
    browser.verify_by_mail(&first_url, PAT).await;
    let (_, native) = app
        .get_json(key, &format!("/api/v1/envelopes/{first}"))
        .await;
    let signer = native["signers"][0]["id"].as_str().unwrap().to_owned();
    // Another address and back (Stiply's signer update): the signer has a new link each time.
    let path = format!("/stiply/v1.1/sign_requests/{first}/signers/{signer}");
    for email in ["pat.doe@example.test", PAT] {
        let body = json!({"new_email": email, "new_cell_phone_number": "31612345678"});
        let response = app
            .client
            .put(app.url(&path))
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
    }
    assert!(browser.has_pass());
    assert!(
        !browser.opens_verified(&second_url).await,
        "the pass stood on a link that no longer works"
    );
    app.run_jobs_until_idle().await;
    app.finish().await;
}
