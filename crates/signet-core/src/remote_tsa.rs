//! [`RemoteTsa`]: the PDF engine's [`signet_pdf::TimestampAuthority`] on top of the
//! [`TimestampClient`] port. The engine is synchronous and runs on a blocking thread; this
//! adapter blocks that thread on the async client.

use std::sync::Arc;

use signet_pdf::{PdfError, ValidationData};
use tokio::runtime::Handle;

use crate::port::TimestampClient;

/// A remote TSA as the engine sees it. Every failure is a [`PdfError::Timestamp`], which the
/// seal job treats as "retry later", never as "seal at a lower level".
pub(crate) struct RemoteTsa {
    client: Arc<dyn TimestampClient>,
    runtime: Handle,
}

impl RemoteTsa {
    /// Must be created on a thread that belongs to a Tokio runtime (a blocking-pool thread).
    pub(crate) fn new(client: Arc<dyn TimestampClient>) -> Result<Self, crate::CoreError> {
        let runtime = Handle::try_current().map_err(|_| {
            crate::CoreError::Internal("the remote TSA needs a Tokio runtime".into())
        })?;
        Ok(Self { client, runtime })
    }
}

fn failed(err: impl std::fmt::Display) -> PdfError {
    PdfError::Timestamp(err.to_string())
}

impl signet_pdf::TimestampAuthority for RemoteTsa {
    fn timestamp(&self, sha256_imprint: &[u8; 32]) -> signet_pdf::Result<Vec<u8>> {
        let nonce = u64::from_be_bytes(crate::secret::random_bytes::<8>());
        let query = signet_pdf::timestamp_request(sha256_imprint, nonce)?;
        let response = self
            .runtime
            .block_on(self.client.timestamp(query))
            .map_err(failed)?;
        signet_pdf::timestamp_token_from_response(&response, sha256_imprint).map_err(failed)
    }

    fn validation_data(&self, token: &[u8]) -> signet_pdf::Result<ValidationData> {
        let mut data = ValidationData::default();
        for url in signet_pdf::crl_urls(token)? {
            let crl = self
                .runtime
                .block_on(self.client.fetch_crl(&url))
                .map_err(|err| failed(format!("fetching the TSA's CRL from {url}: {err}")))?;
            data.crls.push(crl);
        }
        Ok(data)
    }
}
