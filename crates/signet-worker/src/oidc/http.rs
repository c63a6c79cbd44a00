//! The HTTP side of talking to identity providers, under the outbound rules of callbacks: only
//! `https` (and `http` only where private targets are allowed), names resolved and vetted by
//! the callback client's resolver (no loopback, private or metadata addresses unless the
//! operator allows private targets), no redirects, no proxy, a timeout, and a size cap on
//! every answer.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use signet_core::port::IdentityError;

use crate::callback::resolve::{SystemLookup, VettingResolver};
use crate::callback::tls_config;
use crate::ip::is_public_ip;

/// The largest answer read from a provider.
const MAX_BODY: usize = 1 << 20;

/// A reqwest client for one process's identity providers.
pub(crate) struct ProviderHttp {
    client: reqwest::Client,
    allow_private: bool,
}

/// An answer: the status and the JSON body (`Null` when it was not JSON).
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) json: Value,
}

fn unavailable(err: impl std::fmt::Display) -> IdentityError {
    IdentityError::Unavailable(err.to_string())
}

impl ProviderHttp {
    /// Builds the client.
    pub(crate) fn new(allow_private: bool, timeout: Duration) -> Result<Self, String> {
        let resolver = VettingResolver {
            lookup: Arc::new(SystemLookup),
            allow_private,
        };
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config().map_err(|e| e.to_string())?)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(resolver))
            .timeout(timeout)
            .user_agent(concat!("Signet-OIDC/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            allow_private,
        })
    }

    /// Refuses URLs Signet must not call: not `https` (or `http` without the private-target
    /// allowance), and IP-literal hosts that are not public (the resolver never sees those).
    pub(crate) fn check(&self, url: &str) -> Result<reqwest::Url, String> {
        let url = reqwest::Url::parse(url).map_err(|e| format!("invalid URL {url:?}: {e}"))?;
        let scheme_ok = url.scheme() == "https" || (self.allow_private && url.scheme() == "http");
        if !scheme_ok {
            return Err(format!("{url} is not https"));
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
            Some(url::Host::Domain(_)) => None,
            None => return Err(format!("{url} has no host")),
        };
        match literal {
            Some(ip) if !self.allow_private && !is_public_ip(ip) => {
                Err(format!("{url} points at the non-public address {ip}"))
            }
            _ => Ok(url),
        }
    }

    /// `GET url`, optionally with a bearer token.
    pub(crate) async fn get(
        &self,
        url: &str,
        bearer: Option<&str>,
    ) -> Result<Answer, IdentityError> {
        let url = self.check(url).map_err(unavailable)?;
        let mut request = self.client.get(url).header("Accept", "application/json");
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        read(request.send().await.map_err(unavailable)?).await
    }

    /// `POST url` with a form body and an optional `Authorization` header.
    pub(crate) async fn post_form(
        &self,
        url: &str,
        form: String,
        authorization: Option<String>,
    ) -> Result<Answer, IdentityError> {
        let url = self.check(url).map_err(unavailable)?;
        let mut request = self
            .client
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .body(form);
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        read(request.send().await.map_err(unavailable)?).await
    }
}

async fn read(mut response: reqwest::Response) -> Result<Answer, IdentityError> {
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(unavailable)? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(unavailable("the provider's answer is larger than 1 MiB"));
        }
        body.extend_from_slice(&chunk);
    }
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Ok(Answer { status, json })
}
