//! A remote RFC 3161 time-stamping authority (`SIGNET_TSA_URL`), reached over HTTP.

use async_trait::async_trait;

use super::DeliveryError;

/// Talks to a remote TSA and fetches the revocation data of its certificates.
#[async_trait]
pub trait TimestampClient: Send + Sync {
    /// Posts a DER `TimeStampReq` (`application/timestamp-query`); returns the DER
    /// `TimeStampResp` the TSA answered with.
    async fn timestamp(&self, query_der: Vec<u8>) -> Result<Vec<u8>, DeliveryError>;
    /// The TSA's URL (recorded in the evidence).
    fn url(&self) -> &str;
    /// Fetches a CRL (DER) from a CRL distribution point named in the TSA's certificates.
    async fn fetch_crl(&self, url: &str) -> Result<Vec<u8>, DeliveryError>;
}
