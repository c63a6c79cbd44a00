//! Reading envelopes and their parts, and purging drafts. Every statement names the account in
//! its WHERE clause: an id of another account finds nothing, exactly like a missing id.

use signet_core::id::{AccountId, EnvelopeId, SignerId};
use signet_core::model::{AuditEvent, Envelope, EnvelopeRecord, EnvelopeStatus};
use signet_core::port::{EnvelopeFilter, StoreError};

use crate::decode;
use crate::engine::{Engine, Tx};
use crate::param::params;
use crate::row::{Columns, Required};

/// See [`signet_core::port::Store::load_envelope`]. One read transaction, so the parts match
/// the envelope's version.
pub(crate) async fn load_envelope(
    engine: &dyn Engine,
    account: AccountId,
    id: EnvelopeId,
) -> Result<Option<EnvelopeRecord>, StoreError> {
    let mut tx = engine.read().await?;
    let scope = || params![id, account];
    let Some(envelope) = tx
        .first(
            "SELECT * FROM envelopes WHERE id = $1 AND account_id = $2",
            scope(),
            decode::envelope,
        )
        .await?
    else {
        return Ok(None);
    };
    let documents = tx
        .all(
            "SELECT * FROM documents WHERE envelope_id = $1 AND account_id = $2 ORDER BY position, id",
            scope(),
            decode::document,
        )
        .await?;
    let signers = tx
        .all(
            "SELECT * FROM signers WHERE envelope_id = $1 AND account_id = $2 \
             ORDER BY sign_order, created_at, id",
            scope(),
            decode::signer,
        )
        .await?;
    let fields = tx
        .all(
            "SELECT * FROM fields WHERE envelope_id = $1 AND account_id = $2 ORDER BY id",
            scope(),
            decode::field,
        )
        .await?;
    let chain_head = tx
        .first(
            "SELECT seq, hash FROM audit_events WHERE envelope_id = $1 AND account_id = $2 \
             ORDER BY seq DESC LIMIT 1",
            scope(),
            decode::chain_head,
        )
        .await?;
    tx.commit().await?;
    Ok(Some(EnvelopeRecord {
        envelope,
        documents,
        signers,
        fields,
        chain_head,
    }))
}

/// See [`signet_core::port::Store::list_envelopes`]. Newest first by id (UUIDv7 ids sort by
/// creation time), so the cursor `before` is simply the last id of the previous page. There
/// are seven statuses, so `statuses` (deduplicated) fits the seven `IN` parameters.
pub(crate) async fn list_envelopes(
    engine: &dyn Engine,
    account: AccountId,
    filter: &EnvelopeFilter,
    before: Option<EnvelopeId>,
    limit: u32,
) -> Result<Vec<Envelope>, StoreError> {
    let mut statuses = filter.statuses.clone();
    statuses.sort_by_key(|s| s.as_str());
    statuses.dedup();
    let status_in = |i: usize| statuses.get(i).map(EnvelopeStatus::as_str);
    let rows = engine
        .fetch(
            "SELECT * FROM envelopes WHERE account_id = $1 AND deleted_at IS NULL \
             AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR external_key = $3) \
             AND ($4 IS NULL OR id < $4) \
             AND ($6 IS NULL OR status IN ($6, $7, $8, $9, $10, $11, $12)) \
             AND ($13 IS NULL OR (sent_at IS NOT NULL) = $13) \
             ORDER BY id DESC LIMIT $5",
            params![
                account,
                filter.status.as_ref().map(EnvelopeStatus::as_str),
                filter.external_key.as_ref(),
                before,
                limit,
                status_in(0),
                status_in(1),
                status_in(2),
                status_in(3),
                status_in(4),
                status_in(5),
                status_in(6),
                filter.sent,
            ],
        )
        .await?;
    rows.iter()
        .map(|row| decode::envelope(row.as_ref()))
        .collect()
}

