//! The tower layer that enforces a group's limits and writes the `RateLimit-*` headers.

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::future::BoxFuture;
use tower::{Layer, Service};

use super::{Bucket, Decision, RateLimits, Taken, address_key, token};
use crate::client_ip::ClientAddr;
use crate::error::ApiError;

/// Limits the routes it wraps as `bucket`, e.g. `get(handler).route_layer(layer(Bucket::Signing))`;
/// documented routers use [`super::limit`], which also adds the 429 to the OpenAPI document.
pub fn layer(bucket: Bucket) -> RateLimitLayer {
    RateLimitLayer(bucket)
}

/// See [`layer`].
#[derive(Clone, Copy, Debug)]
pub struct RateLimitLayer(Bucket);

impl<S> Layer<S> for RateLimitLayer {
    type Service = RateLimited<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RateLimited {
            bucket: self.0,
            inner,
        }
    }
}

/// A service limited as one [`Bucket`].
#[derive(Clone, Debug)]
pub struct RateLimited<S> {
    bucket: Bucket,
    inner: S,
}

impl<S> Service<Request> for RateLimited<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The clone replaces the service that was polled ready, which handles this request.
        let clone = self.inner.clone();
        let ready = std::mem::replace(&mut self.inner, clone);
        Box::pin(enforce(self.bucket, request, ready))
    }
}

async fn enforce<S>(bucket: Bucket, request: Request, mut inner: S) -> Result<Response, Infallible>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let Some(limits) = request.extensions().get::<Arc<RateLimits>>().cloned() else {
        tracing::error!("a rate-limited route was reached without the limiter installed");
        return Ok(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "an internal error occurred",
        )
        .into_response());
    };
    let ip = address_key(request.extensions().get::<ClientAddr>().map(|c| c.0));
    if let Some(limiter) = &limits.auth_failures {
        let decision = limiter.peek(&ip, limits.now());
        if !decision.allowed {
            return Ok(refuse(decision));
        }
    }
    let taken = Taken::default();
    let mut request = match admit(bucket, &limits, &ip, request, &taken).await {
        Ok(request) => request,
        Err(response) => return Ok(response),
    };
    if bucket == Bucket::Api {
        // The `Auth` extractor finds it and charges the credential.
        request.extensions_mut().insert(taken.clone());
    }
    let mut response = inner.call(request).await?;
    if response.status() == StatusCode::UNAUTHORIZED
        && let Some(limiter) = &limits.auth_failures
    {
        taken.push(limiter.charge(&ip, limits.now()));
    }
    if let Some(decision) = taken.tightest() {
        write_headers(response.headers_mut(), &decision);
    }
    Ok(response)
}

/// The group's own limits, before the handler runs: per address for signing links, per
/// address and client id for token endpoints. The API group's per-credential limit is charged
/// later, by the `Auth` extractor, once the credential is known.
async fn admit(
    bucket: Bucket,
    limits: &RateLimits,
    ip: &str,
    request: Request,
    taken: &Taken,
) -> Result<Request, Response> {
    let (by_ip, request, client_id) = match bucket {
        Bucket::Api => return Ok(request),
        Bucket::Signing => (&limits.signing, request, None),
        Bucket::Token => {
            let (request, client_id) = token::client_id(request).await?;
            (&limits.token_ip, request, client_id)
        }
    };
    let now = limits.now();
    let refusal = |limiter: &Option<super::Limiter>, key: &str| {
        let decision = limiter.as_ref()?.charge(key, now);
        taken.push(decision);
        (!decision.allowed).then_some(decision)
    };
    if let Some(decision) = refusal(by_ip, ip) {
        return Err(refuse(decision));
    }
    if let Some(decision) = client_id.and_then(|id| refusal(&limits.token_client, &id)) {
        return Err(refuse(decision));
    }
    Ok(request)
}

/// The 429 for a refused request.
fn refuse(decision: Decision) -> Response {
    let mut response = ApiError::rate_limited(decision.retry_after_secs).into_response();
    write_headers(response.headers_mut(), &decision);
    response
}

/// `RateLimit-*` (IETF draft names) and, for clients that read the older names,
/// `X-RateLimit-Limit` and `X-RateLimit-Remaining`.
fn write_headers(headers: &mut HeaderMap, decision: &Decision) {
    let policy = format!("{};w={}", decision.limit, decision.window_secs);
    let values = [
        ("ratelimit-limit", decision.limit.to_string()),
        ("ratelimit-remaining", decision.remaining.to_string()),
        ("ratelimit-reset", decision.reset_secs.to_string()),
        ("ratelimit-policy", policy),
        ("x-ratelimit-limit", decision.limit.to_string()),
        ("x-ratelimit-remaining", decision.remaining.to_string()),
    ];
    for (name, value) in values {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
}
