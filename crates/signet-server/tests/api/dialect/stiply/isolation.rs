//! Account B's credential on account A's sign requests and signers, route by route: Stiply's
//! documented not-found (404; 400 for an unknown external key), nothing of A's in the body,
//! and A's objects unchanged.

use super::*;

/// Every Stiply route, as mounted (`crate::dialect::ISOLATED`).
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/stiply/v1.1/actions/ping"),
    ("POST", "/stiply/v1.1/sign_requests"),
    ("GET", "/stiply/v1.1/sign_requests"),
    ("GET", "/stiply/v1.1/sign_requests/{key}"),
    ("DELETE", "/stiply/v1.1/sign_requests/{key}"),
    (
        "GET",
        "/stiply/v1.1/sign_requests/{key}/actions/get_sign_request_key",
    ),
    ("POST", "/stiply/v1.1/sign_requests/{key}/actions/send"),
    (
        "POST",
        "/stiply/v1.1/sign_requests/{key}/actions/send_reminder",
    ),
    (
        "POST",
        "/stiply/v1.1/sign_requests/{key}/actions/extend_term",
    ),
    (
        "GET",
        "/stiply/v1.1/sign_requests/{key}/documents/actions/get_signed_document",
    ),
    (
        "GET",
        "/stiply/v1.1/sign_requests/{key}/documents/actions/get_proof_document",
    ),
    ("POST", "/stiply/v1.1/sign_requests/{key}/signers"),
    ("GET", "/stiply/v1.1/sign_requests/{key}/signers/{signer}"),
    ("PUT", "/stiply/v1.1/sign_requests/{key}/signers/{signer}"),
    (
        "DELETE",
        "/stiply/v1.1/sign_requests/{key}/signers/{signer}",
    ),
];

#[tokio::test]
async fn another_accounts_credential_reaches_nothing_on_any_stiply_route() {
    let app = TestApp::spawn().await;
    let a = app.account("A").await.api_key;
    let b = app.account("B").await.api_key;
    let key = draft(
        &app,
        &a,
        &[
            ("external_key", "shared-name"),
            ("comment", "secret-comment"),
        ],
    )
    .await;
    let signer = add_signer(&app, &a, &key, signer_body("a-signer@example.com")).await;
    let (_, before) = get(&app, &a, &format!("/sign_requests/{key}")).await;
    let leaks = |body: &Value| {
        let text = body.to_string();
        assert!(
            !text.contains(&key)
                && !text.contains(&signer)
                && !text.contains("a-signer")
                && !text.contains("secret-comment"),
            "{text}"
        );
    };
    let (_, native) = app.get_json(&a, "/api/v1/envelopes").await;
    let native_id = native["data"][0]["id"].as_str().unwrap().to_string();
    let update = json!({"new_email": "b@example.com", "new_cell_phone_number": "31612345678"});
    use reqwest::Method as M;
    for sr in [key.as_str(), native_id.as_str()] {
        let cases: Vec<(M, String, Option<Value>)> = vec![
            (M::GET, format!("/sign_requests/{sr}"), None),
            (M::DELETE, format!("/sign_requests/{sr}"), None),
            (
                M::POST,
                format!("/sign_requests/{sr}/actions/send"),
                Some(json!({})),
            ),
            (
                M::POST,
                format!("/sign_requests/{sr}/actions/send_reminder"),
                Some(json!({})),
            ),
            (
                M::POST,
                format!("/sign_requests/{sr}/actions/extend_term"),
                Some(json!({"term": "2d"})),
            ),
            (
                M::GET,
                format!("/sign_requests/{sr}/documents/actions/get_signed_document"),
                None,
            ),
            (
                M::GET,
                format!("/sign_requests/{sr}/documents/actions/get_proof_document"),
                None,
            ),
            (
                M::POST,
                format!("/sign_requests/{sr}/signers"),
                Some(signer_body("b@example.com")),
            ),
            (
                M::GET,
                format!("/sign_requests/{sr}/signers/{signer}"),
                None,
            ),
            (
                M::PUT,
                format!("/sign_requests/{sr}/signers/{signer}"),
                Some(update.clone()),
            ),
            (
                M::DELETE,
                format!("/sign_requests/{sr}/signers/{signer}"),
                None,
            ),
        ];
        for (method, path, body) in cases {
            let (status, answer) = call(&app, method.clone(), &b, &path, body).await;
            assert_eq!(status, 404, "{method} {path}: {answer}");
            assert_eq!(answer["status_code"], "404");
            leaks(&answer);
        }
    }
    // A's external key is unknown to B (the route's documented 400).
    let (status, answer) = get(
        &app,
        &b,
        "/sign_requests/shared-name/actions/get_sign_request_key",
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    leaks(&answer);
    // B's list is empty; B's ping and create work on B's own account, the same external key
    // included (it is unique per account).
    let (status, list) = get(&app, &b, "/sign_requests").await;
    assert_eq!((status, list.clone()), (200, json!({"data": []})));
    let (status, _) = post(&app, &b, "/actions/ping", json!({"ping_value": "pong"})).await;
    assert_eq!(status, 200);
    let b_key = draft(&app, &b, &[("external_key", "shared-name")]).await;
    assert_ne!(b_key, key);
    // A's request is untouched.
    let (_, after) = get(&app, &a, &format!("/sign_requests/{key}")).await;
    assert_eq!(after, before);
    app.finish().await;
}
