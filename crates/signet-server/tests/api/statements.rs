//! Envelope statements through the native API: set with the draft, fixed once sent, shown to
//! the signer, required to sign, recorded in the audit trail and listed in the proof.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::typed_signing;
use crate::support::validators::pdftotext;

const TERMS: &str = "I accept the **general terms**";
const READ: &str = "I have read the contract";

/// A draft with the contract, an envelope statement given at creation and a statement about
/// the document added by `PATCH`, sent to one link signer; (envelope id, document id, signing
/// URL).
async fn sent_with_statements(app: &TestApp, key: &str) -> (String, String, String) {
    let body = json!({"title": "Lease", "statements": [{"id": "terms", "label": TERMS}]});
    let (id, document) = app.draft_with_contract(key, body).await;
    let document = document["id"].as_str().unwrap().to_owned();
    let statements = json!({"statements": [
        {"id": "terms", "label": TERMS},
        {"id": "read", "label": READ, "document_id": document},
    ]});
    let (status, draft) = app
        .patch_json(key, &format!("/api/v1/envelopes/{id}"), &statements)
        .await;
    assert_eq!(status, 200, "{draft}");
    assert_eq!(draft["statements"][1]["document_id"], document.as_str());
    let signer = json!({"name": "Ada", "email": "ada@example.test", "invitation": "link",
        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let sent = app.add_signers_and_send(key, &id, &[signer]).await;
    let url = sent["signers"][0]["sign_url"].as_str().unwrap().to_owned();
    (id, document, url)
}

fn signing_with(accepted: &[&str]) -> Value {
    let mut body = typed_signing();
    body["accepted_statements"] = json!(accepted);
    body
}

#[tokio::test]
async fn a_signer_must_accept_every_statement_and_the_trail_and_proof_record_them() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (id, document, url) = sent_with_statements(&app, key).await;

    let (status, session) = app.signer_get(&url).await;
    assert_eq!(status, 200, "{session}");
    let shown = &session["statements"];
    assert_eq!(shown[0]["id"], "terms");
    assert_eq!(shown[0]["label"], TERMS);
    assert!(shown[0]["document_id"].is_null());
    assert_eq!(shown[1]["document_id"], document.as_str());
    assert_eq!(shown[1]["document_name"], "contract.pdf");

    for (accepted, code) in [
        (&[][..], "statements_not_accepted"),
        (&["terms"][..], "statements_not_accepted"),
        (&["terms", "read", "other"][..], "unknown_statement"),
    ] {
        let (status, body) = app
            .signer_post(&url, "complete", &signing_with(accepted))
            .await;
        assert_eq!(status, 422, "{accepted:?}: {body}");
        assert_eq!(body["error"]["code"], code, "{body}");
    }
    let (_, envelope) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(
        envelope["signers"][0]["status"], "pending",
        "nothing signed"
    );
    assert!(app.events_of(key, &id, "signed").await.is_empty());

    let (status, body) = app
        .signer_post(&url, "complete", &signing_with(&["read", "terms"]))
        .await;
    assert_eq!(status, 200, "{body}");
    let signed = app.events_of(key, &id, "signed").await;
    let recorded = signed[0]["data"]["statements"].as_array().unwrap();
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0]["statement_id"], "terms");
    assert_eq!(recorded[0]["label"], TERMS);
    assert_eq!(recorded[0]["label_sha256"], sha256_hex(TERMS));
    assert!(recorded[0]["document_id"].is_null());
    assert_eq!(recorded[1]["statement_id"], "read");
    assert_eq!(recorded[1]["document_id"], document.as_str());

    app.run_jobs_until_idle().await;
    let (status, proof) = app
        .get_bytes(key, &format!("/api/v1/envelopes/{id}/proof.pdf"))
        .await;
    assert_eq!(status, 200);
    let path = app.data_path().join("proof.pdf");
    std::fs::write(&path, &proof).unwrap();
    let text = pdftotext(&path);
    assert_eq!(text.matches("Accepted statement").count(), 2, "{text}");
    for needle in [
        "I accept the **general terms**",
        READ,
        "About: contract.pdf",
        // Hashes wrap in the value column: their start is on one line.
        &sha256_hex(READ)[..32],
    ] {
        assert!(text.contains(needle), "the proof lists {needle:?}: {text}");
    }
    app.finish().await;
}

#[tokio::test]
async fn statements_are_checked_and_cannot_change_once_sent() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let (id, document) = app
        .draft_with_contract(key, json!({"title": "Lease"}))
        .await;
    let path = format!("/api/v1/envelopes/{id}");
    let many: Vec<Value> = (0..21).map(|n| json!({"label": format!("S{n}")})).collect();
    let unknown = uuid::Uuid::now_v7().to_string();
    for (statements, code) in [
        (json!(many), "too_many_statements"),
        (
            json!([{"id": "a", "label": "x"}, {"id": "a", "label": "y"}]),
            "duplicate_statement",
        ),
        (
            json!([{"id": "no spaces", "label": "x"}]),
            "invalid_statement_id",
        ),
        (json!([{"label": "   "}]), "invalid_field"),
        (json!([{"label": "x".repeat(1001)}]), "invalid_field"),
        (
            json!([{"label": "x", "document_id": unknown}]),
            "unknown_document",
        ),
    ] {
        let (status, body) = app
            .patch_json(key, &path, &json!({"statements": statements}))
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], code, "{body}");
    }
    let (status, body) = app
        .post_json(
            key,
            "/api/v1/envelopes",
            &json!({"title": "T", "statements": [{"label": "x", "document_id": document["id"]}]}),
        )
        .await;
    assert_eq!(status, 422, "a new draft has no documents: {body}");
    assert_eq!(body["error"]["code"], "unknown_document");

    // Twenty is the limit, not more; removing the document removes its statement.
    let twenty: Vec<Value> = (0..20).map(|n| json!({"label": format!("S{n}")})).collect();
    let (status, body) = app
        .patch_json(key, &path, &json!({"statements": twenty}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["statements"].as_array().unwrap().len(), 20);
    let about =
        json!({"statements": [{"id": "doc", "label": "Read", "document_id": document["id"]}]});
    let (status, body) = app.patch_json(key, &path, &about).await;
    assert_eq!(status, 200, "{body}");
    let (status, second) = app
        .upload(
            key,
            &id,
            "second.pdf",
            crate::support::fixtures::contract_pdf(),
        )
        .await;
    assert_eq!(status, 201, "{second}");
    let (status, body) = app
        .patch_json(key, &path, &json!({"document_ids": [second["id"]]}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["statements"], json!([]), "{body}");

    let body = json!({"statements": [{"id": "terms", "label": TERMS}]});
    let (status, draft) = app.patch_json(key, &path, &body).await;
    assert_eq!(status, 200, "{draft}");
    let signer = json!({"name": "Ada", "email": "ada@example.test", "invitation": "link",
        "fields": [{"type": "signature", "tag": "signature_1"}]});
    app.add_signers_and_send(key, &id, &[signer]).await;
    let changed = json!({"statements": [{"id": "terms", "label": "Something else"}]});
    let (status, body) = app.patch_json(key, &path, &changed).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "envelope_not_draft", "{body}");
    let (_, envelope) = app.get_json(key, &path).await;
    assert_eq!(
        envelope["statements"],
        json!([{"id": "terms", "label": TERMS, "document_id": null}])
    );
    app.finish().await;
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}
