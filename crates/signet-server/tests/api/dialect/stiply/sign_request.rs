//! Ping, create, get, list, get key, delete.

use super::*;
use crate::support::credential::personal_token_of;

#[tokio::test]
async fn ping_answers_the_value_sent_with_any_bearer_credential() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    // The document's example: {"ping_value":"pong"}.
    let (status, body) = post(
        &app,
        &account.api_key,
        "/actions/ping",
        json!({"ping_value": "pong"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"ping_value": "pong", "status_code": "200"}));
    // A personal access token works the same.
    let owner = app
        .app
        .signet
        .store()
        .account_owner(account.account_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let pat = personal_token_of(&app, &account.account_id, &owner.id.to_string()).await;
    let (status, _) = post(&app, &pat, "/actions/ping", json!({"ping_value": "x"})).await;
    assert_eq!(status, 200);
    // 400 wrong parameter; 401 without a valid credential.
    let (status, body) = post(&app, &account.api_key, "/actions/ping", json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["status_code"], "400");
    assert_eq!(body["error_code"], "wrong_parameter");
    let (status, body) = post(&app, "nope", "/actions/ping", json!({"ping_value": "pong"})).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["status_code"], "401");
    app.finish().await;
}

#[tokio::test]
async fn create_sign_request_answers_the_documented_shape() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let (status, body) = create_with(
        &app,
        &token,
        Some(("license-agreement.pdf", fixtures::contract_pdf())),
        &[
            ("term", "1w"),
            ("doc_name", "End-user license agreement"),
            ("subject", "Please sign"),
            (
                "message",
                "Hi! Could you please sign our license agreement? Cheers!",
            ),
            (
                "comment",
                "Customer wants to start <b>asap</b><script>alert(1)</script>",
            ),
            ("external_key", "myexternalkey1234"),
            (
                "call_back_url",
                "https://www.myawesomewebsitecallbackurl.com/callback",
            ),
            ("signing_sequence_type", "parallel"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let document = &body["data"]["document"];
    assert_eq!(document["name"], "End-user license agreement");
    assert_eq!(document["filename"], "license-agreement.pdf");
    assert_eq!(
        document["file_size"],
        fixtures::contract_pdf().len().to_string()
    );
    assert!(is_date(&document["created_at"]) && is_date(&document["updated_at"]));
    let sr = &body["data"]["sign_request"];
    assert!(is_key(&sr["key"]), "{sr}");
    assert_eq!(sr["sent"], 0);
    assert_eq!(sr["sent_at"], NO_DATE);
    assert_eq!(sr["all_signed"], 0);
    assert_eq!(sr["all_signed_at"], NO_DATE);
    assert_eq!(sr["signed_hash"], "");
    assert_eq!(sr["proof_hash"], "");
    assert_eq!(
        sr["message"],
        "Hi! Could you please sign our license agreement? Cheers!"
    );
    assert_eq!(sr["comment"], "Customer wants to start <b>asap</b>alert(1)");
    assert_eq!(sr["external_key"], "myexternalkey1234");
    assert_eq!(
        sr["call_back_url"],
        "https://www.myawesomewebsitecallbackurl.com/callback"
    );
    assert!(is_date(&sr["created_at"]) && is_date(&sr["updated_at"]));
    assert_eq!(sr["terms"].as_array().unwrap().len(), 1);
    let term = &sr["terms"][0];
    assert_eq!(term["term_code"], "1w");
    assert_eq!(term["term_expired"], 0);
    assert_eq!(term["term_expires"], NO_DATE);
    assert!(is_date(&term["created_at"]));
    assert_eq!(sr["signers"], json!([]));
    // The same request, read back.
    let key = sr["key"].as_str().unwrap();
    let (status, read) = get(&app, &token, &format!("/sign_requests/{key}")).await;
    assert_eq!(status, 200);
    assert_eq!(read, body);
    app.finish().await;
}

#[tokio::test]
async fn create_sign_request_refuses_wrong_parameters_and_media_types() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let pdf = || Some(("a.pdf", fixtures::contract_pdf()));
    for fields in [
        vec![],
        vec![("term", "1y")],
        vec![("term", "0d")],
        vec![("term", "1w"), ("signing_sequence_type", "random")],
        vec![("term", "1w"), ("call_back_url", "ftp://x.nl")],
    ] {
        let (status, body) = create_with(&app, &token, pdf(), &fields).await;
        assert_eq!(status, 400, "{fields:?}: {body}");
        assert_eq!(body["status_code"], "400");
    }
    let (status, body) = create_with(&app, &token, None, &[("term", "1w")]).await;
    assert_eq!(status, 400, "{body}");
    // 415: not a PDF, DOC or DOCX; not multipart at all.
    let (status, body) = create_with(
        &app,
        &token,
        Some(("a.txt", b"hello".to_vec())),
        &[("term", "1w")],
    )
    .await;
    assert_eq!(status, 415, "{body}");
    assert_eq!(body["status_code"], "415");
    let (status, body) = post(&app, &token, "/sign_requests", json!({"term": "1w"})).await;
    assert_eq!(status, 415, "{body}");
    // external_key is unique per account.
    draft(&app, &token, &[("external_key", "k1")]).await;
    let (status, body) = create_with(
        &app,
        &token,
        pdf(),
        &[("term", "1w"), ("external_key", "k1")],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    // Nothing was left behind by the failures: one request listed.
    let (_, list) = get(&app, &token, "/sign_requests").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
    app.finish().await;
}

#[tokio::test]
async fn get_sign_request_key_finds_the_external_key() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let key = draft(&app, &token, &[("external_key", "myexternalkey12345")]).await;
    let (status, body) = get(
        &app,
        &token,
        "/sign_requests/myexternalkey12345/actions/get_sign_request_key",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"key": key, "status_code": "200"}));
    let (status, body) = get(
        &app,
        &token,
        "/sign_requests/unknown/actions/get_sign_request_key",
    )
    .await;
    assert_eq!(status, 400, "{body}");
    app.finish().await;
}