/// See [`signet_core::port::Store::signer_by_token`].
pub(crate) async fn signer_by_token(
    engine: &dyn Engine,
    token_hash: &[u8; 32],
) -> Result<Option<(AccountId, EnvelopeId, SignerId)>, StoreError> {
    fn ids(row: &dyn Columns) -> Result<(AccountId, EnvelopeId, SignerId), StoreError> {
        Ok((
            AccountId::from_uuid(row.req_id("account_id")?),
            EnvelopeId::from_uuid(row.req_id("envelope_id")?),
            SignerId::from_uuid(row.req_id("id")?),
        ))
    }
    engine
        .first(
            "SELECT account_id, envelope_id, id FROM signers WHERE token_hash = $1",
            params![*token_hash],
            ids,
        )
        .await
}

/// See [`signet_core::port::Store::envelope_by_sealed_sha256`].
pub(crate) async fn envelope_by_sealed_sha256(
    engine: &dyn Engine,
    account: AccountId,
    sha256: &[u8; 32],
) -> Result<Option<(EnvelopeId, bool)>, StoreError> {
    fn found(row: &dyn Columns) -> Result<(EnvelopeId, bool), StoreError> {
        let proof = row.req_int("is_proof")?;
        Ok((
            EnvelopeId::from_uuid(row.req_id("envelope_id")?),
            proof != 0,
        ))
    }
    engine
        .first(
            "SELECT d.envelope_id AS envelope_id, CAST(0 AS BIGINT) AS is_proof FROM documents d \
             JOIN envelopes e ON e.id = d.envelope_id AND e.account_id = d.account_id \
             WHERE d.account_id = $1 AND d.signed_sha256 = $2 AND e.deleted_at IS NULL \
             UNION ALL \
             SELECT id AS envelope_id, CAST(1 AS BIGINT) AS is_proof FROM envelopes \
             WHERE account_id = $1 AND proof_sha256 = $2 AND deleted_at IS NULL",
            params![account, *sha256],
            found,
        )
        .await
}

/// See [`signet_core::port::Store::events`].
pub(crate) async fn events(
    engine: &dyn Engine,
    account: AccountId,
    envelope: EnvelopeId,
) -> Result<Vec<AuditEvent>, StoreError> {
    let rows = engine
        .fetch(
            "SELECT * FROM audit_events WHERE envelope_id = $1 AND account_id = $2 ORDER BY seq",
            params![envelope, account],
        )
        .await?;
    rows.iter().map(|row| decode::event(row.as_ref())).collect()
}

/// See [`signet_core::port::Store::purge_envelope`]. The first statement both checks the
/// version and status and (on PostgreSQL) locks the row; an envelope that does not exist in
/// this account is already purged, which is not an error.
pub(crate) async fn purge_envelope(
    engine: &dyn Engine,
    account: AccountId,
    id: EnvelopeId,
    expected_version: i64,
) -> Result<(), StoreError> {
    let mut tx = engine.write().await?;
    let claimed = tx
        .execute(
            "UPDATE envelopes SET version = version WHERE id = $1 AND account_id = $2 \
             AND version = $3 AND status = $4",
            params![
                id,
                account,
                expected_version,
                EnvelopeStatus::Draft.as_str()
            ],
        )
        .await?;
    if claimed == 0 {
        return match envelope_exists(tx.as_mut(), id, account).await? {
            true => Err(StoreError::VersionConflict),
            false => Ok(()),
        };
    }
    // Children first: the foreign keys have no ON DELETE CASCADE, so nothing else can delete
    // an envelope's evidence by accident. This is the only DELETE of audit events.
    for sql in [
        "DELETE FROM fields WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM signers WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM documents WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM envelope_attributes WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM audit_events WHERE envelope_id = $1 AND account_id = $2",
        "DELETE FROM envelopes WHERE id = $1 AND account_id = $2",
    ] {
        tx.execute(sql, params![id, account]).await?;
    }
    tx.commit().await
}

/// Whether the envelope is (still) in the account: after a guarded `UPDATE` touched nothing,
/// tells a version conflict from an envelope that is gone.
pub(super) async fn envelope_exists(
    tx: &mut dyn Tx,
    id: EnvelopeId,
    account: AccountId,
) -> Result<bool, StoreError> {
    let rows = tx
        .fetch(
            "SELECT id FROM envelopes WHERE id = $1 AND account_id = $2",
            params![id, account],
        )
        .await?;
    Ok(!rows.is_empty())
}
