//! The users and credentials (API keys and personal access tokens) of an account. Every
//! statement names the account, so an id from another account finds nothing.

use signet_core::id::{AccountId, ApiKeyId, UserId};
use signet_core::model::{ApiKey, KeyKind, User};
use signet_core::port::StoreError;
use time::OffsetDateTime;

use crate::decode;
use crate::engine::{Engine, Tx};
use crate::param::params;
use crate::query::account::email_key;

/// Inserts a user row inside `tx`.
pub(crate) async fn insert_user(tx: &mut dyn Tx, user: &User) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO users (id, account_id, email, email_key, name, password_hash, role, created_at, \
         disabled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        params![
            user.id,
            user.account_id,
            &user.email,
            email_key(&user.email),
            &user.name,
            &user.password_hash,
            user.role.as_str(),
            user.created_at,
            user.disabled_at,
        ],
    )
    .await
    .map(drop)
}

/// Inserts an `api_keys` row inside `tx`.
pub(crate) async fn insert_api_key(tx: &mut dyn Tx, key: &ApiKey) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO api_keys (id, account_id, user_id, name, lookup_id, secret_hash, created_at, \
         expires_at, last_used_at, revoked_at, kind, scopes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        params![
            key.id,
            key.account_id,
            key.user_id,
            &key.name,
            &key.lookup_id,
            key.secret_hash,
            key.created_at,
            key.expires_at,
            key.last_used_at,
            key.revoked_at,
            key.kind.as_str(),
            key.scopes.to_string(),
        ],
    )
    .await
    .map(drop)
}

/// See [`signet_core::port::Store::create_user`].
pub(crate) async fn create_user(engine: &dyn Engine, user: &User) -> Result<(), StoreError> {
    let mut tx = engine.write().await?;
    insert_user(tx.as_mut(), user).await?;
    tx.commit().await
}

/// See [`signet_core::port::Store::list_users`].
pub(crate) async fn list_users(
    engine: &dyn Engine,
    account: AccountId,
) -> Result<Vec<User>, StoreError> {
    let mut tx = engine.read().await?;
    tx.all(
        "SELECT * FROM users WHERE account_id = $1 ORDER BY created_at, id",
        params![account],
        decode::user,
    )
    .await
}

/// See [`signet_core::port::Store::disable_user`]. The no-op update of the account row locks it
/// on PostgreSQL (SQLite's write transaction is exclusive anyway), so concurrent disables in
/// one account run one after the other and each sees the owners the previous one left.
pub(crate) async fn disable_user(
    engine: &dyn Engine,
    account: AccountId,
    id: UserId,
    at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    tx.execute(
        "UPDATE accounts SET name = name WHERE id = $1",
        params![account],
    )
    .await?;
    let changed = tx
        .execute(
            "UPDATE users SET disabled_at = $3 \
             WHERE id = $1 AND account_id = $2 AND disabled_at IS NULL \
             AND (role <> 'owner' OR EXISTS (SELECT 1 FROM users AS other \
                  WHERE other.account_id = $2 AND other.role = 'owner' \
                  AND other.disabled_at IS NULL AND other.id <> $1))",
            params![id, account, at],
        )
        .await?;
    tx.commit().await?;
    Ok(changed > 0)
}

/// See [`signet_core::port::Store::create_api_key`].
pub(crate) async fn create_api_key(engine: &dyn Engine, key: &ApiKey) -> Result<(), StoreError> {
    let mut tx = engine.write().await?;
    insert_api_key(tx.as_mut(), key).await?;
    tx.commit().await
}

/// See [`signet_core::port::Store::api_key`].
pub(crate) async fn api_key(
    engine: &dyn Engine,
    account: AccountId,
    id: ApiKeyId,
) -> Result<Option<ApiKey>, StoreError> {
    engine
        .first(
            "SELECT * FROM api_keys WHERE id = $1 AND account_id = $2",
            params![id, account],
            decode::api_key,
        )
        .await
}

/// See [`signet_core::port::Store::list_api_keys`].
pub(crate) async fn list_api_keys(
    engine: &dyn Engine,
    account: AccountId,
    kind: KeyKind,
    user: Option<UserId>,
) -> Result<Vec<ApiKey>, StoreError> {
    let mut tx = engine.read().await?;
    match user {
        Some(user) => {
            tx.all(
                "SELECT * FROM api_keys WHERE account_id = $1 AND kind = $2 AND user_id = $3 \
                 ORDER BY created_at, id",
                params![account, kind.as_str(), user],
                decode::api_key,
            )
            .await
        }
        None => {
            tx.all(
                "SELECT * FROM api_keys WHERE account_id = $1 AND kind = $2 \
                 ORDER BY created_at, id",
                params![account, kind.as_str()],
                decode::api_key,
            )
            .await
        }
    }
}

/// See [`signet_core::port::Store::revoke_api_key`].
pub(crate) async fn revoke_api_key(
    engine: &dyn Engine,
    account: AccountId,
    id: ApiKeyId,
    at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let changed = engine
        .execute(
            "UPDATE api_keys SET revoked_at = $3 \
             WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL",
            params![id, account, at],
        )
        .await?;
    Ok(changed > 0)
}
