//! Retention: the account setting, the sweep's query, purging a finished envelope while writing
//! its tombstone, and finding tombstones. Every statement but the verifier's hash lookup names
//! the account.

use signet_core::id::{AccountId, EnvelopeId};
use signet_core::model::{EnvelopeStatus, RetentionRule, Tombstone, TombstoneFile, TombstoneHash};
use signet_core::port::StoreError;
use time::OffsetDateTime;

use crate::engine::{Engine, Tx};
use crate::param::params;
use crate::row::{Columns, Required};

/// The statuses a purge may take an envelope from.
const FINAL: [EnvelopeStatus; 3] = [
    EnvelopeStatus::Completed,
    EnvelopeStatus::Declined,
    EnvelopeStatus::Expired,
];

/// See [`signet_core::port::Store::account_retention`].
pub(crate) async fn account_retention(
    engine: &dyn Engine,
    account: AccountId,
) -> Result<Option<RetentionRule>, StoreError> {
    let stored = engine
        .first(
            "SELECT retention FROM accounts WHERE id = $1",
            params![account],
            |row| row.text("retention"),
        )
        .await?;
    stored.flatten().map(|text| rule(&text)).transpose()
}

/// See [`signet_core::port::Store::set_account_retention`].
pub(crate) async fn set_account_retention(
    engine: &dyn Engine,
    account: AccountId,
    retention: Option<RetentionRule>,
) -> Result<bool, StoreError> {
    let changed = engine
        .execute(
            "UPDATE accounts SET retention = $2 WHERE id = $1",
            params![account, retention.map(RetentionRule::to_stored)],
        )
        .await?;
    Ok(changed == 1)
}

/// See [`signet_core::port::Store::retention_accounts`].
pub(crate) async fn retention_accounts(
    engine: &dyn Engine,
) -> Result<Vec<(AccountId, RetentionRule)>, StoreError> {
    engine
        .all(
            "SELECT id, retention FROM accounts WHERE retention IS NOT NULL ORDER BY id",
            Vec::new(),
            |row| {
                let account = AccountId::from_uuid(row.req_id("id")?);
                Ok((account, rule(&row.req_text("retention")?)?))
            },
        )
        .await
}

/// See [`signet_core::port::Store::envelopes_due_for_purge`]. Served by `envelopes_retention`
/// (account, status, finished_at): one range per final status.
pub(crate) async fn envelopes_due_for_purge(
    engine: &dyn Engine,
    account: AccountId,
    finished_before: OffsetDateTime,
    limit: u32,
) -> Result<Vec<EnvelopeId>, StoreError> {
    let [completed, declined, expired] = FINAL.map(|s| s.as_str());
    engine
        .all(
            "SELECT id FROM envelopes WHERE account_id = $1 AND status IN ($2, $3, $4) \
             AND finished_at < $5 ORDER BY finished_at, id LIMIT $6",
            params![
                account,
                completed,
                declined,
                expired,
                finished_before,
                limit
            ],
            |row| Ok(EnvelopeId::from_uuid(row.req_id("id")?)),
        )
        .await
}

/// See [`signet_core::port::Store::purge_finished_envelope`]. The first statement checks the
/// version and status and (on PostgreSQL) locks the row, so two sweeps cannot both purge it.
pub(crate) async fn purge_finished_envelope(
    engine: &dyn Engine,
    tombstone: &Tombstone,
    expected_version: i64,
) -> Result<bool, StoreError> {
    let (id, account) = (tombstone.envelope_id, tombstone.account_id);
    let mut tx = engine.write().await?;
    let [completed, declined, expired] = FINAL.map(|s| s.as_str());
    let claimed = tx
        .execute(
            "UPDATE envelopes SET version = version WHERE id = $1 AND account_id = $2 \
             AND version = $3 AND status IN ($4, $5, $6)",
            params![id, account, expected_version, completed, declined, expired],
        )
        .await?;
    if claimed == 0 {
        return match super::envelope::envelope_exists(tx.as_mut(), id, account).await? {
            true => Err(StoreError::VersionConflict),
            false => Ok(false),
        };
    }
    delete_envelope_rows(tx.as_mut(), id, account).await?;
    insert_tombstone(tx.as_mut(), tombstone).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes everything of the envelope, children first (the foreign keys do not cascade, so
/// nothing else can delete an envelope's evidence by accident).
async fn delete_envelope_rows(
    tx: &mut dyn Tx,
    id: EnvelopeId,
    account: AccountId,
) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM dialect_keys WHERE account_id = $2 AND (object_id = $1 OR object_id IN \
         (SELECT id FROM signers WHERE envelope_id = $1 AND account_id = $2))",
        "DELETE FROM signer_otps WHERE account_id = $2 AND signer_id IN \
         (SELECT id FROM signers WHERE envelope_id = $1 AND account_id = $2)",
        "DELETE FROM signer_sessions WHERE account_id = $2 AND signer_id IN \
         (SELECT id FROM signers WHERE envelope_id = $1 AND account_id = $2)",
        "DELETE FROM signer_oidc_requests WHERE account_id = $2 AND signer_id IN \
         (SELECT id FROM signers WHERE envelope_id = $1 AND account_id = $2)",
        "DELETE FROM signer_auth_passes WHERE account_id = $2 AND signer_id IN \
         (SELECT id FROM signers WHERE envelope_id = $1 AND account_id = $2)",
        "DELETE FROM webhook_attempts WHERE account_id = $2 AND delivery_id IN \
         (SELECT id FROM webhook_deliveries WHERE envelope_id = $1 AND account_id = $2)",
        "DELETE FROM webhook_deliveries WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM download_links WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM fields WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM signers WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM documents WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM envelope_attributes WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM audit_events WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM envelopes WHERE id = $1 AND account_id = $2",
    ] {
        tx.execute(sql, params![id, account]).await?;
    }
    Ok(())
}

