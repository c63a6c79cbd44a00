//! Accounts, users, API keys and instance secrets.

use signet_core::id::{AccountId, ApiKeyId, UserId};
use signet_core::model::{Account, ApiKey, User};
use signet_core::port::StoreError;
use time::OffsetDateTime;

use crate::decode;
use crate::engine::{Engine, inconsistent};
use crate::param::params;
use crate::row::{Columns, Required};

/// See [`signet_core::port::Store::create_account`].
pub(crate) async fn create_account(
    engine: &dyn Engine,
    account: &Account,
    owner: &User,
    key: &ApiKey,
) -> Result<(), StoreError> {
    if owner.account_id != account.id || key.account_id != account.id || key.user_id != owner.id {
        return Err(inconsistent(
            "the owner and the key must belong to the new account",
        ));
    }
    let mut tx = engine.write().await?;
    tx.execute(
        "INSERT INTO accounts (id, name, webhook_secret_sealed, pades_level, password_grant, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        params![
            account.id,
            &account.name,
            &account.webhook_secret_sealed[..],
            account.pades_level.map(|l| l.as_str()),
            account.password_grant,
            account.created_at,
        ],
    )
    .await?;
    crate::query::credential::insert_user(tx.as_mut(), owner).await?;
    crate::query::credential::insert_api_key(tx.as_mut(), key).await?;
    tx.commit().await
}

/// The form of an e-mail address that must be unique: compared case-insensitively. Computed
/// here rather than with SQL `lower()`, whose Unicode handling differs between the backends.
pub(crate) fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// See [`signet_core::port::Store::account`].
pub(crate) async fn account(
    engine: &dyn Engine,
    id: AccountId,
) -> Result<Option<Account>, StoreError> {
    engine
        .first(
            "SELECT * FROM accounts WHERE id = $1",
            params![id],
            decode::account,
        )
        .await
}

/// See [`signet_core::port::Store::set_account_pades_level`].
pub(crate) async fn set_account_pades_level(
    engine: &dyn Engine,
    id: AccountId,
    level: Option<signet_core::model::PadesLevel>,
) -> Result<bool, StoreError> {
    let updated = engine
        .execute(
            "UPDATE accounts SET pades_level = $2 WHERE id = $1",
            params![id, level.map(|l| l.as_str())],
        )
        .await?;
    Ok(updated > 0)
}

/// See [`signet_core::port::Store::set_account_password_grant`].
pub(crate) async fn set_account_password_grant(
    engine: &dyn Engine,
    id: AccountId,
    enabled: bool,
) -> Result<bool, StoreError> {
    let updated = engine
        .execute(
            "UPDATE accounts SET password_grant = $2 WHERE id = $1",
            params![id, enabled],
        )
        .await?;
    Ok(updated > 0)
}

/// See [`signet_core::port::Store::set_account_reactivation_days`].
pub(crate) async fn set_account_reactivation_days(
    engine: &dyn Engine,
    id: AccountId,
    days: Option<i32>,
) -> Result<bool, StoreError> {
    let updated = engine
        .execute(
            "UPDATE accounts SET reactivation_days = $2 WHERE id = $1",
            params![id, days.map(i64::from)],
        )
        .await?;
    Ok(updated > 0)
}

/// See [`signet_core::port::Store::set_account_default_language`].
pub(crate) async fn set_account_default_language(
    engine: &dyn Engine,
    id: AccountId,
    language: Option<signet_core::model::Language>,
) -> Result<bool, StoreError> {
    let updated = engine
        .execute(
            "UPDATE accounts SET default_language = $2 WHERE id = $1",
            params![id, language.map(|l| l.as_str())],
        )
        .await?;
    Ok(updated > 0)
}

