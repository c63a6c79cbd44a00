//! Account isolation on every Auco route: another account's key never reads, reactivates or
//! learns of a process; each answers the documented `PROCESS_NOT_FOUND`.

use super::*;

#[tokio::test]
async fn another_accounts_key_reaches_no_process_on_any_auco_route() {
    let app = TestApp::spawn().await;
    let a = app.account("A").await.api_key;
    let b = app.account("B").await.api_key;
    let not_found = json!({"code": "PROCESS_NOT_FOUND", "message": "Process not found"});

    // POST /document/upload and POST /package/upload: what A makes is A's alone.
    let document = rejected_document(&app, &a).await;
    app.smtp.clear();
    let package = upload_package(&app, &a).await;
    juan_declines(&app).await;
    for query in [
        format!("code={document}"),
        format!("package={package}"),
        format!("code={package}"),
    ] {
        // GET /document
        let (status, body) = auco(
            &app,
            reqwest::Method::GET,
            Some(&b),
            &format!("/document?{query}"),
            None,
        )
        .await;
        assert_eq!((status, &body), (404, &not_found), "{query}");
    }
    // PUT /document/reactivate
    for body in [
        json!({"code": document, "email": "mallory@example.test"}),
        json!({"package": package, "email": "mallory@example.test"}),
    ] {
        let (status, answer) = auco(
            &app,
            reqwest::Method::PUT,
            Some(&b),
            "/document/reactivate",
            Some(&body.to_string()),
        )
        .await;
        assert_eq!((status, &answer), (404, &not_found), "{body}");
    }
    assert_eq!(
        process(&app, &a, &format!("code={document}")).await["status"],
        "REJECT"
    );
    assert_eq!(
        process(&app, &a, &format!("package={package}")).await["status"],
        "REJECT"
    );
    assert!(app.events_of(&a, &document, "reactivated").await.is_empty());

    // And the other way round: B's upload is invisible to A.
    app.smtp.clear();
    let theirs = upload_document(&app, &b, json!({})).await;
    let (status, body) = auco(
        &app,
        reqwest::Method::GET,
        Some(&a),
        &format!("/document?code={theirs}"),
        None,
    )
    .await;
    assert_eq!((status, &body), (404, &not_found));
    app.run_jobs_until_idle().await;
    app.finish().await;
}
