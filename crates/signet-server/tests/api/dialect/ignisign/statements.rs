//! Ignisign statements reach the signers: the PUT keeps its wire shape, the core shows the
//! labels on the signing session and refuses a signature until every one is accepted.

use serde_json::json;

use super::{add_document, call, create_signer, init_request, publish, put, upload};
use crate::support::TestApp;
use crate::support::app::{link_in, typed_signing};
use crate::support::fixtures::contract_pdf;

#[tokio::test]
async fn put_statements_are_shown_to_the_signer_and_required_to_sign() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let id = init_request(&app, key).await;
    let doc = add_document(&app, key, &id, "Contract").await;
    // A document whose file comes after the PUT: its statement reaches the core on publish.
    let (status, later) = call(
        &app,
        key,
        reqwest::Method::POST,
        "/applications/app-1/envs/DEVELOPMENT/init-documents",
        Some(&json!({"signatureRequestId": id, "label": "Annex"})),
    )
    .await;
    assert_eq!(status, 200, "{later}");
    let later = later["documentId"].as_str().unwrap().to_owned();
    let ada = create_signer(&app, key, "Ada", "ada@example.test").await;
    let statement = |id_: &str, target: &str, document: Option<&str>, label: &str| {
        let mut s = json!({"_id": id_, "appId": "app-1", "appEnv": "DEVELOPMENT",
            "signatureRequestId": id, "target": target, "labelMd": label});
        if let Some(d) = document {
            s["documentId"] = json!(d);
        }
        s
    };
    let body = json!({"documentIds": [doc, later], "signerIds": [ada], "statements": [
        statement("st-terms", "SIGNATURE_REQUEST", None, "I approve the **general terms**"),
        statement("st-read", "DOCUMENT", Some(&doc), "I have read the contract"),
        statement("st-annex", "DOCUMENT", Some(&later), "I have read the annex"),
    ]});
    let (status, ctx) = put(&app, key, &id, &body).await;
    assert_eq!(status, 200, "{ctx}");
    let wire = ctx["statements"].as_array().unwrap();
    assert_eq!(wire.len(), 3);
    assert_eq!(wire[0]["_id"], "st-terms");
    assert_eq!(wire[0]["appEnv"], "DEVELOPMENT");
    assert_eq!(wire[0]["labelMd"], "I approve the **general terms**");
    assert!(wire[0].get("label").is_none(), "the documented shape only");
    assert_eq!(ctx["documents"][0]["statements"][0]["_id"], "st-read");

    let without_label = json!({"statements": [{"appId": "app-1", "appEnv": "DEVELOPMENT",
        "signatureRequestId": id, "target": "SIGNATURE_REQUEST"}]});
    let (status, body) = put(&app, key, &id, &without_label).await;
    super::assert_error(status, &body, 400, "INPUT_VALIDATION_FAILED");

    let (status, uploaded) = upload(&app, key, &later, contract_pdf()).await;
    assert_eq!(status, 200, "{uploaded}");
    let (status, published) = publish(&app, key, &id).await;
    assert_eq!(status, 200, "{published}");
    app.run_jobs_until_idle().await;
    let mails = app.smtp.messages();
    let invitation = mails
        .iter()
        .find(|m| m.recipients == ["ada@example.test"])
        .expect("Ada is invited");
    let url = link_in(&invitation.text_body().unwrap_or_default(), &app.base);

    let (status, session) = app.signer_get(&url).await;
    assert_eq!(status, 200, "{session}");
    let shown: Vec<(&str, &str)> = session["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["label"].as_str().unwrap()))
        .collect();
    assert_eq!(
        shown,
        [
            ("st-terms", "I approve the **general terms**"),
            ("st-read", "I have read the contract"),
            ("st-annex", "I have read the annex"),
        ]
    );
    assert!(session["statements"][2]["document_id"].is_string());

    let (status, refused) = app.signer_post(&url, "complete", &typed_signing()).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["code"], "statements_not_accepted");
    let (_, ctx) = super::context(&app, key, &id).await;
    assert_eq!(ctx["signedBy"], json!([]), "nothing was signed");

    let mut accepting = typed_signing();
    accepting["accepted_statements"] = json!(["st-terms", "st-read", "st-annex"]);
    let (status, signed) = app.signer_post(&url, "complete", &accepting).await;
    assert_eq!(status, 200, "{signed}");
    app.run_jobs_until_idle().await;
    let (_, ctx) = super::context(&app, key, &id).await;
    assert_eq!(ctx["status"], "COMPLETED");
    assert_eq!(ctx["statements"].as_array().unwrap().len(), 3);
    app.finish().await;
}
