//! The orphan-blob sweep. A blob is written before the row that points to it commits, so a
//! crash (or a failed transaction whose cleanup did not run) between the two leaves a blob no
//! row names. The sweep deletes committed blobs that are older than a grace period and that
//! no row of their account references; younger ones may still be waiting for their row.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use crate::CoreError;
use crate::id::AccountId;
use crate::service::Signet;

/// What one sweep did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlobSweep {
    /// Blobs older than the grace period that were looked at.
    pub examined: usize,
    /// Orphans deleted.
    pub deleted: usize,
}

impl Signet {
    /// Deletes blobs written more than `grace` ago (by the core's clock) that no row
    /// references. Keys outside the `<account>/…` form the core writes are left alone.
    pub async fn sweep_orphan_blobs(&self, grace: Duration) -> Result<BlobSweep, CoreError> {
        let cutoff = self.now() - grace;
        let blobs = self.blobs();
        let keys = tokio::task::spawn_blocking(move || blobs.keys_written_before(cutoff))
            .await
            .map_err(|err| CoreError::Internal(format!("blob listing task failed: {err}")))??;
        let mut sweep = BlobSweep {
            examined: keys.len(),
            deleted: 0,
        };
        for (account, keys) in by_account(keys) {
            let referenced: HashSet<String> =
                self.store_ref().referenced_blob_keys(account).await?;
            let orphans: Vec<String> = keys
                .into_iter()
                .filter(|key| !referenced.contains(key))
                .collect();
            sweep.deleted += self.delete_orphans(orphans).await?;
        }
        tracing::info!(
            examined = sweep.examined,
            deleted = sweep.deleted,
            "orphan blob sweep done"
        );
        Ok(sweep)
    }

    async fn delete_orphans(&self, orphans: Vec<String>) -> Result<usize, CoreError> {
        let blobs = self.blobs();
        tokio::task::spawn_blocking(move || {
            for key in &orphans {
                tracing::info!(%key, "deleting an orphan blob");
                blobs.delete(key)?;
            }
            Ok(orphans.len())
        })
        .await
        .map_err(|err| CoreError::Internal(format!("blob deletion task failed: {err}")))?
    }
}

/// Groups keys by the account their first segment names; others are skipped.
fn by_account(keys: Vec<String>) -> BTreeMap<AccountId, Vec<String>> {
    let mut groups: BTreeMap<AccountId, Vec<String>> = BTreeMap::new();
    for key in keys {
        let first = key.split('/').next().unwrap_or_default();
        match uuid::Uuid::parse_str(first) {
            Ok(id) if key.contains('/') => groups
                .entry(AccountId::from_uuid(id))
                .or_default()
                .push(key),
            _ => tracing::debug!(%key, "a blob outside any account's folder is left alone"),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::by_account;

    #[test]
    fn keys_are_grouped_by_their_account_folder_and_others_skipped() {
        let account = "0193a8e0-0000-7000-8000-000000000001";
        let groups = by_account(vec![
            format!("{account}/env/original.pdf"),
            format!("{account}/verify-x.pdf"),
            "stray.pdf".into(),
            "not-a-uuid/x.pdf".into(),
            account.into(),
        ]);
        assert_eq!(groups.len(), 1);
        let keys = groups.values().next().unwrap();
        assert_eq!(keys.len(), 2);
    }
}
