//! A signer with `auth_method: oidc` in real Chromium: the page offers only the identity step,
//! its button goes to the loopback provider and back through `/oidc/callback`, and the page
//! then shows the documents and signs.

use serde_json::json;

use super::page::{open_page, sign_typed};
use crate::otp::otp_envelope;
use crate::support::TestApp;
use crate::support::oidc_provider::OidcProvider;
use crate::support::webdriver::{ChromeDriver, Viewport};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oidc_signer_verifies_at_the_provider_in_chromium_then_signs() {
    let provider = OidcProvider::start().await;
    let setting = provider.setting("idin");
    let app = TestApp::spawn_with(|c| c.oidc_providers = Some(setting)).await;
    let key = app.account("Acme Legal").await.api_key;
    let extra = json!({"auth_method": "oidc", "identity_provider": "idin"});
    let (id, _, urls) = otp_envelope(&app, &key, &[extra]).await;

    let driver = ChromeDriver::start().await;
    let browser = driver.session(Viewport::Phone).await;
    open_page(&browser, &urls[0], "Lease 7", "oidc-identity").await;
    assert!(
        browser.try_find(".doc").await.is_none(),
        "no document before the check"
    );
    let intro = browser.find("#identity-intro").await.text().await;
    assert!(intro.contains("idin"), "{intro}");
    browser.find("#identity-start").await.click().await;
    browser
        .wait_until("the documents", "!!document.getElementById('sign-form')")
        .await;
    open_page(&browser, &urls[0], "Lease 7", "oidc-verified").await;
    sign_typed(&browser, "Ada van der Meer").await;
    browser.quit().await;
    drop(driver);
    assert_eq!(app.events_of(&key, &id, "identity_verified").await.len(), 1);
    app.run_jobs_until_idle().await;
    app.finish().await;
}
