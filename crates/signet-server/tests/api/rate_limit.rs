//! Rate limits and client addresses: failed authentications throttle an address, each
//! credential and each signing client has its own bucket, a spoofed `X-Forwarded-For` buys
//! nothing unless the proxy is trusted, and time (the app's clock) refills the buckets.

use reqwest::header::AUTHORIZATION;
use serde_json::Value;

use crate::support::TestApp;
use crate::support::app::{bearer, status_and_json, token_of, typed_signing};

/// GET `path` with `key`, optionally as forwarded for `forwarded_for`.
async fn get(
    app: &TestApp,
    key: &str,
    path: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .get(app.url(path))
        .header(AUTHORIZATION, bearer(key));
    if let Some(ip) = forwarded_for {
        request = request.header("x-forwarded-for", ip);
    }
    request.send().await.unwrap()
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// Asserts a 429 `rate_limited` with a `Retry-After`; returns its seconds.
async fn assert_limited(response: reqwest::Response) -> u64 {
    let retry_after = header(&response, "retry-after").expect("Retry-After");
    assert_eq!(
        header(&response, "ratelimit-remaining").as_deref(),
        Some("0")
    );
    let (status, body) = status_and_json(response).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("rate_limited")),
        "{body}"
    );
    retry_after.parse().unwrap()
}

async fn status(response: reqwest::Response) -> u16 {
    let (status, _): (u16, Value) = status_and_json(response).await;
    status
}

#[tokio::test]
async fn failed_authentications_throttle_the_address_even_for_a_good_key_until_time_refills() {
    let app = TestApp::spawn_with(|config| {
        config.rate.auth_failures_per_min = 2;
        config.rate.auth_failures_burst = 3;
    })
    .await;
    let account = app.account("A").await;
    for _ in 0..3 {
        let response = get(&app, "sk_wrong", "/api/v1/envelopes", None).await;
        assert_eq!(header(&response, "ratelimit-limit").as_deref(), Some("3"));
        assert_eq!(status(response).await, 401);
    }
    let retry_after = assert_limited(get(&app, "sk_wrong", "/api/v1/envelopes", None).await).await;
    assert_eq!(retry_after, 30, "one failure refills every 30 s");
    let good = get(&app, &account.api_key, "/api/v1/envelopes", None).await;
    assert_limited(good).await;
    app.clock.advance(time::Duration::seconds(30));
    let good = get(&app, &account.api_key, "/api/v1/envelopes", None).await;
    assert_eq!(status(good).await, 200);
    app.finish().await;
}

#[tokio::test]
async fn a_spoofed_forwarded_for_gets_no_fresh_bucket_without_a_trusted_proxy() {
    let app = TestApp::spawn_with(|config| {
        config.rate.auth_failures_per_min = 1;
        config.rate.auth_failures_burst = 2;
    })
    .await;
    for i in 0..2 {
        let spoofed = format!("198.51.100.{i}");
        let response = get(&app, "sk_wrong", "/api/v1/envelopes", Some(&spoofed)).await;
        assert_eq!(status(response).await, 401);
    }
    let fresh_looking = get(&app, "sk_wrong", "/api/v1/envelopes", Some("203.0.113.77")).await;
    assert_limited(fresh_looking).await;
    app.finish().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    let app = TestApp::spawn_with(|config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        config.rate.auth_failures_per_min = 1;
        config.rate.auth_failures_burst = 2;
    })
    .await;
    let account = app.account("A").await;
    // The leftmost entry is the client's own claim; the proxy appended 192.0.2.1.
    let chain = "203.0.113.5, 192.0.2.1";
    for _ in 0..2 {
        let response = get(&app, "sk_wrong", "/api/v1/envelopes", Some(chain)).await;
        assert_eq!(status(response).await, 401);
    }
    assert_limited(get(&app, "sk_wrong", "/api/v1/envelopes", Some(chain)).await).await;
    let changed_claim = "198.51.100.9, 192.0.2.1";
    let same_client = get(
        &app,
        &account.api_key,
        "/api/v1/envelopes",
        Some(changed_claim),
    )
    .await;
    assert_limited(same_client).await;
    let other = get(
        &app,
        &account.api_key,
        "/api/v1/envelopes",
        Some("192.0.2.2"),
    )
    .await;
    assert_eq!(status(other).await, 200);
    app.finish().await;
}

