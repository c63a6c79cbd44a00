//! Retention, privacy by design: an account may have its completed, declined and expired
//! envelopes purged after a period (its rule; none by default). The sweep runs as one
//! instance-wide job an hour (`retention_sweep`, unique per hour by its dedupe key, so one node
//! runs it however many are up); each envelope is purged in one transaction that leaves a
//! tombstone (ids, times, hashes; no personal data), and its blobs are deleted after the
//! commit (a failed deletion leaves an orphan for the orphan sweep, never a row pointing at a
//! missing blob).

use std::collections::HashSet;

use crate::CoreError;
use crate::id::{AccountId, EnvelopeId, JobId};
use crate::model::{
    AdoptedSignature, EnvelopeRecord, EnvelopeStatus, JobPayload, MAX_RETENTION_DAYS, NewJob,
    RetentionRule, Tombstone, TombstoneFile, TombstoneHash,
};
use crate::port::StoreError;
use crate::service::Signet;
use crate::time::OffsetDateTime;
use crate::usecase::account::Principal;
use crate::usecase::settings::AccountSettings;

/// How many due envelopes the sweep reads at a time.
const BATCH: u32 = 100;
/// How long one sweep slot lasts: at most one `retention_sweep` job is made per slot.
const SLOT_SECS: i64 = 3600;

/// What one retention sweep did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RetentionRun {
    /// Accounts with a retention rule.
    pub accounts: usize,
    /// Envelopes purged (each now a tombstone).
    pub purged: usize,
    /// Blobs deleted after their rows were gone.
    pub blobs_deleted: usize,
    /// Envelopes that could not be purged this time (tried again by the next sweep).
    pub failed: usize,
}

/// What a verification learns from the tombstone of a purged envelope whose sealed document
/// or proof the file is. Found across accounts by the file's hash, so it carries nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgedSeal {
    /// When this instance sealed it.
    pub sealed_at: Option<OffsetDateTime>,
    /// When its envelope was deleted under its account's retention rule.
    pub purged_at: OffsetDateTime,
    /// True when the file is the proof document, false when it is a sealed document.
    pub is_proof: bool,
}

impl Signet {
    /// Sets (or with `None` turns off) the caller's account's retention rule; owners and
    /// admins only. Applies to every finished envelope from the next sweep on, including
    /// those that finished before the rule was set.
    pub async fn set_retention(
        &self,
        who: &Principal,
        rule: Option<RetentionRule>,
    ) -> Result<AccountSettings, CoreError> {
        who.require_admin()?;
        if let Some(RetentionRule::Days(days)) = rule
            && !(1..=MAX_RETENTION_DAYS).contains(&days)
        {
            return Err(invalid_days());
        }
        if !self
            .store_ref()
            .set_account_retention(who.account_id, rule)
            .await?
        {
            return Err(CoreError::NotFound("account"));
        }
        self.account_settings(who).await
    }

    /// Enqueues the retention sweep of the current hour unless some node already has.
    pub async fn schedule_retention_sweep(&self) -> Result<(), CoreError> {
        let now = self.now();
        let slot = now.unix_timestamp().div_euclid(SLOT_SECS);
        let job = NewJob {
            id: JobId::generate(),
            payload: JobPayload::RetentionSweep {},
            run_at: now,
            max_attempts: 3,
            dedupe_key: Some(format!("retention_sweep:{slot}")),
        };
        Ok(self.store_ref().enqueue_jobs(&[job]).await?)
    }

    /// Purges every account's envelopes whose retention period has passed (by the core's
    /// clock). An envelope that fails is logged, counted and left for the next sweep.
    pub async fn run_retention(&self) -> Result<RetentionRun, CoreError> {
        let now = self.now();
        let accounts = self.store_ref().retention_accounts().await?;
        let mut run = RetentionRun {
            accounts: accounts.len(),
            ..RetentionRun::default()
        };
        for (account, rule) in accounts {
            self.purge_account(account, rule.finished_before(now), now, &mut run)
                .await?;
        }
        tracing::info!(
            accounts = run.accounts,
            purged = run.purged,
            blobs_deleted = run.blobs_deleted,
            failed = run.failed,
            "retention sweep done"
        );
        Ok(run)
    }

