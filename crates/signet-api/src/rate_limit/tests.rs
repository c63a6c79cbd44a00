//! The group layer on a small router of its own (the real middleware, trivial handlers).

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::routing::post;
use signet_core::time::{Clock, OffsetDateTime};
use tower::ServiceExt;

use super::{Bucket, Quota, RateLimitConfig, RateLimits, address_key, layer};
use crate::client_ip::TrustedProxies;

struct TestClock(Mutex<OffsetDateTime>);

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

fn config(token: Quota, auth_failures: Quota) -> RateLimitConfig {
    RateLimitConfig {
        token,
        auth_failures,
        ..RateLimitConfig::default()
    }
}

/// Requests come from a trusted proxy on 127.0.0.1, which names the client in
/// `X-Forwarded-For`. `/token` answers 200, or 401 when the form says `secret=wrong`; limited as `Token`.
fn app(config: &RateLimitConfig, clock: Arc<TestClock>) -> Router {
    let token = post(|body: String| async move {
        if body.contains("secret=wrong") {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::OK
        }
    });
    let router = Router::new().route("/token", token.route_layer(layer(Bucket::Token)));
    let trusted = TrustedProxies::new(vec![TrustedProxies::parse_entry("127.0.0.1").unwrap()]);
    crate::layers::client_edge(router, trusted, RateLimits::new(config, clock))
}

async fn post_token(app: &Router, from: &str, form: &str) -> axum::response::Response {
    let request = Request::post("/token")
        .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 4000))))
        .header("x-forwarded-for", from)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    app.clone().oneshot(request).await.unwrap()
}

fn clock() -> Arc<TestClock> {
    Arc::new(TestClock(Mutex::new(OffsetDateTime::now_utc())))
}

#[tokio::test]
async fn token_requests_are_limited_per_address() {
    let app = app(&config(Quota::new(60, 2), Quota::new(10, 10)), clock());
    for client in ["a", "b"] {
        let response = post_token(&app, "192.0.2.1", &format!("client_id={client}")).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let refused = post_token(&app, "192.0.2.1", "client_id=c").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_eq!(refused.headers()["ratelimit-remaining"], "0");
    let body = axum::body::to_bytes(refused.into_body(), 4096)
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    let elsewhere = post_token(&app, "192.0.2.2", "client_id=c").await;
    assert_eq!(elsewhere.status(), StatusCode::OK);
}

#[tokio::test]
async fn token_requests_are_limited_per_client_id_across_addresses() {
    let clock = clock();
    let app = app(
        &config(Quota::new(60, 2), Quota::new(10, 10)),
        clock.clone(),
    );
    for from in ["192.0.2.1", "192.0.2.2"] {
        let response = post_token(&app, from, "client_id=shared").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["ratelimit-limit"], "2");
    }
    let refused = post_token(&app, "192.0.2.3", "client_id=shared").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    *clock.0.lock().unwrap() += time::Duration::seconds(1);
    let refilled = post_token(&app, "192.0.2.3", "client_id=shared").await;
    assert_eq!(refilled.status(), StatusCode::OK);
}

#[tokio::test]
async fn failed_authentications_empty_the_address_bucket_before_any_credential_check() {
    let app = app(&config(Quota::new(600, 100), Quota::new(1, 2)), clock());
    for _ in 0..2 {
        let response = post_token(&app, "192.0.2.1", "client_id=x&secret=wrong").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let refused = post_token(&app, "192.0.2.1", "client_id=x&secret=right").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "60");
    let other = post_token(&app, "192.0.2.9", "client_id=x&secret=right").await;
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_zero_rate_turns_a_group_off() {
    let app = app(&config(Quota::new(0, 1), Quota::new(10, 10)), clock());
    for _ in 0..5 {
        let response = post_token(&app, "192.0.2.1", "client_id=a").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().get("ratelimit-limit").is_none());
    }
}

#[test]
fn ipv6_clients_are_keyed_by_their_slash_64() {
    let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
    let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
    let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
    assert_eq!(address_key(Some(a)), address_key(Some(b)));
    assert_ne!(address_key(Some(a)), address_key(Some(c)));
    let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
    assert_eq!(address_key(Some(mapped)), "192.0.2.1");
}

#[test]
fn limited_groups_document_their_429_in_the_openapi_document() {
    let doc = serde_json::to_value(crate::openapi_document()).unwrap();
    let responses = |path: &str, method: &str| doc["paths"][path][method]["responses"].clone();
    let limited = responses("/api/v1/envelopes", "post");
    assert_eq!(
        limited["429"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorBody"
    );
    assert!(limited["429"]["headers"]["Retry-After"].is_object());
    assert!(responses("/api/v1/signing/{token}", "get")["429"].is_object());
    assert!(responses("/api/v1/trust/ca.pem", "get")["429"].is_null());
}
