//! A seal imported by the operator (`signet seal import`): an external CA's certificate chain
//! and its key, stored encrypted like the instance PKI and used instead of the instance's own
//! seal certificate by every node that loads the keys afterwards.

use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::port::Store;
use crate::secret::SecretBox;

/// The instance secret holding the imported seal.
pub(super) const IMPORTED_SEAL_SECRET: &str = "seal.imported.v1";

#[derive(Serialize, Deserialize)]
pub(super) struct StoredSeal {
    pub key_pkcs8_der: Vec<u8>,
    /// Seal certificate first, the external root last.
    pub chain_der: Vec<Vec<u8>>,
}

/// The imported seal, if one was imported.
pub(super) async fn load(
    store: &dyn Store,
    secrets: &SecretBox,
) -> Result<Option<StoredSeal>, CoreError> {
    let Some(sealed) = store.instance_secret(IMPORTED_SEAL_SECRET).await? else {
        return Ok(None);
    };
    let bytes = secrets.open(IMPORTED_SEAL_SECRET, &sealed).map_err(|_| {
        CoreError::Integrity(
            "the imported seal cannot be decrypted: the master key does not match this database"
                .into(),
        )
    })?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|err| CoreError::Integrity(format!("the imported seal is unreadable: {err}")))
}

/// Encrypts `seal` and stores it, replacing an earlier import.
pub(super) async fn store(
    store: &dyn Store,
    secrets: &SecretBox,
    seal: &signet_pdf::ImportedSeal,
) -> Result<(), CoreError> {
    let stored = StoredSeal {
        key_pkcs8_der: seal.key_pkcs8_der.clone(),
        chain_der: seal.chain_der.clone(),
    };
    let bytes = serde_json::to_vec(&stored).map_err(|err| CoreError::Internal(err.to_string()))?;
    let sealed = secrets.seal(IMPORTED_SEAL_SECRET, &bytes)?;
    store
        .replace_instance_secret(IMPORTED_SEAL_SECRET, &sealed)
        .await?;
    Ok(())
}