#[tokio::test]
async fn list_filters_on_sent_canceled_and_all_signed_and_pages() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let unsent = draft(&app, &token, &[("doc_name", "Test4")]).await;
    let sent = draft(&app, &token, &[]).await;
    add_signer(&app, &token, &sent, signer_body("john.doe@example.com")).await;
    let (status, body) = post(
        &app,
        &token,
        &format!("/sign_requests/{sent}/actions/send"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let canceled = draft(&app, &token, &[]).await;
    // Cancel it through the native door (the native id is in no Stiply body: use the key).
    let (_, native) = app.get_json(&token, "/api/v1/envelopes").await;
    let canceled_id = native["data"][0]["id"].as_str().unwrap().to_string();
    let (status, body) = app
        .post_json(
            &token,
            &format!("/api/v1/envelopes/{canceled_id}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let keys = |body: &Value| -> Vec<String> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["sign_request"]["key"].as_str().unwrap().to_string())
            .collect()
    };
    // The document's example query, and each filter.
    let (status, body) = get(
        &app,
        &token,
        "/sign_requests?sent=1&canceled=0&all_signed=1&$top=10&$skip=30",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"], json!([]));
    let (_, all) = get(&app, &token, "/sign_requests").await;
    assert_eq!(
        keys(&all),
        vec![canceled.clone(), sent.clone(), unsent.clone()]
    );
    let (_, body) = get(&app, &token, "/sign_requests?sent=0").await;
    assert_eq!(keys(&body), vec![canceled.clone(), unsent.clone()]);
    let (_, body) = get(&app, &token, "/sign_requests?sent=1").await;
    assert_eq!(keys(&body), vec![sent.clone()]);
    let (_, body) = get(&app, &token, "/sign_requests?canceled=1").await;
    assert_eq!(keys(&body), vec![canceled.clone()]);
    let (_, body) = get(&app, &token, "/sign_requests?canceled=0&all_signed=0").await;
    assert_eq!(keys(&body), vec![sent.clone(), unsent.clone()]);
    let (_, body) = get(&app, &token, "/sign_requests?$top=1&$skip=1").await;
    assert_eq!(keys(&body), vec![sent.clone()]);
    // One item, field by field.
    let item = &all["data"][2]["sign_request"];
    assert_eq!(item["document_name"], "Test4");
    assert_eq!(item["signers"], json!([]));
    for field in ["sent", "all_signed", "canceled"] {
        assert_eq!(item[field], 0, "{field}");
    }
    for field in ["sent_at", "all_signed_at", "canceled_at"] {
        assert_eq!(item[field], NO_DATE, "{field}");
    }
    assert_eq!(item["signed_hash"], "");
    assert_eq!(item["proof_hash"], "");
    assert_eq!(item["message"], Value::Null);
    assert_eq!(item["comment"], Value::Null);
    assert_eq!(item["external_key"], Value::Null);
    assert!(is_date(&item["created_at"]) && is_date(&item["updated_at"]));
    let sent_item = &all["data"][1]["sign_request"];
    assert_eq!(sent_item["sent"], 1);
    assert!(is_date(&sent_item["sent_at"]));
    assert_eq!(sent_item["signers"][0]["email"], "john.doe@example.com");
    assert!(is_key(&sent_item["signers"][0]["key"]));
    let canceled_item = &all["data"][0]["sign_request"];
    assert_eq!(canceled_item["canceled"], 1);
    assert!(is_date(&canceled_item["canceled_at"]));
    // $top 1..100, $skip >= 0, flags 0/1.
    for query in ["$top=0", "$top=101", "$top=x", "$skip=-1", "sent=2"] {
        let (status, body) = get(&app, &token, &format!("/sign_requests?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
    }
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn delete_sign_request_removes_it() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let key = draft(&app, &token, &[]).await;
    let (status, body) = call(
        &app,
        reqwest::Method::DELETE,
        &token,
        &format!("/sign_requests/{key}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"message": "Ondertekenverzoek en document succesvol verwijderd.", "status_code": "200"})
    );
    let (status, body) = get(&app, &token, &format!("/sign_requests/{key}")).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["status_code"], "404");
    let (status, _) = call(
        &app,
        reqwest::Method::DELETE,
        &token,
        &format!("/sign_requests/{key}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    app.finish().await;
}

#[tokio::test]
async fn native_envelopes_are_sign_requests_and_sign_requests_are_envelopes() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    let (id, _) = app
        .draft_with_contract(&token, json!({"title": "Native", "external_key": "nat-1"}))
        .await;
    // The native id is accepted as a key, and a stable Stiply key is given.
    let (status, first) = get(&app, &token, &format!("/sign_requests/{id}")).await;
    assert_eq!(status, 200, "{first}");
    let key = first["data"]["sign_request"]["key"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(is_key(&json!(key)));
    let (_, again) = get(&app, &token, &format!("/sign_requests/{key}")).await;
    assert_eq!(again, first);
    assert_eq!(first["data"]["document"]["name"], "Native");
    assert_eq!(first["data"]["sign_request"]["external_key"], "nat-1");
    // A native signer is reachable by its native id and by the Stiply key it is given.
    let body = json!({"name": "Nat Signer", "email": "nat@example.com",
        "fields": [{"type": "signature", "tag": "signature_1"}]});
    let (status, native_signer) = app
        .post_json(&token, &format!("/api/v1/envelopes/{id}/signers"), &body)
        .await;
    assert_eq!(status, 201, "{native_signer}");
    let signer_id = native_signer["id"].as_str().unwrap();
    let (status, by_id) = get(
        &app,
        &token,
        &format!("/sign_requests/{key}/signers/{signer_id}"),
    )
    .await;
    assert_eq!(status, 200, "{by_id}");
    assert_eq!(by_id["data"][0]["name"], "Nat Signer");
    assert_eq!(by_id["data"][0]["fields"][0]["type"], "signature");
    let signer_key = by_id["data"][0]["key"].as_str().unwrap();
    assert!(is_key(&json!(signer_key)));
    let (_, by_key) = get(
        &app,
        &token,
        &format!("/sign_requests/{id}/signers/{signer_key}"),
    )
    .await;
    assert_eq!(by_key, by_id);
    // A Stiply request is a native envelope.
    let made = draft(&app, &token, &[("external_key", "st-1")]).await;
    let (status, list) = app
        .get_json(&token, "/api/v1/envelopes?external_key=st-1")
        .await;
    assert_eq!(status, 200, "{list}");
    let native_id = list["data"][0]["id"].as_str().unwrap();
    let (status, native) = app
        .get_json(&token, &format!("/api/v1/envelopes/{native_id}"))
        .await;
    assert_eq!(status, 200, "{native}");
    assert_eq!(native["documents"].as_array().unwrap().len(), 1);
    let (_, via_id) = get(&app, &token, &format!("/sign_requests/{native_id}")).await;
    assert_eq!(via_id["data"]["sign_request"]["key"], made);
    app.finish().await;
}

#[tokio::test]
async fn an_oauth2_client_credentials_token_from_stiplys_token_endpoint_works() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let (client_id, secret) =
        crate::oauth::register(&app, &account, json!({"name": "my-client"})).await;
    // The document's client-credentials snippet: form_params to {api}/oauth/token.
    let response = app
        .client
        .post(app.url("/stiply/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id.as_str()),
            ("client_secret", secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let (status, token) = status_and_json(response).await;
    assert_eq!(status, 200, "{token}");
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["expires_in"], 1800);
    let access = token["access_token"].as_str().unwrap();
    let (status, body) = post(&app, access, "/actions/ping", json!({"ping_value": "pong"})).await;
    assert_eq!(
        (status, body),
        (200, json!({"ping_value": "pong", "status_code": "200"}))
    );
    // Sign requests are made on behalf of the client's user, in its account.
    let key = draft(&app, access, &[]).await;
    let (status, _) = get(&app, &account.api_key, &format!("/sign_requests/{key}")).await;
    assert_eq!(status, 200);
    app.finish().await;
}

#[tokio::test]
async fn doc_and_docx_files_become_sign_requests() {
    let app = TestApp::spawn().await;
    let token = app.account("A").await.api_key;
    for (name, bytes) in [
        ("contract.docx", fixtures::contract_docx()),
        ("contract.doc", fixtures::contract_doc()),
    ] {
        let size = bytes.len().to_string();
        let (status, body) =
            create_with(&app, &token, Some((name, bytes)), &[("term", "3m")]).await;
        assert_eq!(status, 200, "{name}: {body}");
        assert_eq!(body["data"]["document"]["filename"], name);
        assert_eq!(body["data"]["document"]["file_size"], size);
        assert_eq!(body["data"]["sign_request"]["terms"][0]["term_code"], "3m");
        let key = body["data"]["sign_request"]["key"].as_str().unwrap();
        // Its tags were found in the converted PDF.
        add_signer(&app, &token, key, signer_body("a@example.com")).await;
    }
    app.finish().await;
}
