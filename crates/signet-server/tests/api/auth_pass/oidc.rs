//! An auth pass from a login at an identity provider: it stands for a login at the same
//! provider on another envelope, never for a signer whose provider must confirm a named
//! identity (`expected_identity`).

use serde_json::json;

use super::{Device, PAT, envelope};
use crate::support::TestApp;
use crate::support::app::token_of;
use crate::support::oidc_provider::OidcProvider;

#[tokio::test]
async fn a_login_at_a_provider_stands_for_the_same_provider_but_not_for_a_named_identity() {
    let provider = OidcProvider::start().await;
    let setting = provider.setting("idin");
    let app = TestApp::spawn_with(|c| c.oidc_providers = Some(setting)).await;
    let key = &app.account("Acme").await.api_key;
    let idin = json!({"auth_method": "oidc", "identity_provider": "idin"});
    let (_, first) = envelope(&app, key, true, PAT, idin.clone()).await;
    let (second_id, second) = envelope(&app, key, true, PAT, idin).await;
    let named = json!({"auth_method": "oidc", "identity_provider": "idin",
        "expected_identity": {"family_name": "van der Meer"}});
    let (_, third) = envelope(&app, key, true, PAT, named).await;

    let mut browser = Device::new(&app);
    assert!(!browser.opens_verified(&first).await);
    let start = app.url(&format!("/s/{}/oidc/start", token_of(&first)));
    let (status, authorize) = browser.visit(&start).await;
    assert_eq!(status, 303);
    let (status, callback) = browser.visit(&authorize.unwrap()).await;
    assert_eq!(status, 303);
    let (status, _) = browser.visit(&callback.unwrap()).await;
    assert_eq!(status, 303, "the login succeeded");
    assert!(browser.has_pass());
    assert!(browser.opens_verified(&first).await);

    assert!(
        browser.opens_verified(&second).await,
        "the same provider on another envelope of the account"
    );
    let reused = app
        .events_of(key, &second_id, "authentication_reused")
        .await;
    assert_eq!(reused[0]["data"]["method"], "oidc");
    assert!(
        !browser.opens_verified(&third).await,
        "a named identity is confirmed at the provider each time"
    );
    assert_eq!(provider.authorizations().len(), 1, "one login in all");
    app.run_jobs_until_idle().await;
    app.finish().await;
}
