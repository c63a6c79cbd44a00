//! `/api/v1/account`: the PAdES level per account, validated, isolated between accounts, and
//! used by the seal.

use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn each_account_chooses_its_pades_level() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.account("A").await, app.account("B").await);
    let (status, account) = app.get_json(&a.api_key, "/api/v1/account").await;
    assert_eq!(status, 200);
    assert_eq!(account["id"], a.account_id.as_str());
    assert_eq!(account["pades_level"], serde_json::Value::Null);
    assert_eq!(account["effective_pades_level"], "B-LTA");

    let (status, body) = app
        .patch_json(
            &a.api_key,
            "/api/v1/account",
            &json!({"pades_level": "B-X"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_pades_level"))
    );
    let (status, body) = app
        .patch_json(&a.api_key, "/api/v1/account", &json!({"colour": "red"}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_body"))
    );
    let (status, _) = app
        .patch_json("sk_nope", "/api/v1/account", &json!({"pades_level": "B-T"}))
        .await;
    assert_eq!(status, 401);
    let (_, account) = app.get_json(&a.api_key, "/api/v1/account").await;
    assert_eq!(
        account["pades_level"],
        serde_json::Value::Null,
        "rejections change nothing"
    );

    let (status, account) = app
        .patch_json(
            &a.api_key,
            "/api/v1/account",
            &json!({"pades_level": "b-t"}),
        )
        .await;
    assert_eq!(status, 200, "{account}");
    assert_eq!(account["pades_level"], "B-T");
    assert_eq!(account["effective_pades_level"], "B-T");
    let (_, other) = app.get_json(&b.api_key, "/api/v1/account").await;
    assert_eq!(
        other["effective_pades_level"], "B-LTA",
        "another account is not affected"
    );

    for (key, level, dss) in [
        (&a.api_key, "PAdES-B-T", false),
        (&b.api_key, "PAdES-B-LTA", true),
    ] {
        let id = app.completed_envelope(key).await;
        let sealed = app.events_of(key, &id, "sealed").await;
        assert_eq!(sealed[0]["data"]["level"], level, "{sealed:?}");
        let (_, signed) = app
            .get_bytes(key, &format!("/api/v1/envelopes/{id}/signed.pdf"))
            .await;
        assert_eq!(signed.windows(4).any(|w| w == b"/DSS"), dss, "{level}");
    }

    let (status, account) = app
        .patch_json(&a.api_key, "/api/v1/account", &json!({"pades_level": null}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(account["pades_level"], serde_json::Value::Null);
    assert_eq!(account["effective_pades_level"], "B-LTA");
    app.finish().await;
}
