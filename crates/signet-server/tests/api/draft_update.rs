//! `PATCH /api/v1/envelopes/{id}`: the core's partial update of a draft, natively.

use serde_json::json;

use crate::support::TestApp;
use crate::support::fixtures::contract_pdf;

#[tokio::test]
async fn patch_changes_only_what_is_given_and_only_drafts() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (id, first) = app
        .draft_with_contract(
            key,
            json!({"title": "Draft", "message": "Hello", "external_key": "k-1"}),
        )
        .await;
    let (status, second) = app.upload(key, &id, "second.pdf", contract_pdf()).await;
    assert_eq!(status, 201, "{second}");
    let body = json!({"name": "Ada", "email": "ada@example.test",
        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let (status, ada) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/signers"), &body)
        .await;
    assert_eq!(status, 201, "{ada}");
    let path = format!("/api/v1/envelopes/{id}");

    let (status, env) = app
        .patch_json(key, &path, &json!({
            "title": "Renamed", "message": null, "language": "de",
            "expires_at": "2040-01-01T00:00:00Z",
            "document_ids": [second["id"]],
            "signers": [{"id": ada["id"]}, {"name": "Bob", "email": "bob@example.test", "role": "cc"}]
        }))
        .await;
    assert_eq!(status, 200, "{env}");
    assert_eq!(env["title"], "Renamed");
    assert!(env["message"].is_null());
    assert_eq!(env["external_key"], "k-1", "left alone");
    assert!(
        env["expires_at"]
            .as_str()
            .unwrap()
            .starts_with("2040-01-01T00:00:00")
    );
    let docs = env["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], second["id"]);
    assert_ne!(docs[0]["id"], first["id"]);
    let signers = env["signers"].as_array().unwrap();
    assert_eq!(signers.len(), 2);
    assert!(signers.iter().all(|s| s["language"] == "de"));
    let ada_now = signers.iter().find(|s| s["id"] == ada["id"]).unwrap();
    assert_eq!(
        ada_now["fields"].as_array().unwrap().len(),
        1,
        "fields on the kept document stay"
    );
    assert!(
        signers
            .iter()
            .any(|s| s["email"] == "bob@example.test" && s["role"] == "cc")
    );

    // A signer with fields cannot change role; unknown documents are refused.
    let (status, err) = app
        .patch_json(
            key,
            &path,
            &json!({"signers": [{"id": ada["id"], "role": "cc"}]}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["code"], "role_with_fields");
    let (status, err) = app
        .patch_json(key, &path, &json!({"document_ids": [first["id"]]}))
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["code"], "unknown_document");

    // Sent: 409.
    let (status, sent) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 200, "{sent}");
    let (status, err) = app.patch_json(key, &path, &json!({"title": "Late"})).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["error"]["code"], "envelope_not_draft");

    // Another account: 404.
    let other = app.account("Other").await.api_key;
    let (status, err) = app
        .patch_json(&other, &path, &json!({"title": "Mine"}))
        .await;
    assert_eq!(status, 404, "{err}");
    app.run_jobs_until_idle().await;
    app.finish().await;
}