async fn insert_tombstone(tx: &mut dyn Tx, t: &Tombstone) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO envelope_tombstones (envelope_id, account_id, final_status, created_at, \
         sent_at, finished_at, sealed_at, audit_head, audit_events, purged_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        params![
            t.envelope_id,
            t.account_id,
            t.final_status.as_str(),
            t.created_at,
            t.sent_at,
            t.finished_at,
            t.sealed_at,
            t.audit_head,
            t.audit_events,
            t.purged_at,
        ],
    )
    .await?;
    for hash in &t.hashes {
        tx.execute(
            "INSERT INTO tombstone_hashes (envelope_id, account_id, file, position, sha256) \
             VALUES ($1, $2, $3, $4, $5)",
            params![
                t.envelope_id,
                t.account_id,
                hash.file.as_str(),
                hash.position,
                hash.sha256
            ],
        )
        .await?;
    }
    Ok(())
}

/// See [`signet_core::port::Store::tombstone`].
pub(crate) async fn tombstone(
    engine: &dyn Engine,
    account: AccountId,
    envelope: EnvelopeId,
) -> Result<Option<Tombstone>, StoreError> {
    let mut tx = engine.read().await?;
    let found = read_tombstone(tx.as_mut(), account, envelope).await?;
    tx.commit().await?;
    Ok(found)
}

/// See [`signet_core::port::Store::tombstone_by_sealed_sha256`].
pub(crate) async fn tombstone_by_sealed_sha256(
    engine: &dyn Engine,
    sha256: &[u8; 32],
) -> Result<Option<(Tombstone, TombstoneFile)>, StoreError> {
    fn found(row: &dyn Columns) -> Result<(AccountId, EnvelopeId, TombstoneFile), StoreError> {
        Ok((
            AccountId::from_uuid(row.req_id("account_id")?),
            EnvelopeId::from_uuid(row.req_id("envelope_id")?),
            row.req_enum("file", TombstoneFile::parse)?,
        ))
    }
    let mut tx = engine.read().await?;
    let hit = tx
        .first(
            "SELECT account_id, envelope_id, file FROM tombstone_hashes \
             WHERE sha256 = $1 AND file IN ($2, $3) ORDER BY envelope_id LIMIT 1",
            params![
                *sha256,
                TombstoneFile::Sealed.as_str(),
                TombstoneFile::Proof.as_str()
            ],
            found,
        )
        .await?;
    let result = match hit {
        Some((account, envelope, file)) => read_tombstone(tx.as_mut(), account, envelope)
            .await?
            .map(|t| (t, file)),
        None => None,
    };
    tx.commit().await?;
    Ok(result)
}

async fn read_tombstone(
    tx: &mut dyn Tx,
    account: AccountId,
    envelope: EnvelopeId,
) -> Result<Option<Tombstone>, StoreError> {
    let scope = || params![envelope, account];
    let Some(mut tombstone) = tx
        .first(
            "SELECT * FROM envelope_tombstones WHERE envelope_id = $1 AND account_id = $2",
            scope(),
            decode_tombstone,
        )
        .await?
    else {
        return Ok(None);
    };
    tombstone.hashes = tx
        .all(
            "SELECT file, position, sha256 FROM tombstone_hashes \
             WHERE envelope_id = $1 AND account_id = $2 ORDER BY file, position",
            scope(),
            |row| {
                Ok(TombstoneHash {
                    file: row.req_enum("file", TombstoneFile::parse)?,
                    position: row.req_i32("position")?,
                    sha256: row.req_hash("sha256")?,
                })
            },
        )
        .await?;
    Ok(Some(tombstone))
}

fn decode_tombstone(r: &dyn Columns) -> Result<Tombstone, StoreError> {
    Ok(Tombstone {
        envelope_id: EnvelopeId::from_uuid(r.req_id("envelope_id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        final_status: r.req_enum("final_status", EnvelopeStatus::parse)?,
        created_at: r.req_time("created_at")?,
        sent_at: r.time("sent_at")?,
        finished_at: r.time("finished_at")?,
        sealed_at: r.time("sealed_at")?,
        audit_head: r.opt_hash("audit_head")?,
        audit_events: r.req_int("audit_events")?,
        purged_at: r.req_time("purged_at")?,
        hashes: Vec::new(),
    })
}

/// A stored retention rule.
fn rule(text: &str) -> Result<RetentionRule, StoreError> {
    RetentionRule::from_stored(text)
        .ok_or_else(|| StoreError::Corrupt(format!("accounts.retention {text:?} is not a rule")))
}
