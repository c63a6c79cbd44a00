//! Account isolation on every OKdokument route: another account's key gets the documented
//! "View ID does not exist" and changes nothing.

use super::*;

#[tokio::test]
async fn another_accounts_key_reaches_no_signature_request_on_any_okdokument_route() {
    let app = TestApp::spawn().await;
    let a = app.account("A").await.api_key;
    let b = app.account("B").await.api_key;
    // POST: what A makes is A's alone.
    let id = create(&app, &a, json!({"resulturl": "https://a.example.com/"})).await;
    // GET
    let (status, body) = ok(
        &app,
        reqwest::Method::GET,
        Some(&b),
        &format!("{PATH}/{id}"),
        None,
    )
    .await;
    assert_eq!((status, body), (400, view_id_does_not_exist(&id)));
    // PATCH
    let patch = json!({"signatureRequestId": id, "sendInfoURL": app.hooks.url("/steal"), "resulturl": "https://evil.example.com"});
    let (status, body) = ok(
        &app,
        reqwest::Method::PATCH,
        Some(&b),
        PATH,
        Some(&patch.to_string()),
    )
    .await;
    assert_eq!((status, body), (400, view_id_does_not_exist(&id)));
    let kept = shown(&app, &a, &id).await;
    assert_eq!(kept["resulturl"], "https://a.example.com/");
    assert_eq!(kept["sendInfoURL"], Value::Null);
    // B's own request is invisible to A.
    let theirs = create(&app, &b, json!({})).await;
    let (status, body) = ok(
        &app,
        reqwest::Method::GET,
        Some(&a),
        &format!("{PATH}/{theirs}"),
        None,
    )
    .await;
    assert_eq!((status, body), (400, view_id_does_not_exist(&theirs)));
    app.run_jobs_until_idle().await;
    assert!(
        app.hooks.requests().is_empty(),
        "nothing reached the other account's URL"
    );
    app.finish().await;
}
