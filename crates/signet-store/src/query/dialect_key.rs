//! Dialect keys: the keys a vendor dialect gives envelopes and signers, with that dialect's own
//! attributes of them (JSON text).

use signet_core::id::AccountId;
use signet_core::model::{DialectKey, KeyedObject};
use signet_core::port::StoreError;

use crate::engine::Engine;
use crate::param::{json, params};
use crate::row::{Columns, Required};

fn decode(r: &dyn Columns) -> Result<DialectKey, StoreError> {
    let kind = r.req_text("kind")?;
    let object = KeyedObject::from_parts(&kind, r.req_id("object_id")?)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown dialect key kind {kind:?}")))?;
    let data = serde_json::from_str(&r.req_text("data")?)
        .map_err(|e| StoreError::Corrupt(format!("dialect key data: {e}")))?;
    Ok(DialectKey {
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        dialect: r.req_text("dialect")?,
        object,
        key: r.req_text("key")?,
        data,
        created_at: r.req_time("created_at")?,
    })
}

/// See [`signet_core::port::Store::dialect_key_of`].
pub(crate) async fn dialect_key_of(
    engine: &dyn Engine,
    account: AccountId,
    dialect: &str,
    object: KeyedObject,
) -> Result<Option<DialectKey>, StoreError> {
    engine
        .first(
            "SELECT * FROM dialect_keys \
             WHERE account_id = $1 AND dialect = $2 AND kind = $3 AND object_id = $4",
            params![account, dialect, object.kind(), object.uuid()],
            decode,
        )
        .await
}

/// See [`signet_core::port::Store::dialect_key_by_key`].
pub(crate) async fn dialect_key_by_key(
    engine: &dyn Engine,
    account: AccountId,
    dialect: &str,
    kind: &str,
    key: &str,
) -> Result<Option<DialectKey>, StoreError> {
    engine
        .first(
            "SELECT * FROM dialect_keys \
             WHERE account_id = $1 AND dialect = $2 AND kind = $3 AND key = $4",
            params![account, dialect, kind, key],
            decode,
        )
        .await
}

/// See [`signet_core::port::Store::insert_dialect_key`].
pub(crate) async fn insert_dialect_key(
    engine: &dyn Engine,
    key: &DialectKey,
) -> Result<(), StoreError> {
    let mut tx = engine.write().await?;
    tx.execute(
        "INSERT INTO dialect_keys (account_id, dialect, kind, object_id, key, data, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        params![
            key.account_id,
            key.dialect.as_str(),
            key.object.kind(),
            key.object.uuid(),
            key.key.as_str(),
            json(&key.data, "dialect key data")?,
            key.created_at,
        ],
    )
    .await?;
    tx.commit().await
}

/// See [`signet_core::port::Store::set_dialect_key_data`].
pub(crate) async fn set_dialect_key_data(
    engine: &dyn Engine,
    account: AccountId,
    dialect: &str,
    object: KeyedObject,
    data: &serde_json::Value,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    let changed = tx
        .execute(
            "UPDATE dialect_keys SET data = $5 \
             WHERE account_id = $1 AND dialect = $2 AND kind = $3 AND object_id = $4",
            params![
                account,
                dialect,
                object.kind(),
                object.uuid(),
                json(data, "dialect key data")?
            ],
        )
        .await?;
    tx.commit().await?;
    Ok(changed > 0)
}
