//! Credentials and tenant isolation: every rejection is JSON with a stable code, and one
//! account never sees another's envelopes.

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde_json::json;

use crate::support::TestApp;
use crate::support::app::{bearer, status_and_json};

#[tokio::test]
async fn requests_without_a_valid_key_get_401_in_the_json_error_shape() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let url = app.url("/api/v1/envelopes");
    let mut tampered = account.api_key.clone();
    tampered.replace_range(10..11, if &tampered[10..11] == "x" { "y" } else { "x" });
    let cases = [
        None,
        Some("Bearer".to_string()),
        Some("Basic abc".into()),
        Some(bearer("sk_nope")),
        Some(bearer(&tampered)),
    ];
    for header in cases {
        let mut request = app.client.get(&url);
        if let Some(value) = &header {
            request = request.header(AUTHORIZATION, value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(
            response
                .headers()
                .get("www-authenticate")
                .map(|v| v.to_str().unwrap()),
            Some("Bearer")
        );
        let (status, body) = status_and_json(response).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("unauthenticated")),
            "{header:?}"
        );
    }
    let (status, _) = app.get_json(&account.api_key, "/api/v1/envelopes").await;
    assert_eq!(status, 200);
    app.finish().await;
}

#[tokio::test]
async fn another_accounts_envelope_is_not_found_on_every_route_and_unchanged() {
    let app = TestApp::spawn().await;
    let owner = app.account("Owner").await;
    let intruder = app.account("Intruder").await;
    let (id, _) = app
        .draft_with_contract(
            &owner.api_key,
            json!({"title": "Private", "external_key": "secret-key"}),
        )
        .await;
    let (_, before) = app
        .get_json(&owner.api_key, &format!("/api/v1/envelopes/{id}"))
        .await;
    let doc = before["documents"][0]["id"].as_str().unwrap().to_string();
    let key = &intruder.api_key;
    let gets = [
        format!("/api/v1/envelopes/{id}"),
        format!("/api/v1/envelopes/{id}/events"),
        format!("/api/v1/envelopes/{id}/events/verify"),
        format!("/api/v1/envelopes/{id}/signed.pdf"),
        format!("/api/v1/envelopes/{id}/proof.pdf"),
        format!("/api/v1/envelopes/{id}/documents/{doc}/signed.pdf"),
        format!("/api/v1/envelopes/{id}/documents/{doc}/original.pdf"),
    ];
    for path in &gets {
        let (status, body) = app.get_json(key, path).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (404, Some("not_found")),
            "GET {path}"
        );
        assert!(
            !body.to_string().contains("Private"),
            "no data leaks from {path}"
        );
    }
    let signer = json!({"name": "X", "email": "x@example.test", "fields": [{"type": "signature", "tag": "signature_1"}]});
    for (path, body) in [
        (format!("/api/v1/envelopes/{id}/signers"), signer),
        (format!("/api/v1/envelopes/{id}/send"), json!({})),
    ] {
        let (status, _) = app.post_json(key, &path, &body).await;
        assert_eq!(status, 404, "POST {path}");
    }
    let (status, _) = app
        .upload(key, &id, "x.pdf", crate::support::fixtures::contract_pdf())
        .await;
    assert_eq!(status, 404);
    let response = app
        .client
        .delete(app.url(&format!("/api/v1/envelopes/{id}")))
        .header(AUTHORIZATION, bearer(key))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let (_, list) = app
        .get_json(key, "/api/v1/envelopes?external_key=secret-key")
        .await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
    let (_, after) = app
        .get_json(&owner.api_key, &format!("/api/v1/envelopes/{id}"))
        .await;
    assert_eq!(before, after, "the intruder changed nothing");
    app.finish().await;
}

