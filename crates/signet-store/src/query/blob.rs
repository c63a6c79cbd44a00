//! Which blob keys rows point to, for the orphan sweep.

use std::collections::HashSet;

use signet_core::id::AccountId;
use signet_core::model::AdoptedSignature;
use signet_core::port::StoreError;

use crate::engine::Engine;
use crate::param::params;
use crate::row::Required;

/// See [`signet_core::port::Store::referenced_blob_keys`]. One statement, so one snapshot; rows
/// of deleted (tombstoned) envelopes count too, so the sweep never removes what a row names.
pub(crate) async fn referenced_blob_keys(
    engine: &dyn Engine,
    account: AccountId,
) -> Result<HashSet<String>, StoreError> {
    let rows = engine
        .fetch(
            "SELECT original_blob_key AS k, 'key' AS how FROM documents WHERE account_id = $1 \
             UNION ALL SELECT signed_blob_key, 'key' FROM documents \
               WHERE account_id = $1 AND signed_blob_key IS NOT NULL \
             UNION ALL SELECT source_blob_key, 'key' FROM documents \
               WHERE account_id = $1 AND source_blob_key IS NOT NULL \
             UNION ALL SELECT revision_blob_key, 'key' FROM documents \
               WHERE account_id = $1 AND revision_blob_key IS NOT NULL \
             UNION ALL SELECT proof_blob_key, 'key' FROM envelopes \
               WHERE account_id = $1 AND proof_blob_key IS NOT NULL \
             UNION ALL SELECT blob_key, 'key' FROM notarizations WHERE account_id = $1 \
             UNION ALL SELECT signature, 'signature' FROM signers \
               WHERE account_id = $1 AND signature IS NOT NULL",
            params![account],
        )
        .await?;
    let mut keys = HashSet::with_capacity(rows.len());
    for row in rows {
        let row = row.as_ref();
        let value = row.req_text("k")?;
        if row.req_text("how")? == "key" {
            keys.insert(value);
            continue;
        }
        let signature: AdoptedSignature = serde_json::from_str(&value)
            .map_err(|err| StoreError::Corrupt(format!("signers.signature: {err}")))?;
        if let AdoptedSignature::Drawn { blob_key, .. } = signature {
            keys.insert(blob_key);
        }
    }
    Ok(keys)
}