#[tokio::test]
async fn one_credential_over_its_limit_gets_429_while_another_still_works() {
    let app = TestApp::spawn_with(|config| {
        config.rate.api_per_min = 6;
        config.rate.api_burst = 3;
    })
    .await;
    let busy = app.account("Busy").await;
    let calm = app.account("Calm").await;
    for remaining in ["2", "1", "0"] {
        let response = get(&app, &busy.api_key, "/api/v1/account", None).await;
        assert_eq!(header(&response, "ratelimit-limit").as_deref(), Some("3"));
        assert_eq!(
            header(&response, "ratelimit-remaining").as_deref(),
            Some(remaining)
        );
        assert!(header(&response, "ratelimit-reset").is_some());
        assert_eq!(
            header(&response, "ratelimit-policy").as_deref(),
            Some("3;w=30")
        );
        assert_eq!(status(response).await, 200);
    }
    let retry_after = assert_limited(get(&app, &busy.api_key, "/api/v1/account", None).await).await;
    assert_eq!(retry_after, 10);
    let other = get(&app, &calm.api_key, "/api/v1/account", None).await;
    assert_eq!(status(other).await, 200);
    app.clock.advance(time::Duration::seconds(10));
    let refilled = get(&app, &busy.api_key, "/api/v1/account", None).await;
    assert_eq!(status(refilled).await, 200);
    app.finish().await;
}

#[tokio::test]
async fn signing_links_are_limited_per_address_on_the_page_and_the_api() {
    let app = TestApp::spawn_with(|config| {
        config.rate.signing_per_min = 1;
        config.rate.signing_burst = 2;
    })
    .await;
    let account = app.account("A").await;
    let (_, urls) = app.sent_envelope(&account.api_key, "parallel", 1).await;
    let (status, _) = app.signer_get(&urls[0]).await;
    assert_eq!(status, 200);
    let page = app
        .client
        .get(app.url(&format!("/s/{}", token_of(&urls[0]))))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&page, "ratelimit-remaining").as_deref(), Some("0"));
    assert_eq!(page.status().as_u16(), 200);
    let (status, body) = app.signer_get(&urls[0]).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("rate_limited"))
    );
    app.clock.advance(time::Duration::seconds(60));
    let (status, _) = app.signer_get(&urls[0]).await;
    assert_eq!(status, 200);
    app.run_jobs_until_idle().await;
    app.finish().await;
}

/// The IP in the signing evidence comes from the same function as the limits.
async fn signed_event_ip(trust_loopback: bool) -> Value {
    let app = TestApp::spawn_with(|config| {
        if trust_loopback {
            config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        }
    })
    .await;
    let account = app.account("A").await;
    let (id, urls) = app.sent_envelope(&account.api_key, "parallel", 1).await;
    let response = app
        .client
        .post(app.url(&format!("/api/v1/signing/{}/complete", token_of(&urls[0]))))
        .header("x-forwarded-for", "203.0.113.5, 192.0.2.44")
        .json(&typed_signing())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    app.run_jobs_until_idle().await;
    let signed = app.events_of(&account.api_key, &id, "signed").await;
    let ip = signed[0]["ip"].clone();
    app.finish().await;
    ip
}

#[tokio::test]
async fn the_signing_evidence_records_the_forwarded_client_only_behind_a_trusted_proxy() {
    assert_eq!(signed_event_ip(true).await, "192.0.2.44");
    assert_eq!(signed_event_ip(false).await, "127.0.0.1");
}