#[tokio::test]
async fn malformed_requests_get_400_415_422_404_405_in_the_json_error_shape() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let auth = bearer(&account.api_key);
    let post = |body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url("/api/v1/envelopes"))
            .header(AUTHORIZATION, auth.clone())
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };
    let cases = [
        (
            post("{\"title\": ", "application/json").await.unwrap(),
            400,
            "invalid_json",
        ),
        (
            post("{\"title\": \"x\"}", "text/plain").await.unwrap(),
            415,
            "unsupported_media_type",
        ),
        (
            post("{\"title\": 5}", "application/json").await.unwrap(),
            422,
            "invalid_body",
        ),
        (
            post(
                "{\"title\": \"x\", \"colour\": \"red\"}",
                "application/json",
            )
            .await
            .unwrap(),
            422,
            "invalid_body",
        ),
        (
            post("{\"title\": \"  \"}", "application/json")
                .await
                .unwrap(),
            422,
            "invalid_field",
        ),
        (
            post(
                "{\"title\": \"x\", \"callback_url\": \"http://10.0.0.1/x\"}",
                "application/json",
            )
            .await
            .unwrap(),
            201,
            "",
        ),
        (
            app.client
                .get(app.url("/api/v1/nothing-here"))
                .send()
                .await
                .unwrap(),
            404,
            "not_found",
        ),
        (
            app.client
                .put(app.url("/api/v1/envelopes"))
                .header(AUTHORIZATION, auth.clone())
                .send()
                .await
                .unwrap(),
            405,
            "method_not_allowed",
        ),
        (
            app.client
                .get(app.url("/api/v1/envelopes/not-a-uuid"))
                .header(AUTHORIZATION, auth.clone())
                .send()
                .await
                .unwrap(),
            404,
            "not_found",
        ),
        (
            app.client
                .get(app.url("/api/v1/envelopes?cursor=zzz"))
                .header(AUTHORIZATION, auth.clone())
                .send()
                .await
                .unwrap(),
            400,
            "invalid_cursor",
        ),
        (
            app.client
                .get(app.url("/api/v1/envelopes?status=sideways"))
                .header(AUTHORIZATION, auth.clone())
                .send()
                .await
                .unwrap(),
            400,
            "invalid_query",
        ),
    ];
    for (response, status, code) in cases {
        let (got, body) = status_and_json(response).await;
        assert_eq!(got, status, "{body}");
        if !code.is_empty() {
            assert_eq!(body["error"]["code"], code, "{body}");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty())
            );
        }
    }
    let (_, list) = app.get_json(&account.api_key, "/api/v1/envelopes").await;
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        1,
        "only the one valid request created an envelope"
    );
    app.finish().await;
}

#[tokio::test]
async fn private_callback_urls_are_refused_unless_configured() {
    let app = TestApp::spawn_with(|config| config.allow_private_callbacks = false).await;
    let account = app.account("A").await;
    for url in [
        "http://127.0.0.1:9/x",
        "http://169.254.169.254/latest",
        "http://[::1]/",
        "http://localhost/x",
    ] {
        let (status, body) = app
            .post_json(
                &account.api_key,
                "/api/v1/envelopes",
                &json!({"title": "x", "callback_url": url}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("private_callback_url")),
            "{url}"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn listing_filters_by_status_and_external_key_and_pages_with_a_cursor() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let key = &account.api_key;
    for i in 0..5 {
        let (status, _) = app
            .post_json(
                key,
                "/api/v1/envelopes",
                &json!({"title": format!("E{i}"), "external_key": format!("k{i}")}),
            )
            .await;
        assert_eq!(status, 201);
    }
    let (status, dup) = app
        .post_json(
            key,
            "/api/v1/envelopes",
            &json!({"title": "dup", "external_key": "k1"}),
        )
        .await;
    assert_eq!(
        (status, dup["error"]["code"].as_str()),
        (409, Some("external_key_taken"))
    );
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/envelopes?limit=2&cursor={c}"),
            None => "/api/v1/envelopes?limit=2".to_string(),
        };
        let (_, page) = app.get_json(key, &path).await;
        seen.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["title"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(
        seen,
        vec!["E4", "E3", "E2", "E1", "E0"],
        "newest first, no gaps or repeats"
    );
    let (_, one) = app.get_json(key, "/api/v1/envelopes?external_key=k3").await;
    assert_eq!(one["data"][0]["title"], "E3");
    let (_, drafts) = app.get_json(key, "/api/v1/envelopes?status=draft").await;
    assert_eq!(drafts["data"].as_array().unwrap().len(), 5);
    let (_, none) = app
        .get_json(key, "/api/v1/envelopes?status=completed")
        .await;
    assert_eq!(none["data"].as_array().unwrap().len(), 0);
    app.finish().await;
}
