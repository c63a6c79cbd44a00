//! CRL downloads over HTTP: [`HttpCrlClient`] (the core's `CrlClient` port, for an imported
//! seal's chain) and the download the remote TSA client shares. The URLs come from
//! certificates the operator chose (an imported seal, a configured TSA), so no SSRF vetting;
//! only http(s), a few redirects and a size cap.

use std::time::Duration;

use async_trait::async_trait;
use signet_core::port::{CrlClient, DeliveryError};

use crate::callback::tls_config;
use crate::error::CallbackError;

/// Largest time-stamp response or CRL accepted, in bytes.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// A reqwest client for the operator's own services (TSA, CA): rustls, 3 redirects.
pub(crate) fn http_client(timeout: Duration) -> Result<reqwest::Client, CallbackError> {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls_config()?)
        .redirect(reqwest::redirect::Policy::limited(3))
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("Signet/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|err| CallbackError::Client(err.to_string()))
}

/// Fetches CRLs from the distribution points of an imported seal's certificates.
pub struct HttpCrlClient {
    client: reqwest::Client,
}

impl HttpCrlClient {
    /// A client giving each download `timeout`.
    pub fn new(timeout: Duration) -> Result<Self, CallbackError> {
        Ok(Self {
            client: http_client(timeout)?,
        })
    }
}

#[async_trait]
impl CrlClient for HttpCrlClient {
    async fn fetch_crl(&self, url: &str) -> Result<Vec<u8>, DeliveryError> {
        download_crl(&self.client, url).await
    }
}

pub(crate) fn transient(what: &str, err: impl std::fmt::Display) -> DeliveryError {
    DeliveryError::Transient(format!("{what}: {err}"))
}

/// GETs the CRL at `url` (http or https only).
pub(crate) async fn download_crl(
    client: &reqwest::Client,
    url: &str,
) -> Result<Vec<u8>, DeliveryError> {
    let url = reqwest::Url::parse(url).map_err(|err| transient("a CRL URL", err))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(DeliveryError::Permanent(format!(
            "CRL URL scheme {:?} is not http(s)",
            url.scheme()
        )));
    }
    let response = client
        .get(url)
        .send()
        .await
        .map_err(|err| transient("the CRL server", err))?;
    body(response, "the CRL server").await
}

/// Reads a successful response's body, refusing error statuses and oversized bodies.
pub(crate) async fn body(
    response: reqwest::Response,
    what: &str,
) -> Result<Vec<u8>, DeliveryError> {
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
