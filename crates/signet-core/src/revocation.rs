//! Revocation data for an imported seal's chain, which the instance cannot issue itself: the
//! current CRL of each certificate's issuer, fetched from the certificate's CRL distribution
//! points through the [`CrlClient`] port and checked before it goes into the DSS. Anything
//! short of that is [`CoreError::Unavailable`] — the seal is delayed, never made weaker.

use std::sync::Arc;

use signet_pdf::CrlStatus;
use time::OffsetDateTime;
use tokio::runtime::Handle;

use crate::CoreError;
use crate::port::CrlClient;

/// One current CRL for each certificate of `chain` (leaf first, root last) but the root, each
/// issued by the next certificate and not revoking the one before. Blocks on the async client:
/// call it on a blocking thread of a Tokio runtime.
pub(crate) fn chain_crls(
    client: Option<&Arc<dyn CrlClient>>,
    chain: &[Vec<u8>],
    now: OffsetDateTime,
) -> Result<Vec<Vec<u8>>, CoreError> {
    let client = client.ok_or_else(|| {
        CoreError::Unavailable(
            "this process cannot fetch the CRLs an imported seal needs at B-LT and above".into(),
        )
    })?;
    let runtime = Handle::try_current()
        .map_err(|_| CoreError::Internal("fetching CRLs needs a Tokio runtime".into()))?;
    chain
        .windows(2)
        .map(|pair| crl_for(client.as_ref(), &runtime, &pair[0], &pair[1], now))
        .collect()
}

/// The first CRL from `cert`'s distribution points that its issuer signed and that is current.
fn crl_for(
    client: &dyn CrlClient,
    runtime: &Handle,
    cert: &[u8],
    issuer: &[u8],
    now: OffsetDateTime,
) -> Result<Vec<u8>, CoreError> {
    let urls = signet_pdf::certificate_crl_urls(cert)
        .map_err(|err| CoreError::Internal(format!("reading the seal chain failed: {err}")))?;
    if urls.is_empty() {
        return Err(CoreError::Unavailable(
            "a certificate of the imported seal chain names no http(s) CRL distribution point, \
             so B-LT and B-LTA seals cannot carry its revocation data: seal at B-T or import a \
             certificate that has one"
                .into(),
        ));
    }
    let mut failures = Vec::new();
    for url in urls {
        let crl = match runtime.block_on(client.fetch_crl(&url)) {
            Ok(crl) => crl,
            Err(err) => {
                failures.push(format!("{url}: {err}"));
                continue;
            }
        };
        match signet_pdf::check_crl(&crl, cert, issuer, now) {
            Ok(CrlStatus::Good) => return Ok(crl),
            Ok(CrlStatus::Revoked(at)) => {
                return Err(CoreError::Unavailable(format!(
                    "the CRL at {url} says a certificate of the imported seal chain was revoked on {at}: \
                     import a new seal"
                )));
            }
            Err(err) => failures.push(format!("{url}: {err}")),
        }
    }
    Err(CoreError::Unavailable(format!(
        "no usable CRL for the imported seal chain ({})",
        failures.join("; ")
    )))
}
