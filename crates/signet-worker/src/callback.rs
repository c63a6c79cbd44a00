//! [`HttpCallbackSender`]: the core's `CallbackSender` port with reqwest. Follows no redirects,
//! enforces a timeout and, unless private targets are allowed, refuses URLs whose host is (or
//! resolves to) a non-public address, connecting only to the addresses it vetted.

pub(crate) mod resolve;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use signet_core::port::{CallbackRequest, CallbackSender, DeliveryError, TimedResponse};

use crate::error::CallbackError;
use crate::ip::is_public_ip;
use resolve::{Lookup, RefusedAddress, SystemLookup, VettingResolver};

/// Settings for [`HttpCallbackSender`].
#[derive(Clone, Debug)]
pub struct CallbackConfig {
    /// Allow loopback and private-network targets (tests and closed networks only).
    pub allow_private: bool,
    /// Total time for one request, connection included.
    pub timeout: Duration,
}

impl Default for CallbackConfig {
    fn default() -> Self {
        Self {
            allow_private: false,
            timeout: Duration::from_secs(15),
        }
    }
}

/// Posts callbacks over HTTP(S).
pub struct HttpCallbackSender {
    client: reqwest::Client,
    allow_private: bool,
    lookup: Arc<dyn Lookup>,
}

impl HttpCallbackSender {
    /// Builds the client (TLS with rustls on ring and the webpki roots).
    pub fn new(config: CallbackConfig) -> Result<Self, CallbackError> {
        Self::with_lookup(config, Arc::new(SystemLookup))
    }

    pub(crate) fn with_lookup(
        config: CallbackConfig,
        lookup: Arc<dyn Lookup>,
    ) -> Result<Self, CallbackError> {
        let resolver = VettingResolver {
            lookup: Arc::clone(&lookup),
            allow_private: config.allow_private,
        };
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would resolve the name itself, out of reach of the vetting resolver.
            .no_proxy()
            .dns_resolver(Arc::new(resolver))
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("Signet-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| CallbackError::Client(err.to_string()))?;
        Ok(Self {
            client,
            allow_private: config.allow_private,
            lookup,
        })
    }

    /// Refuses what must never be requested, before any connection: non-HTTP URLs and, unless
    /// private targets are allowed, IP-literal hosts that are not public (reqwest does not
    /// resolve literals, so the resolver never sees them).
    fn check_url(&self, url: &reqwest::Url) -> Result<(), DeliveryError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(DeliveryError::Permanent(format!(
                "callback URL scheme {:?} is not http(s)",
                url.scheme()
            )));
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
            Some(url::Host::Domain(_)) => None,
            None => return Err(DeliveryError::Permanent("callback URL has no host".into())),
        };
        match literal {
            Some(ip) if !self.allow_private && !is_public_ip(ip) => Err(DeliveryError::Permanent(
                format!("callback URL points at the non-public address {ip}"),
            )),
            _ => Ok(()),
        }
    }
}

pub(crate) fn tls_config() -> Result<rustls::ClientConfig, CallbackError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| CallbackError::Client(err.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

fn headers(request: &CallbackRequest) -> Result<HeaderMap, DeliveryError> {
    let mut map = HeaderMap::new();
    map.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in &request.headers {
        let name = HeaderName::try_from(name.as_str()).map_err(|_| {
            DeliveryError::Permanent(format!("invalid callback header name {name:?}"))
        })?;
        let value = HeaderValue::try_from(value.as_str()).map_err(|_| {
            DeliveryError::Permanent(format!("invalid value for callback header {name}"))
        })?;
        map.append(name, value);
    }
    Ok(map)
}

#[async_trait]
impl CallbackSender for HttpCallbackSender {
    async fn post(&self, request: &CallbackRequest) -> Result<u16, DeliveryError> {
        let url = reqwest::Url::parse(&request.url)
            .map_err(|err| DeliveryError::Permanent(format!("invalid callback URL: {err}")))?;
        self.check_url(&url)?;
        let response = self
            .client
            .post(url)
            .headers(headers(request)?)
            .body(request.body.clone())
            .send()
            .await
            .map_err(classify)?;
        // The body is not needed; dropping the response closes or recycles the connection.
        Ok(response.status().as_u16())
    }

    async fn post_timed(&self, request: &CallbackRequest) -> TimedResponse {
        let started = std::time::Instant::now();
        let status = self.post(request).await;
        TimedResponse {
            status,
            elapsed: started.elapsed(),
        }
    }

    async fn check_target(&self, url: &str) -> Result<(), DeliveryError> {
        let url = reqwest::Url::parse(url)
            .map_err(|err| DeliveryError::Permanent(format!("invalid URL: {err}")))?;
        self.check_url(&url)?;
        let Some(url::Host::Domain(host)) = url.host() else {
            return Ok(());
        };
        let ips = self
            .lookup
            .lookup(host.to_string())
            .await
            .map_err(|err| DeliveryError::Transient(format!("cannot resolve {host}: {err}")))?;
        resolve::vet(host, ips, self.allow_private)
            .map(drop)
            .map_err(|err| match err.downcast_ref::<RefusedAddress>() {
                Some(refused) => DeliveryError::Permanent(format!("URL refused: {refused}")),
                None => DeliveryError::Transient(err.to_string()),
            })
    }
}

/// A refused target is permanent; anything else (DNS failure, refused connection, TLS,
/// timeout) may be temporary.
fn classify(err: reqwest::Error) -> DeliveryError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(current) = source {
        if let Some(refused) = current.downcast_ref::<RefusedAddress>() {
            return DeliveryError::Permanent(format!("callback refused: {refused}"));
        }
        source = current.source();
    }
    if err.is_timeout() {
        DeliveryError::Transient(format!("callback timed out: {err}"))
    } else {
        DeliveryError::Transient(format!("callback failed: {}", chain(&err)))
    }
}

/// The error and its causes on one line (reqwest's top-level message alone says little).
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests;
