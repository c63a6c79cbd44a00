//! [`HttpTimestampClient`]: the core's `TimestampClient` port over HTTP (RFC 3161 §3.4): POST
//! `application/timestamp-query`, expect `application/timestamp-reply`; and CRL downloads for
//! the TSA's certificates. The TSA URL is the operator's choice, so no SSRF vetting here; the
//! CRL URLs come from the TSA's certificates and are limited to http(s) and a size cap.

use std::time::Duration;

use async_trait::async_trait;
use signet_core::port::{DeliveryError, TimestampClient};

use crate::callback::tls_config;
use crate::error::CallbackError;

/// Largest time-stamp response or CRL accepted, in bytes.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// Gets time-stamps from one TSA URL.
pub struct HttpTimestampClient {
    client: reqwest::Client,
    url: reqwest::Url,
}

impl HttpTimestampClient {
    /// A client for the TSA at `url` (http or https), with `timeout` per request.
    pub fn new(url: &str, timeout: Duration) -> Result<Self, CallbackError> {
        let url = reqwest::Url::parse(url)
            .map_err(|err| CallbackError::Client(format!("the TSA URL {url:?}: {err}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(CallbackError::Client(format!(
                "the TSA URL must be http or https, not {:?}",
                url.scheme()
            )));
        }
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .redirect(reqwest::redirect::Policy::limited(3))
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("Signet/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| CallbackError::Client(err.to_string()))?;
        Ok(Self { client, url })
    }
}

fn transient(what: &str, err: impl std::fmt::Display) -> DeliveryError {
    DeliveryError::Transient(format!("{what}: {err}"))
}

/// Reads a successful response's body, refusing error statuses and oversized bodies.
async fn body(response: reqwest::Response, what: &str) -> Result<Vec<u8>, DeliveryError> {
    let status = response.status();
    if !status.is_success() {
        return Err(DeliveryError::Transient(format!(
            "{what} answered {status}"
        )));
    }
    if response
        .content_length()
        .is_some_and(|len| len > MAX_BODY as u64)
    {
        return Err(DeliveryError::Transient(format!("{what} sent too much")));
    }
    let bytes = response.bytes().await.map_err(|err| transient(what, err))?;
    if bytes.len() > MAX_BODY {
        return Err(DeliveryError::Transient(format!("{what} sent too much")));
    }
    Ok(bytes.to_vec())
}

#[async_trait]
impl TimestampClient for HttpTimestampClient {
    fn url(&self) -> &str {
        self.url.as_str()
    }

    async fn timestamp(&self, query_der: Vec<u8>) -> Result<Vec<u8>, DeliveryError> {
        let response = self
            .client
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/timestamp-query")
            .body(query_der)
            .send()
            .await
            .map_err(|err| transient("the TSA", err))?;
        body(response, "the TSA").await
    }

    async fn fetch_crl(&self, url: &str) -> Result<Vec<u8>, DeliveryError> {
        let url = reqwest::Url::parse(url).map_err(|err| transient("a CRL URL", err))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(DeliveryError::Permanent(format!(
                "CRL URL scheme {:?} is not http(s)",
                url.scheme()
            )));
        }
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|err| transient("the CRL server", err))?;
        body(response, "the CRL server").await
    }
}
