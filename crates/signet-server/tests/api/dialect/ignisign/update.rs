//! `PUT /v3/signature-requests/{signatureRequestId}`: every documented body field, the
//! documented context in the response, partial semantics.

use serde_json::{Value, json};

use super::{add_document, context, create_signer, init_request, put};
use crate::support::TestApp;

#[tokio::test]
async fn put_sets_every_documented_field_and_answers_the_full_context() {
    let app = TestApp::spawn().await;
    let acct = app.account("Acme").await;
    let key = &acct.api_key;
    let id = init_request(&app, key).await;
    let doc_a = add_document(&app, key, &id, "A").await;
    let doc_b = add_document(&app, key, &id, "B").await;
    let ada = create_signer(&app, key, "Ada", "ada@example.test").await;
    let bob = create_signer(&app, key, "Bob", "bob@example.test").await;

    let body = json!({
        "title": "Employment contract",
        "description": "Please sign the contract",
        "expirationDate": "2030-01-31T12:00:00.000Z",
        "expirationDateIsActivated": true,
        "language": "FR",
        "documentIds": [doc_b, doc_a],
        "externalId": "contract-42",
        "diffusionMode": "SCHEDULED",
        "diffusionDate": "2029-12-01T08:00:00.000Z",
        "statements": [{
            "appId": "app-1", "appEnv": "DEVELOPMENT", "signatureRequestId": id,
            "documentId": doc_a, "target": "DOCUMENT", "labelMd": "I have **read** it"
        }, {
            "_id": "st-2", "appId": "app-1", "appEnv": "DEVELOPMENT", "signatureRequestId": id,
            "target": "SIGNATURE_REQUEST", "labelMd": "I agree"
        }],
        "signerIds": [ada, bob],
        "extendedAuthSessionEnabled": true,
        "initialSignatureRequestId": "initial-1",
        "signersAsApprover": [bob],
        "recipients": ["hr@example.test"]
    });
    let (status, ctx) = put(&app, key, &id, &body).await;
    assert_eq!(status, 200, "{ctx}");

    assert_eq!(ctx["_id"], id.as_str());
    assert_eq!(ctx["appId"], "app-1");
    assert_eq!(ctx["appEnv"], "DEVELOPMENT");
    assert_eq!(ctx["signatureProfileId"], "profile-1");
    assert_eq!(ctx["title"], "Employment contract");
    assert_eq!(ctx["description"], "Please sign the contract");
    assert_eq!(ctx["expirationDate"], "2030-01-31T12:00:00.000Z");
    assert_eq!(ctx["expirationDateIsActivated"], true);
    assert_eq!(ctx["status"], "DRAFT");
    assert_eq!(ctx["language"], "FR");
    assert_eq!(ctx["documentIds"], json!([doc_b, doc_a]));
    assert_eq!(ctx["externalId"], "contract-42");
    assert_eq!(ctx["diffusionMode"], "SCHEDULED");
    assert_eq!(ctx["diffusionDate"], "2029-12-01T08:00:00.000Z");
    assert_eq!(ctx["signerIds"], json!([ada, bob]));
    assert_eq!(ctx["signedBy"], json!([]));
    assert!(ctx["_createdAt"].as_str().unwrap().ends_with('Z'));
    assert!(ctx["creatorId"].as_str().is_some());
    assert_eq!(ctx["extendedAuthSessionEnabled"], true);
    assert_eq!(ctx["initialSignatureRequestId"], "initial-1");
    assert_eq!(ctx["signersAsApprover"], json!([bob]));
    assert_eq!(ctx["recipients"], json!(["hr@example.test"]));
    assert_eq!(ctx["signatureProofStatus"], "NOT_INITIALIZED");

    let signers = ctx["signers"].as_array().unwrap();
    assert_eq!(signers.len(), 2);
    assert_eq!(signers[0]["signerId"], ada.as_str());
    assert_eq!(signers[0]["firstName"], "Ada");
    assert_eq!(signers[0]["lastName"], "Lovelace");
    assert_eq!(signers[0]["email"], "ada@example.test");
    assert_eq!(signers[0]["externalId"], "crm-Ada");
    assert_eq!(signers[0]["status"], "CREATED");
    assert_eq!(
        signers[0]["alreadyProvidedInputs"],
        json!(["firstName", "lastName", "email"])
    );
    assert_eq!(signers[0]["isRecurrent"], false);
    assert_eq!(signers[1]["signerId"], bob.as_str());

    let documents = ctx["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 2);
    assert_eq!(documents[0]["_id"], doc_b.as_str());
    assert_eq!(documents[1]["_id"], doc_a.as_str());
    let a = &documents[1];
    assert_eq!(a["appId"], "app-1");
    assert_eq!(a["appEnv"], "DEVELOPMENT");
    assert_eq!(a["externalId"], "ext-A");
    assert_eq!(a["documentNature"], "PDF");
    assert_eq!(a["fileName"], "contract.pdf");
    assert_eq!(
        a["fileSize"],
        crate::support::fixtures::contract_pdf().len()
    );
    assert_eq!(a["label"], "A");
    assert_eq!(a["description"], "The contract");
    assert_eq!(a["mimeType"], "application/pdf");
    assert_eq!(
        a["documentHash"],
        super::sha256_hex(&crate::support::fixtures::contract_pdf())
    );
    assert_eq!(a["status"], "PROVIDED");
    assert_eq!(a["signatureRequestId"], id.as_str());
    assert!(a["_createdAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(a["signatureSummaries"], json!([]));
    let doc_statements = a["statements"].as_array().unwrap();
    assert_eq!(doc_statements.len(), 1);
    assert_eq!(doc_statements[0]["labelMd"], "I have **read** it");
    assert_eq!(documents[0]["statements"], json!([]));

    let statements = ctx["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 2);
    assert!(statements[0]["_id"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(statements[0]["target"], "DOCUMENT");
    assert_eq!(statements[0]["documentId"], doc_a.as_str());
    assert_eq!(statements[1]["_id"], "st-2");
    assert_eq!(statements[1]["appId"], "app-1");
    assert_eq!(statements[1]["appEnv"], "DEVELOPMENT");
    assert_eq!(statements[1]["signatureRequestId"], id.as_str());
    assert_eq!(statements[1]["target"], "SIGNATURE_REQUEST");

    let profile = &ctx["signatureProfile"];
    assert_eq!(profile["_id"], "profile-1");
    assert_eq!(profile["appId"], "app-1");
    assert_eq!(profile["appEnv"], "DEVELOPMENT");
    assert_eq!(profile["orgId"], acct.account_id.as_str());
    assert_eq!(profile["status"], "PUBLISHED");
    assert_eq!(profile["integrationMode"], "BY_SIDE");
    assert_eq!(profile["signatureMethodRef"], "SIMPLE_STD");
    assert_eq!(profile["idProofings"], json!([]));
    assert_eq!(profile["authMethods"], json!(["SIMPLE"]));
    assert_eq!(profile["documentTypes"], json!(["PDF"]));
    for flag in [
        "documentRequestActivated",
        "languageCanBeChanged",
        "statementsEnabled",
        "extendedAuthSessionEnabled",
    ] {
        assert!(profile[flag].is_boolean(), "{flag}: {profile}");
    }
    assert_eq!(profile["defaultLanguage"], "EN");
    assert!(profile["name"].as_str().is_some());

    // The same context on a read; the native API sees the core's part of it.
    let (status, read) = context(&app, key, &id).await;
    assert_eq!(status, 200);
    assert_eq!(read, ctx);
    let (status, native) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(status, 200, "{native}");
    assert_eq!(native["title"], "Employment contract");
    assert_eq!(native["message"], "Please sign the contract");
    assert_eq!(native["external_key"], "contract-42");
    assert!(
        native["expires_at"]
            .as_str()
            .unwrap()
            .starts_with("2030-01-31T12:00:00")
    );
    let mut roles: Vec<(Value, Value, Value)> = native["signers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["email"].clone(), s["role"].clone(), s["language"].clone()))
        .collect();
    roles.sort_by_key(|r| r.0.to_string());
    assert_eq!(
        roles,
        vec![
            (json!("ada@example.test"), json!("signer"), json!("fr")),
            (json!("bob@example.test"), json!("approver"), json!("fr")),
            (json!("hr@example.test"), json!("cc"), json!("fr")),
        ]
    );
    app.finish().await;
}

#[tokio::test]
async fn put_is_partial_and_can_drop_documents_and_signers() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let id = init_request(&app, key).await;
    let doc_a = add_document(&app, key, &id, "A").await;
    let doc_b = add_document(&app, key, &id, "B").await;
    let ada = create_signer(&app, key, "Ada", "ada@example.test").await;
    let bob = create_signer(&app, key, "Bob", "bob@example.test").await;
    let first = json!({"title": "First", "externalId": "x-1", "language": "DE",
        "signerIds": [ada, bob], "documentIds": [doc_a, doc_b]});
    let (status, ctx) = put(&app, key, &id, &first).await;
    assert_eq!(status, 200, "{ctx}");

    // Only the title: everything else stays.
    let (status, ctx) = put(&app, key, &id, &json!({"title": "Second"})).await;
    assert_eq!(status, 200, "{ctx}");
    assert_eq!(ctx["title"], "Second");
    assert_eq!(ctx["externalId"], "x-1");
    assert_eq!(ctx["language"], "DE");
    assert_eq!(ctx["signerIds"], json!([ada, bob]));
    assert_eq!(ctx["documentIds"], json!([doc_a, doc_b]));

    // Dropping a document and a signer removes them; the same signer id keeps its signer.
    let (status, ctx) = put(
        &app,
        key,
        &id,
        &json!({"signerIds": [bob], "documentIds": [doc_b]}),
    )
    .await;
    assert_eq!(status, 200, "{ctx}");
    assert_eq!(ctx["signerIds"], json!([bob]));
    assert_eq!(ctx["documentIds"], json!([doc_b]));
    let (_, native) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert_eq!(native["documents"].as_array().unwrap().len(), 1);
    assert_eq!(native["signers"].as_array().unwrap().len(), 1);
    assert_eq!(native["signers"][0]["email"], "bob@example.test");

    // Expiration switched off keeps the date but the core no longer expires the request.
    let (status, ctx) = put(
        &app,
        key,
        &id,
        &json!({
            "expirationDate": "2031-05-01T00:00:00.000Z", "expirationDateIsActivated": false
        }),
    )
    .await;
    assert_eq!(status, 200, "{ctx}");
    assert_eq!(ctx["expirationDateIsActivated"], false);
    assert_eq!(ctx["expirationDate"], "2031-05-01T00:00:00.000Z");
    let (_, native) = app.get_json(key, &format!("/api/v1/envelopes/{id}")).await;
    assert!(native["expires_at"].is_null(), "{native}");

    // An empty body changes nothing.
    let (status, again) = put(&app, key, &id, &json!({})).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["title"], "Second");
    let events = app.events_of(key, &id, "draft_updated").await;
    assert!(events.len() >= 5, "{events:?}");
    app.finish().await;
}

#[tokio::test]
async fn concurrent_changes_all_land() {
    let app = TestApp::spawn().await;
    let key = &app.account("Acme").await.api_key;
    let id = init_request(&app, key).await;
    let bodies = [
        json!({"signatureRequestId": id, "label": "doc 0"}),
        json!({"signatureRequestId": id, "label": "doc 1"}),
        json!({"signatureRequestId": id, "label": "doc 2"}),
        json!({"signatureRequestId": id, "label": "doc 3"}),
    ];
    let calls = bodies.iter().map(|b| {
        super::call(
            &app,
            key,
            reqwest::Method::POST,
            "/applications/app-1/envs/DEVELOPMENT/init-documents",
            Some(b),
        )
    });
    let puts = [
        json!({"diffusionMode": "WHEN_READY"}),
        json!({"extendedAuthSessionEnabled": true}),
        json!({"initialSignatureRequestId": "first"}),
    ];
    let put_calls = puts.iter().map(|b| put(&app, key, &id, b));
    let (inits, updates) = futures::join!(
        futures::future::join_all(calls),
        futures::future::join_all(put_calls)
    );
    for (status, body) in inits.iter().chain(updates.iter()) {
        assert_eq!(*status, 200, "{body}");
    }
    let (_, ctx) = context(&app, key, &id).await;
    assert_eq!(ctx["documents"].as_array().unwrap().len(), 4, "{ctx}");
    assert_eq!(ctx["diffusionMode"], "WHEN_READY");
    assert_eq!(ctx["extendedAuthSessionEnabled"], true);
    assert_eq!(ctx["initialSignatureRequestId"], "first");
    app.finish().await;
}
