//! [`HttpTimestampClient`]: the core's `TimestampClient` port over HTTP (RFC 3161 §3.4): POST
//! `application/timestamp-query`, expect `application/timestamp-reply`; and CRL downloads for
//! the TSA's certificates. The TSA URL is the operator's choice, so no SSRF vetting here; the
//! CRL URLs come from the TSA's certificates and are limited to http(s) and a size cap.

use std::time::Duration;

use async_trait::async_trait;
use signet_core::port::{DeliveryError, TimestampClient};

use crate::crl::{body, download_crl, http_client, transient};
use crate::error::CallbackError;

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
        let client = http_client(timeout)?;
        Ok(Self { client, url })
    }
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
        download_crl(&self.client, url).await
    }
}