    /// Purges the account's due envelopes, a batch at a time, until none is left (or only
    /// ones that failed in this run).
    async fn purge_account(
        &self,
        account: AccountId,
        cutoff: OffsetDateTime,
        now: OffsetDateTime,
        run: &mut RetentionRun,
    ) -> Result<(), CoreError> {
        let mut failed = HashSet::new();
        loop {
            let due = self
                .store_ref()
                .envelopes_due_for_purge(account, cutoff, BATCH + failed.len() as u32)
                .await?;
            let fresh: Vec<EnvelopeId> = due
                .iter()
                .filter(|id| !failed.contains(*id))
                .copied()
                .collect();
            for id in &fresh {
                match self.purge_envelope_record(account, *id, cutoff, now).await {
                    Ok(Some(blobs)) => {
                        run.purged += 1;
                        run.blobs_deleted += blobs;
                    }
                    Ok(None) => {}
                    Err(err) => {
                        tracing::warn!(%account, envelope = %id, %err, "could not purge an envelope under retention; the next sweep tries again");
                        run.failed += 1;
                        failed.insert(*id);
                    }
                }
            }
            if fresh.is_empty() || due.len() < (BATCH as usize + failed.len()) {
                return Ok(());
            }
        }
    }

    /// Purges one envelope if it is still due; returns how many blobs were deleted, or `None`
    /// when it is gone or no longer due (reactivated, say).
    async fn purge_envelope_record(
        &self,
        account: AccountId,
        id: EnvelopeId,
        cutoff: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<Option<usize>, CoreError> {
        let Some(record) = self.store_ref().load_envelope(account, id).await? else {
            return Ok(None);
        };
        let due = matches!(
            record.envelope.status,
            EnvelopeStatus::Completed | EnvelopeStatus::Declined | EnvelopeStatus::Expired
        ) && record.envelope.finished_at.is_some_and(|at| at < cutoff);
        if !due {
            return Ok(None);
        }
        let tombstone = tombstone_of(&record, now);
        let purged = self
            .store_ref()
            .purge_finished_envelope(&tombstone, record.envelope.version)
            .await
            .map_err(|err| match err {
                StoreError::VersionConflict => CoreError::ConcurrentUpdate,
                other => other.into(),
            })?;
        if !purged {
            return Ok(None);
        }
        Ok(Some(self.delete_purged_blobs(&record).await))
    }

    /// Deletes the blobs of a purged envelope (only keys under its own folder: anything else
    /// is left to the orphan sweep, which checks that no row names it); returns how many.
    async fn delete_purged_blobs(&self, record: &EnvelopeRecord) -> usize {
        let folder = format!("{}/{}/", record.envelope.account_id, record.envelope.id);
        let keys: Vec<String> = blob_keys(record)
            .into_iter()
            .filter(|key| key.starts_with(&folder))
            .collect();
        let blobs = self.blobs();
        let deleted = tokio::task::spawn_blocking(move || {
            let mut deleted = 0;
            for key in keys {
                match blobs.delete(&key) {
                    Ok(()) => deleted += 1,
                    Err(err) => {
                        tracing::warn!(%key, %err, "could not delete a purged envelope's blob; the orphan sweep will");
                    }
                }
            }
            deleted
        })
        .await;
        deleted.unwrap_or_else(|err| {
            tracing::warn!(%err, "blob deletion task failed; the orphan sweep will delete them");
            0
        })
    }

    /// The caller's envelope, or for one purged under retention a 410 `envelope_purged` naming
    /// the date (the native API's answer; other doors keep their plain not-found).
    pub async fn envelope_or_purged(
        &self,
        who: &Principal,
        id: EnvelopeId,
    ) -> Result<EnvelopeRecord, CoreError> {
        match self.envelope(who, id).await {
            Err(CoreError::NotFound(what)) => {
                match self.store_ref().tombstone(who.account_id, id).await? {
                    Some(t) => Err(CoreError::gone(
                        "envelope_purged",
                        format!(
                            "the envelope was deleted on {} under the account's retention setting",
                            crate::time::rfc3339(t.purged_at)
                        ),
                    )),
                    None => Err(CoreError::NotFound(what)),
                }
            }
            other => other,
        }
    }

    /// The tombstone facts about a file whose SHA-256 is that of a purged envelope's sealed
    /// document or proof (of any account: whoever holds the file may learn when it was sealed
    /// here, and nothing else).
    pub async fn purged_seal(&self, sha256: &[u8; 32]) -> Result<Option<PurgedSeal>, CoreError> {
        let found = self.store_ref().tombstone_by_sealed_sha256(sha256).await?;
        Ok(found.map(|(t, file)| PurgedSeal {
            sealed_at: t.sealed_at,
            purged_at: t.purged_at,
            is_proof: file == TombstoneFile::Proof,
        }))
    }
}

/// The tombstone of a finished envelope purged at `now`.
fn tombstone_of(record: &EnvelopeRecord, now: OffsetDateTime) -> Tombstone {
    let envelope = &record.envelope;
    let mut hashes = Vec::new();
    for d in &record.documents {
        let mut add = |file, sha256| {
            hashes.push(TombstoneHash {
                file,
                position: d.position,
                sha256,
            })
        };
        add(TombstoneFile::Original, d.original.sha256);
        if let Some(source) = &d.source {
            add(TombstoneFile::Source, source.file.sha256);
        }
        if let Some(signed) = &d.signed {
            add(TombstoneFile::Sealed, signed.sha256);
        }
    }
    if let Some(proof) = &envelope.proof {
        hashes.push(TombstoneHash {
            file: TombstoneFile::Proof,
            position: 0,
            sha256: proof.sha256,
        });
    }
    Tombstone {
        envelope_id: envelope.id,
        account_id: envelope.account_id,
        final_status: envelope.status,
        created_at: envelope.created_at,
        sent_at: envelope.sent_at,
        finished_at: envelope.finished_at,
        sealed_at: (envelope.status == EnvelopeStatus::Completed)
            .then_some(envelope.finished_at)
            .flatten(),
        audit_head: record.chain_head.as_ref().map(|h| h.hash),
        audit_events: record.chain_head.as_ref().map_or(0, |h| h.seq),
        purged_at: crate::time::storable(now),
        hashes,
    }
}

/// Every blob the envelope's rows name: documents (original, source, signed revision,
/// sealed), the proof and drawn signatures.
fn blob_keys(record: &EnvelopeRecord) -> Vec<String> {
    let mut keys = Vec::new();
    for d in &record.documents {
        keys.push(d.original.blob_key.clone());
        keys.extend(d.source.as_ref().map(|s| s.file.blob_key.clone()));
        keys.extend(d.revision.as_ref().map(|r| r.file.blob_key.clone()));
        keys.extend(d.signed.as_ref().map(|s| s.blob_key.clone()));
    }
    keys.extend(record.envelope.proof.as_ref().map(|p| p.blob_key.clone()));
    for signer in &record.signers {
        if let Some(AdoptedSignature::Drawn { blob_key, .. }) = &signer.signature {
            keys.push(blob_key.clone());
        }
    }
    keys
}

fn invalid_days() -> CoreError {
    CoreError::invalid(
        "invalid_retention",
        format!(
            "retention days must be between 1 and {MAX_RETENTION_DAYS}, or retention \
             \"end_of_month_after_one_month\", or null"
        ),
    )
}
