//! Embedded signing: the account setting naming the sites that may frame its signing pages,
//! and the page's `frame-ancestors` and `X-Frame-Options` built from it (also on the error
//! page of a link that stopped working, which is in the signer's language).

use serde_json::json;

use crate::support::TestApp;

/// The page's CSP `frame-ancestors` directive and its `X-Frame-Options`, if any.
async fn framing(app: &TestApp, url: &str) -> (u16, String, Option<String>, String) {
    let response = app.client.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let directive = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("frame-ancestors"))
        .unwrap_or_else(|| panic!("no frame-ancestors in {csp}"))
        .to_owned();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    let xfo = headers
        .get("x-frame-options")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, directive, xfo, response.text().await.unwrap())
}

#[tokio::test]
async fn frame_ancestors_are_checked_normalised_replaced_and_cleared() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let other = app.account("B").await;
    let key = &account.api_key;
    let (status, body) = app.get_json(key, "/api/v1/account").await;
    assert_eq!((status, &body["frame_ancestors"]), (200, &json!([])));

    let set = json!({"frame_ancestors": [
        "https://App.Example.com:443", "https://*.partner.example", "http://localhost:3000",
        "https://app.example.com",
    ]});
    let (status, body) = app.patch_json(key, "/api/v1/account", &set).await;
    assert_eq!(status, 200, "{body}");
    let expected = json!([
        "https://app.example.com",
        "https://*.partner.example",
        "http://localhost:3000"
    ]);
    assert_eq!(
        body["frame_ancestors"], expected,
        "normalised, without duplicates"
    );
    let (_, read) = app.get_json(key, "/api/v1/account").await;
    assert_eq!(read["frame_ancestors"], expected);
    let (_, theirs) = app.get_json(&other.api_key, "/api/v1/account").await;
    assert_eq!(theirs["frame_ancestors"], json!([]), "only that account");

    let eleven: Vec<String> = (0..11).map(|i| format!("https://a{i}.example")).collect();
    for bad in [
        json!(["http://app.example.com"]),
        json!(["https://app.example.com/embed"]),
        json!(["*"]),
        json!(["https://*.com"]),
        json!(["https://a.example; script-src *"]),
        json!(eleven),
    ] {
        let (status, body) = app
            .patch_json(key, "/api/v1/account", &json!({"frame_ancestors": bad}))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("invalid_frame_ancestors")),
            "{bad} {body}"
        );
    }
    let (status, body) = app
        .patch_json(
            key,
            "/api/v1/account",
            &json!({"frame_ancestors": "https://a.example"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_body"))
    );
    let (_, read) = app.get_json(key, "/api/v1/account").await;
    assert_eq!(
        read["frame_ancestors"], expected,
        "a refused change changes nothing"
    );

    let (status, body) = app
        .patch_json(key, "/api/v1/account", &json!({"frame_ancestors": null}))
        .await;
    assert_eq!((status, &body["frame_ancestors"]), (200, &json!([])));
    app.finish().await;
}

#[tokio::test]
async fn the_signing_page_may_be_framed_only_by_the_origins_its_account_names() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let other = app.account("B").await;
    let key = &account.api_key;
    let (_, urls) = app.sent_envelope(key, "parallel", 1).await;
    let (_, their_urls) = app.sent_envelope(&other.api_key, "parallel", 1).await;

    let (status, directive, xfo, _) = framing(&app, &urls[0]).await;
    assert_eq!(status, 200);
    assert_eq!(directive, "frame-ancestors 'none'", "no framing by default");
    assert_eq!(xfo.as_deref(), Some("DENY"));

    let set =
        json!({"frame_ancestors": ["https://app.example.com", "https://*.partner.example:8443"]});
    let (status, body) = app.patch_json(key, "/api/v1/account", &set).await;
    assert_eq!(status, 200, "{body}");
    let (status, directive, xfo, _) = framing(&app, &urls[0]).await;
    assert_eq!(status, 200);
    assert_eq!(
        directive,
        "frame-ancestors https://app.example.com https://*.partner.example:8443"
    );
    assert_eq!(xfo, None, "X-Frame-Options cannot name origins: left out");
    let (_, directive, xfo, _) = framing(&app, &their_urls[0]).await;
    assert_eq!(
        (directive.as_str(), xfo.as_deref()),
        ("frame-ancestors 'none'", Some("DENY")),
        "another account's pages keep their own setting"
    );
    let (status, directive, xfo, _) = framing(&app, &app.url("/s/not-a-real-token")).await;
    assert_eq!(
        (status, directive.as_str(), xfo.as_deref()),
        (404, "frame-ancestors 'none'", Some("DENY"))
    );
    app.finish().await;
}

#[tokio::test]
async fn a_link_that_stopped_working_explains_it_in_the_signers_language_inside_the_frame() {
    let app = TestApp::spawn().await;
    let account = app.account("A").await;
    let key = &account.api_key;
    let set = json!({"frame_ancestors": ["https://app.example.com"], "default_language": "de"});
    let (status, body) = app.patch_json(key, "/api/v1/account", &set).await;
    assert_eq!(status, 200, "{body}");
    let (id, urls) = app.sent_envelope(key, "parallel", 1).await;
    let (status, body) = app
        .post_json(key, &format!("/api/v1/envelopes/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(status, 200, "{body}");

    let (status, directive, xfo, page) = framing(&app, &urls[0]).await;
    assert_eq!(status, 410);
    assert_eq!(directive, "frame-ancestors https://app.example.com");
    assert_eq!(xfo, None);
    assert!(page.contains("<html lang=\"de\">"), "{page}");
    assert!(
        page.contains("<h1>Dieser Link funktioniert nicht mehr</h1>"),
        "{page}"
    );
    assert!(
        page.contains("Der Absender hat diese Signaturanfrage zurückgezogen."),
        "{page}"
    );
    assert!(
        page.contains("link_revoked"),
        "the code stays for support: {page}"
    );
    app.run_jobs_until_idle().await;
    app.finish().await;
}
