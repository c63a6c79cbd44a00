//! The documented error cases: 400 (missing parameters, both or neither of code and package,
//! a process that is neither rejected nor expired), 401, 404 `PROCESS_NOT_FOUND`.

use super::*;

fn error(code: &str) -> impl Fn(&Value) {
    let code = code.to_string();
    move |body: &Value| {
        assert_eq!(body["code"], code.as_str(), "{body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
    }
}

async fn put(app: &TestApp, key: Option<&str>, body: &str) -> (u16, Value) {
    auco(
        app,
        reqwest::Method::PUT,
        key,
        "/document/reactivate",
        Some(body),
    )
    .await
}

#[tokio::test]
async fn reactivate_answers_400_for_missing_or_conflicting_parameters() {
    let app = TestApp::spawn().await;
    let key = app.account("Auco").await.api_key;
    let code = rejected_document(&app, &key).await;
    let cases = [
        json!({"email": "manager@auco.ai"}),
        json!({"code": code, "package": code, "email": "manager@auco.ai"}),
        json!({"code": code}),
        json!({"code": code, "email": ""}),
    ];
    for case in cases {
        let (status, body) = put(&app, Some(&key), &case.to_string()).await;
        assert_eq!(status, 400, "{case}: {body}");
        error("MISSING_PARAMETERS")(&body);
    }
    let (status, body) = put(&app, Some(&key), "{\"code\": ").await;
    assert_eq!(status, 400, "{body}");
    error("INVALID_BODY")(&body);
    let (status, body) = put(
        &app,
        Some(&key),
        &json!({"code": code, "email": "not an e-mail"}).to_string(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        process(&app, &key, &format!("code={code}")).await["status"],
        "REJECT",
        "nothing changed"
    );
    app.finish().await;
}

#[tokio::test]
async fn reactivate_answers_400_for_a_process_neither_rejected_nor_expired() {
    let app = TestApp::spawn().await;
    let key = app.account("Auco").await.api_key;
    let code = upload_document(&app, &key, json!({})).await;
    let body = json!({"code": code, "email": "manager@auco.ai"}).to_string();
    let (status, answer) = put(&app, Some(&key), &body).await;
    assert_eq!(status, 400, "in progress: {answer}");
    error("NOT_REACTIVATABLE")(&answer);
    // Completed: both sign.
    let links = links(&app).await;
    for link in links.values() {
        let (status, body) = app
            .signer_post(link, "complete", &crate::support::app::typed_signing())
            .await;
        assert_eq!(status, 200, "{body}");
    }
    app.run_jobs_until_idle().await;
    assert_eq!(
        process(&app, &key, &format!("code={code}")).await["status"],
        "FINISH"
    );
    let (status, answer) = put(&app, Some(&key), &body).await;
    assert_eq!(status, 400, "finished: {answer}");
    error("NOT_REACTIVATABLE")(&answer);
    app.finish().await;
}

#[tokio::test]
async fn reactivate_answers_401_without_the_private_key() {
    let app = TestApp::spawn().await;
    let key = app.account("Auco").await.api_key;
    let code = rejected_document(&app, &key).await;
    let body = json!({"code": code, "email": "manager@auco.ai"}).to_string();
    let wrong = tampered(&key);
    let bearer = format!("Bearer {key}");
    for credential in [
        None,
        Some(""),
        Some("prk_private_key_company"),
        Some(wrong.as_str()),
        Some(bearer.as_str()),
    ] {
        let (status, answer) = put(&app, credential, &body).await;
        assert_eq!(status, 401, "{credential:?}: {answer}");
        error("UNAUTHORIZED")(&answer);
    }
    assert_eq!(
        process(&app, &key, &format!("code={code}")).await["status"],
        "REJECT"
    );
    app.finish().await;
}

#[tokio::test]
async fn reactivate_answers_404_process_not_found() {
    let app = TestApp::spawn().await;
    let key = app.account("Auco").await.api_key;
    let single = rejected_document(&app, &key).await;
    let unknown = uuid::Uuid::now_v7().to_string();
    let cases = [
        json!({"code": "DOCUMENTCODE", "email": "manager@auco.ai"}),
        json!({"package": "PACKAGECODE", "email": "manager@auco.ai"}),
        json!({"code": unknown, "email": "manager@auco.ai"}),
        // A one-document process is no package.
        json!({"package": single, "email": "manager@auco.ai"}),
    ];
    for case in cases {
        let (status, body) = put(&app, Some(&key), &case.to_string()).await;
        assert_eq!(status, 404, "{case}: {body}");
        assert_eq!(
            body,
            json!({"code": "PROCESS_NOT_FOUND", "message": "Process not found"})
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn the_process_routes_answer_in_auco_shape() {
    let app = TestApp::spawn().await;
    let key = app.account("Auco").await.api_key;
    let (status, body) = auco(&app, reqwest::Method::GET, Some(&key), "/document", None).await;
    assert_eq!(status, 400, "{body}");
    error("MISSING_PARAMETERS")(&body);
    let (status, body) = auco(&app, reqwest::Method::GET, None, "/document?code=X", None).await;
    assert_eq!(status, 401, "{body}");
    let no_file = json!({"name": "N", "email": "manager@auco.ai", "signProfile": sign_profile()});
    let (status, body) = auco(
        &app,
        reqwest::Method::POST,
        Some(&key),
        "/document/upload",
        Some(&no_file.to_string()),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    error("MISSING_PARAMETERS")(&body);
    let one = json!({"name": "N", "email": "manager@auco.ai", "documents": [{"name": "a.pdf", "file": contract_b64()}], "signProfile": sign_profile()});
    let (status, body) = auco(
        &app,
        reqwest::Method::POST,
        Some(&key),
        "/package/upload",
        Some(&one.to_string()),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let bad = json!({"name": "N", "email": "manager@auco.ai", "file": "%%%", "signProfile": sign_profile()});
    let (status, body) = auco(
        &app,
        reqwest::Method::POST,
        Some(&key),
        "/document/upload",
        Some(&bad.to_string()),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    error("INVALID_FILE")(&body);
    // No signature field: the core refuses to send, and the draft is removed again.
    let untagged = json!({"name": "N", "email": "manager@auco.ai", "file": contract_b64(), "signProfile": [{"name": "A", "email": "a@example.test"}]});
    let (status, body) = auco(
        &app,
        reqwest::Method::POST,
        Some(&key),
        "/document/upload",
        Some(&untagged.to_string()),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    error("SIGNER_WITHOUT_SIGNATURE_FIELD")(&body);
    let (status, listed) = app.get_json(&key, "/api/v1/envelopes").await;
    assert_eq!(status, 200);
    assert_eq!(listed["data"].as_array().unwrap().len(), 0, "{listed}");
    app.finish().await;
}

/// The key with its last character changed (so its checksum no longer matches).
fn tampered(key: &str) -> String {
    let last = if key.ends_with('x') { 'y' } else { 'x' };
    format!("{}{last}", &key[..key.len() - 1])
}