/// See [`signet_core::port::Store::account_frame_ancestors`]. Kept apart from [`account`]:
/// only the signing page and the settings need it.
pub(crate) async fn account_frame_ancestors(
    engine: &dyn Engine,
    id: AccountId,
) -> Result<Vec<String>, StoreError> {
    let stored = engine
        .first(
            "SELECT frame_ancestors FROM accounts WHERE id = $1",
            params![id],
            |r| r.opt_json::<Vec<String>>("frame_ancestors"),
        )
        .await?;
    Ok(stored.flatten().unwrap_or_default())
}

/// See [`signet_core::port::Store::set_account_frame_ancestors`]: a JSON array, NULL for none.
pub(crate) async fn set_account_frame_ancestors(
    engine: &dyn Engine,
    id: AccountId,
    origins: &[String],
) -> Result<bool, StoreError> {
    let stored = match origins {
        [] => None,
        list => {
            Some(serde_json::to_string(list).map_err(|err| StoreError::Backend(err.to_string()))?)
        }
    };
    let updated = engine
        .execute(
            "UPDATE accounts SET frame_ancestors = $2 WHERE id = $1",
            params![id, stored],
        )
        .await?;
    Ok(updated > 0)
}

/// See [`signet_core::port::Store::user`].
pub(crate) async fn user(
    engine: &dyn Engine,
    account: AccountId,
    id: UserId,
) -> Result<Option<User>, StoreError> {
    engine
        .first(
            "SELECT * FROM users WHERE id = $1 AND account_id = $2",
            params![id, account],
            decode::user,
        )
        .await
}

/// See [`signet_core::port::Store::api_key_by_lookup`].
pub(crate) async fn api_key_by_lookup(
    engine: &dyn Engine,
    lookup_id: &str,
) -> Result<Option<ApiKey>, StoreError> {
    engine
        .first(
            "SELECT * FROM api_keys WHERE lookup_id = $1",
            params![lookup_id],
            decode::api_key,
        )
        .await
}

/// See [`signet_core::port::Store::touch_api_key`]. Never moves `last_used_at` backwards, and
/// skips the write when nothing would change.
pub(crate) async fn touch_api_key(
    engine: &dyn Engine,
    id: ApiKeyId,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    engine
        .execute(
            "UPDATE api_keys SET last_used_at = $2 \
             WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
            params![id, at],
        )
        .await
        .map(drop)
}

/// See [`signet_core::port::Store::instance_secret`].
pub(crate) async fn instance_secret(
    engine: &dyn Engine,
    name: &str,
) -> Result<Option<Vec<u8>>, StoreError> {
    engine
        .first(
            "SELECT value FROM instance_secrets WHERE name = $1",
            params![name],
            row_value,
        )
        .await
}

fn row_value(row: &dyn Columns) -> Result<Vec<u8>, StoreError> {
    row.req_bytes("value")
}

/// See [`signet_core::port::Store::put_instance_secret_if_absent`]. The insert waits for a
/// concurrent insert of the same name to commit (unique index) and then does nothing, so the
/// read that follows sees whichever value won.
pub(crate) async fn put_instance_secret_if_absent(
    engine: &dyn Engine,
    name: &str,
    value: &[u8],
) -> Result<Vec<u8>, StoreError> {
    let mut tx = engine.write().await?;
    tx.execute(
        "INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        params![name, value],
    )
    .await?;
    let stored = tx
        .first(
            "SELECT value FROM instance_secrets WHERE name = $1",
            params![name],
            row_value,
        )
        .await?
        .ok_or_else(|| {
            StoreError::Backend("the instance secret vanished while it was stored".into())
        })?;
    tx.commit().await?;
    Ok(stored)
}

/// See [`signet_core::port::Store::replace_instance_secret`].
pub(crate) async fn replace_instance_secret(
    engine: &dyn Engine,
    name: &str,
    value: &[u8],
) -> Result<(), StoreError> {
    engine
        .execute(
            "INSERT INTO instance_secrets (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![name, value],
        )
        .await
        .map(drop)
}
