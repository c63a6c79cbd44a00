//! The document's HTTP snippet and request-body example, the success example and the error
//! example, field by field; 401 and 403.

use super::*;

/// The HTTP snippet's body as sent: CRLF line ends and four-space indents make the printed
/// `Content-Length: 171` (the id substituted has the same length).
fn snippet_body(id: &str) -> String {
    format!(
        "{{\r\n    \"signatureRequestId\": \"{id}\",\r\n    \"sendInfoURL\": \"https://azure/sendInfo?arg=123456\",\r\n    \"resulturl\": \"https://okdokument.com\"\r\n}}"
    )
}

#[tokio::test]
async fn the_http_snippet_updates_send_info_url_and_resulturl() {
    let app = TestApp::spawn().await;
    let key = app.account("OK").await.api_key;
    let id = create(&app, &key, json!({})).await;
    let before = shown(&app, &key, &id).await;
    assert_eq!(before["sendInfoURL"], Value::Null);
    assert_eq!(before["resulturl"], Value::Null);
    let body = snippet_body(&id);
    assert_eq!(body.len(), 171, "the printed Content-Length");
    let response = app
        .client
        .patch(app.url(PATH))
        .header("Content-Type", "application/json")
        .header("x-api-key", &key)
        .header("Content-Length", "171")
        .body(body)
        .send()
        .await
        .unwrap();
    let (status, answer) = status_and_json(response).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, done("msg.updated", &app, &id));
    let after = shown(&app, &key, &id).await;
    assert_eq!(after["signatureRequestId"], id.as_str());
    assert_eq!(after["sendInfoURL"], "https://azure/sendInfo?arg=123456");
    assert_eq!(after["resulturl"], "https://okdokument.com/");
    assert_eq!(after["status"], "SENT");
    assert_eq!(after["url"], app.url(&format!("{PATH}/{id}")).as_str());
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn the_request_body_example_is_accepted_in_both_spellings_of_send_info_url() {
    let app = TestApp::spawn().await;
    let key = app.account("OK").await.api_key;
    let id = create(&app, &key, json!({})).await;
    // "Example of request body", as printed (the `sendInfoURL` spelling).
    let printed = format!(
        "{{\n\"signatureRequestId\": \"{id}\",\n\"sendInfoURL\": \"https://azure/sendInfo?arg=123456\",\n\"resulturl\": \"https://okdokument.com\"\n}}"
    );
    let (status, answer) = ok(
        &app,
        reqwest::Method::PATCH,
        Some(&key),
        PATH,
        Some(&printed),
    )
    .await;
    assert_eq!((status, &answer), (200, &done("msg.updated", &app, &id)));
    // The table's `sendInfoUrl` spelling.
    let body = json!({"signatureRequestId": id, "sendInfoUrl": "https://example.com/hook?arg=7"});
    let (status, answer) = ok(
        &app,
        reqwest::Method::PATCH,
        Some(&key),
        PATH,
        Some(&body.to_string()),
    )
    .await;
    assert_eq!((status, &answer), (200, &done("msg.updated", &app, &id)));
    let after = shown(&app, &key, &id).await;
    assert_eq!(after["sendInfoURL"], "https://example.com/hook?arg=7");
    assert_eq!(
        after["resulturl"], "https://okdokument.com/",
        "an absent field stays"
    );
    // Null clears.
    let body = json!({"signatureRequestId": id, "resulturl": null});
    let (status, _) = ok(
        &app,
        reqwest::Method::PATCH,
        Some(&key),
        PATH,
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(shown(&app, &key, &id).await["resulturl"], Value::Null);
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn an_unknown_id_answers_the_documented_400() {
    let app = TestApp::spawn().await;
    let key = app.account("OK").await.api_key;
    // The error example's id, and a well-formed id that exists nowhere.
    let unknown = uuid::Uuid::now_v7().to_string();
    for id in ["32f8628d-6658-443d-a2a0-f59d9d3752d222", unknown.as_str()] {
        let body = json!({"signatureRequestId": id, "sendInfoURL": "https://azure/sendInfo?arg=123456", "resulturl": "https://okdokument.com"});
        let (status, answer) = ok(
            &app,
            reqwest::Method::PATCH,
            Some(&key),
            PATH,
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer, view_id_does_not_exist(id));
        let (status, answer) = ok(
            &app,
            reqwest::Method::GET,
            Some(&key),
            &format!("{PATH}/{id}"),
            None,
        )
        .await;
        assert_eq!((status, answer), (400, view_id_does_not_exist(id)));
    }
    app.finish().await;
}

#[tokio::test]
async fn bad_input_answers_400_in_the_okdokument_shape() {
    let app = TestApp::spawn().await;
    let key = app.account("OK").await.api_key;
    let id = create(&app, &key, json!({})).await;
    let cases = [
        json!({"sendInfoURL": "https://example.com/x"}).to_string(),
        "{\"signatureRequestId\": ".to_string(),
        json!({"signatureRequestId": id, "resulturl": "ftp://example.com"}).to_string(),
        json!({"signatureRequestId": id, "sendInfoURL": "not a url"}).to_string(),
    ];
    for body in cases {
        let (status, answer) =
            ok(&app, reqwest::Method::PATCH, Some(&key), PATH, Some(&body)).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("msg.")),
            "{answer}"
        );
        assert_eq!(answer.as_object().unwrap().len(), 2, "{answer}");
    }
    let no_signers = json!({"title": "T", "documents": [], "signers": []});
    let (status, answer) = ok(
        &app,
        reqwest::Method::POST,
        Some(&key),
        PATH,
        Some(&no_signers.to_string()),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    app.run_jobs_until_idle().await;
    app.finish().await;
}

#[tokio::test]
async fn a_missing_key_is_401_and_a_read_only_key_is_403() {
    let app = TestApp::spawn().await;
    let key = app.account("OK").await.api_key;
    let id = create(&app, &key, json!({})).await;
    let body = json!({"signatureRequestId": id, "resulturl": "https://okdokument.com"}).to_string();
    let wrong = tampered(&key);
    for credential in [None, Some(""), Some(wrong.as_str())] {
        let (status, answer) =
            ok(&app, reqwest::Method::PATCH, credential, PATH, Some(&body)).await;
        assert_eq!(status, 401, "{credential:?}: {answer}");
        assert_eq!(answer["value"], Value::Null);
        assert!(
            answer["message"]
                .as_str()
                .unwrap()
                .starts_with("msg.unauthorized")
        );
    }
    let created = crate::support::credential::create_api_key(
        &app,
        &key,
        json!({"name": "ro", "scopes": ["read"]}),
    )
    .await;
    let read_only = created["key"].as_str().unwrap();
    let (status, answer) = ok(
        &app,
        reqwest::Method::PATCH,
        Some(read_only),
        PATH,
        Some(&body),
    )
    .await;
    assert_eq!(status, 403, "{answer}");
    assert_eq!(answer["value"], "insufficient_scope");
    assert_eq!(
        shown(&app, read_only, &id).await["resulturl"],
        Value::Null,
        "reading is allowed, nothing changed"
    );
    app.run_jobs_until_idle().await;
    app.finish().await;
}

/// The key with its last character changed (so its checksum no longer matches).
fn tampered(key: &str) -> String {
    let last = if key.ends_with('x') { 'y' } else { 'x' };
    format!("{}{last}", &key[..key.len() - 1])
}
