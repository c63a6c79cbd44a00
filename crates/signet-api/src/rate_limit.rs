//! Rate limits, per route group: wrap a group's documented router with [`limit`] (or a plain
//! router with [`layer`]) and name its [`Bucket`]. The limits live in this process's memory
//! (GCRA, [`gcra`]); with several nodes each node limits on its own, so a client spread over
//! `n` nodes gets up to `n` times the rate.
//!
//! Every limited group also guards authentication: a request from an address whose
//! "auth failures" bucket is empty gets 429 before any credential is looked at, and every
//! limited request that ends in 401 takes one from that bucket. Limited responses carry
//! `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy`
//! (IETF httpapi draft), and 429s a `Retry-After`.

mod gcra;
mod layer;
mod openapi;
mod token;

use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::Extensions;
use signet_core::time::Clock;
use signet_core::usecase::account::{Credential, Principal};

use crate::error::ApiError;
pub use gcra::{Decision, Quota};
use gcra::{Limiter, Nanos};
pub use layer::{RateLimitLayer, layer};
pub use openapi::limit;

/// The route groups, each with its own limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    /// The authenticated API: per credential (charged by the `Auth` extractor).
    Api,
    /// Signing links (`/s/…`, `/api/v1/signing/…`): per client address.
    Signing,
    /// Token endpoints: per client address and per OAuth client id.
    Token,
}

/// The limits, as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Failed authentications (401) per client address.
    pub auth_failures: Quota,
    /// Authenticated API requests per credential.
    pub api: Quota,
    /// Signing-link requests per client address.
    pub signing: Quota,
    /// Token-endpoint requests, per client address and per client id each.
    pub token: Quota,
    /// Most keys one limit remembers (bounds memory under a flood of distinct keys).
    pub max_keys: usize,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            auth_failures: Quota::new(10, 20),
            api: Quota::new(600, 100),
            signing: Quota::new(120, 60),
            token: Quota::new(60, 20),
            max_keys: 100_000,
        }
    }
}

/// This node's limiters and the clock they read (a request extension set by the router).
pub struct RateLimits {
    clock: Arc<dyn Clock>,
    auth_failures: Option<Limiter>,
    api: Option<Limiter>,
    signing: Option<Limiter>,
    token_ip: Option<Limiter>,
    token_client: Option<Limiter>,
}

impl RateLimits {
    /// Empty limiters for `config`, timed by `clock`.
    pub fn new(config: &RateLimitConfig, clock: Arc<dyn Clock>) -> Self {
        let limiter = |quota| Limiter::new(quota, config.max_keys);
        Self {
            clock,
            auth_failures: limiter(config.auth_failures),
            api: limiter(config.api),
            signing: limiter(config.signing),
            token_ip: limiter(config.token),
            token_client: limiter(config.token),
        }
    }

    fn now(&self) -> Nanos {
        self.clock.now().unix_timestamp_nanos()
    }
}

/// The decisions taken for one request; the headers report the tightest.
#[derive(Clone, Default)]
pub(crate) struct Taken(Arc<Mutex<Vec<Decision>>>);

impl Taken {
    fn push(&self, decision: Decision) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(decision);
    }

    fn tightest(&self) -> Option<Decision> {
        let taken = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        taken
            .iter()
            .copied()
            .min_by_key(|d| (d.allowed, d.remaining))
    }
}

/// Charges the caller's credential on a route of the [`Bucket::Api`] group (a no-op
/// elsewhere: only that group's layer leaves a [`Taken`] in the request); called by the
/// `Auth` extractor once the credential is known.
pub(crate) fn charge_credential(
    extensions: &Extensions,
    principal: &Principal,
) -> Result<(), ApiError> {
    let (Some(limits), Some(taken)) = (
        extensions.get::<Arc<RateLimits>>(),
        extensions.get::<Taken>(),
    ) else {
        return Ok(());
    };
    let Some(limiter) = &limits.api else {
        return Ok(());
    };
    let decision = limiter.charge(&credential_key(principal), limits.now());
    taken.push(decision);
    if decision.allowed {
        Ok(())
    } else {
        Err(ApiError::rate_limited(decision.retry_after_secs))
    }
}

fn credential_key(principal: &Principal) -> String {
    match principal.credential {
        Credential::ApiKey(id) => format!("api_key:{id}"),
        // Access tokens rotate; the client acting for one user is the lasting credential.
        Credential::OAuth { client_id, .. } => {
            format!("oauth:{client_id}:{}", principal.user_id)
        }
        // The command line never reaches the HTTP surface; one shared key if it ever did.
        Credential::Operator => "operator".to_string(),
        Credential::WebSession => format!("session:{}", principal.user_id),
    }
}

/// The key of a client address: IPv4 addresses one by one, IPv6 by their /64 (one host
/// usually holds a whole /64, so single IPv6 addresses would be free fresh buckets).
fn address_key(ip: Option<IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests;
