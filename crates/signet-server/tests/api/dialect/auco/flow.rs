//! Reactivation through to completion: a rejected process (the decliner gets a new link, the
//! old one stays dead) and an expired one (the expiry is recomputed from the account's
//! setting); the reactivating e-mail is in the audit trail.

use signet_core::time::storable;
use time::Duration;

use super::*;
use crate::support::app::typed_signing;

async fn reactivate(app: &TestApp, key: &str, code: &str) -> Value {
    let body = json!({"code": code, "email": "manager@auco.ai"}).to_string();
    let (status, answer) = auco(
        app,
        reqwest::Method::PUT,
        Some(key),
        "/document/reactivate",
        Some(&body),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    answer
}

#[tokio::test]
async fn a_rejected_process_is_reactivated_and_completed_with_a_new_link_for_the_decliner() {
    let app = TestApp::spawn().await;
    let account = app.account("Auco").await;
    let key = &account.api_key;
    let code = upload_document(&app, key, json!({})).await;
    let shown = process(&app, key, &format!("code={code}")).await;
    assert_eq!(shown["code"], code.as_str());
    assert_eq!(shown["package"], Value::Null);
    assert_eq!(shown["name"], "Contrato de arrendamiento");
    assert_eq!(shown["status"], "PROCESS");
    assert_eq!(shown["signProfile"][0]["name"], JUAN.0);
    assert_eq!(shown["signProfile"][1]["email"], MARIA.1);
    assert_eq!(shown["signProfile"][0]["status"], "PENDING");
    assert_eq!(shown["documents"][0]["hash"].as_str().unwrap().len(), 64);
    let old_juan = juan_declines(&app).await;
    let shown = process(&app, key, &format!("code={code}")).await;
    assert_eq!(shown["status"], "REJECT");
    assert_eq!(shown["signProfile"][0]["status"], "REJECT");
    app.smtp.clear();

    assert_eq!(
        reactivate(&app, key, &code).await,
        notified(&[JUAN.0, MARIA.0])
    );
    let shown = process(&app, key, &format!("code={code}")).await;
    assert_eq!(shown["status"], "PROCESS");
    assert_eq!(shown["signProfile"][0]["status"], "PENDING");
    assert_eq!(shown["signProfile"][0]["rejectDate"], Value::Null);

    let (status, body) = app.signer_get(&old_juan).await;
    assert_eq!(status, 404, "the old link stays dead: {body}");
    let links = links(&app).await;
    assert_ne!(links[JUAN.1], old_juan, "Juan got a new link");
    for who in [JUAN.1, MARIA.1] {
        let (status, body) = app
            .signer_post(&links[who], "complete", &typed_signing())
            .await;
        assert_eq!(status, 200, "{who}: {body}");
    }
    let (status, body) = app
        .signer_post(&old_juan, "complete", &typed_signing())
        .await;
    assert_eq!(status, 404, "{body}");
    app.run_jobs_until_idle().await;
    assert_eq!(
        process(&app, key, &format!("code={code}")).await["status"],
        "FINISH"
    );

    let events = app.events_of(key, &code, "reactivated").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["data"]["by_email"], "manager@auco.ai");
    assert_eq!(events[0]["data"]["previous_status"], "declined");
    let (status, chain) = app
        .get_json(key, &format!("/api/v1/envelopes/{code}/events"))
        .await;
    assert_eq!(status, 200, "{chain}");
    app.finish().await;
}

#[tokio::test]
async fn an_expired_process_is_reactivated_with_a_recomputed_expiry_and_completed() {
    let app = TestApp::spawn().await;
    let key = &app.account("Auco").await.api_key;
    let expiry = storable(app.clock_now() + Duration::days(2));
    let expiry_text = signet_core::time::rfc3339(expiry);
    let code = upload_document(&app, key, json!({"expiredDate": expiry_text})).await;
    let first = links(&app).await;
    assert_eq!(
        process(&app, key, &format!("code={code}")).await["expiredDate"],
        expiry_text.as_str()
    );
    app.clock.advance(Duration::days(3));
    assert_eq!(
        process(&app, key, &format!("code={code}")).await["status"],
        "EXPIRED"
    );
    let (status, _) = app.signer_get(&first[MARIA.1]).await;
    assert_eq!(status, 410, "an expired process cannot be signed");
    app.smtp.clear();

    assert_eq!(
        reactivate(&app, key, &code).await,
        notified(&[JUAN.0, MARIA.0])
    );
    let shown = process(&app, key, &format!("code={code}")).await;
    assert_eq!(shown["status"], "PROCESS");
    let default_days = signet_core::usecase::settings::DEFAULT_REACTIVATION_DAYS;
    let recomputed = storable(app.clock_now() + Duration::days(i64::from(default_days)));
    assert_eq!(
        shown["expiredDate"],
        signet_core::time::rfc3339(recomputed).as_str()
    );

    // Nobody declined: the links are the same ones, e-mailed again.
    let again = links(&app).await;
    assert_eq!(again, first);
    for who in [JUAN.1, MARIA.1] {
        let (status, body) = app
            .signer_post(&again[who], "complete", &typed_signing())
            .await;
        assert_eq!(status, 200, "{who}: {body}");
    }
    app.run_jobs_until_idle().await;
    assert_eq!(
        process(&app, key, &format!("code={code}")).await["status"],
        "FINISH"
    );
    let events = app.events_of(key, &code, "reactivated").await;
    assert_eq!(events[0]["data"]["previous_status"], "expired");
    assert_eq!(events[0]["data"]["by_email"], "manager@auco.ai");
    app.finish().await;
}

#[tokio::test]
async fn the_expiry_after_reactivation_follows_the_account_setting() {
    let app = TestApp::spawn().await;
    let key = &app.account("Auco").await.api_key;
    let (status, account) = app
        .patch_json(key, "/api/v1/account", &json!({"reactivation_days": 7}))
        .await;
    assert_eq!(status, 200, "{account}");
    assert_eq!(account["reactivation_days"], 7);
    assert_eq!(account["effective_reactivation_days"], 7);
    let (status, body) = app
        .patch_json(key, "/api/v1/account", &json!({"reactivation_days": 0}))
        .await;
    assert_eq!(status, 422, "{body}");
    let expiry = app.clock_now() + Duration::days(1);
    let code = upload_document(
        &app,
        key,
        json!({"expiredDate": signet_core::time::rfc3339(expiry)}),
    )
    .await;
    app.run_jobs_until_idle().await;
    app.clock.advance(Duration::days(2));
    reactivate(&app, key, &code).await;
    let shown = process(&app, key, &format!("code={code}")).await;
    let recomputed = storable(app.clock_now() + Duration::days(7));
    assert_eq!(
        shown["expiredDate"],
        signet_core::time::rfc3339(recomputed).as_str()
    );
    app.run_jobs_until_idle().await;
    app.finish().await;
}
