//! Revocation data from the outside world: CRLs published by a CA that is not the instance's.

use async_trait::async_trait;

use super::DeliveryError;

/// Downloads CRLs from the distribution points an imported seal's certificates name.
#[async_trait]
pub trait CrlClient: Send + Sync {
    /// Fetches the CRL (DER) at `url` (http or https).
    async fn fetch_crl(&self, url: &str) -> Result<Vec<u8>, DeliveryError>;
}
