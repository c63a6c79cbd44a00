//! Password resets: finding a user by login address, recording a reset with its e-mail job,
//! and using a reset up exactly once.

use signet_core::id::{AccountId, PasswordResetId};
use signet_core::model::{NewJob, PasswordReset, User};
use signet_core::port::StoreError;
use time::OffsetDateTime;

use crate::decode;
use crate::engine::{Engine, inconsistent};
use crate::param::params;
use crate::query::account::email_key;
use crate::query::job::insert_job;

/// See [`signet_core::port::Store::user_by_email`].
pub(crate) async fn user_by_email(
    engine: &dyn Engine,
    email: &str,
) -> Result<Option<User>, StoreError> {
    engine
        .first(
            "SELECT * FROM users WHERE email_key = $1",
            params![email_key(email)],
            decode::user,
        )
        .await
}

/// See [`signet_core::port::Store::create_password_reset`].
pub(crate) async fn create_password_reset(
    engine: &dyn Engine,
    reset: &PasswordReset,
    job: &NewJob,
) -> Result<(), StoreError> {
    if reset.used_at.is_some() || reset.revoked_at.is_some() {
        return Err(inconsistent("a new password reset must be open"));
    }
    let mut tx = engine.write().await?;
    tx.execute(
        "UPDATE password_resets SET revoked_at = $3 \
         WHERE account_id = $1 AND user_id = $2 AND used_at IS NULL AND revoked_at IS NULL",
        params![reset.account_id, reset.user_id, reset.created_at],
    )
    .await?;
    tx.execute(
        "INSERT INTO password_resets (id, account_id, user_id, nonce, token_hash, created_at, \
         expires_at, used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)",
        params![
            reset.id,
            reset.account_id,
            reset.user_id,
            reset.nonce,
            reset.token_hash,
            reset.created_at,
            reset.expires_at,
        ],
    )
    .await?;
    insert_job(&mut *tx, job, reset.created_at).await?;
    tx.commit().await
}

/// See [`signet_core::port::Store::password_reset`].
pub(crate) async fn password_reset(
    engine: &dyn Engine,
    account: AccountId,
    id: PasswordResetId,
) -> Result<Option<PasswordReset>, StoreError> {
    engine
        .first(
            "SELECT * FROM password_resets WHERE id = $1 AND account_id = $2",
            params![id, account],
            decode::password_reset,
        )
        .await
}

/// See [`signet_core::port::Store::password_reset_by_token`].
pub(crate) async fn password_reset_by_token(
    engine: &dyn Engine,
    token_hash: &[u8; 32],
) -> Result<Option<PasswordReset>, StoreError> {
    engine
        .first(
            "SELECT * FROM password_resets WHERE token_hash = $1",
            params![*token_hash],
            decode::password_reset,
        )
        .await
}

/// See [`signet_core::port::Store::use_password_reset`]. The first UPDATE is the claim: a
/// concurrent second use waits for the first to commit (SQLite: one writer; PostgreSQL: the
/// row lock, then the re-checked `used_at IS NULL`) and changes nothing.
pub(crate) async fn use_password_reset(
    engine: &dyn Engine,
    reset: &PasswordReset,
    password_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    let claimed = tx
        .execute(
            "UPDATE password_resets SET used_at = $3 WHERE id = $1 AND account_id = $2 \
             AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3",
            params![reset.id, reset.account_id, now],
        )
        .await?;
    if claimed == 0 {
        return Ok(false);
    }
    let changed = tx
        .execute(
            "UPDATE users SET password_hash = $3 \
             WHERE id = $1 AND account_id = $2 AND disabled_at IS NULL",
            params![reset.user_id, reset.account_id, password_hash],
        )
        .await?;
    if changed == 0 {
        // Disabled meanwhile: dropping the transaction undoes the claim.
        return Ok(false);
    }
    tx.execute(
        "UPDATE password_resets SET revoked_at = $4 WHERE account_id = $1 AND user_id = $2 \
         AND id <> $3 AND used_at IS NULL AND revoked_at IS NULL",
        params![reset.account_id, reset.user_id, reset.id, now],
    )
    .await?;
    // A new password ends every web session of the user (whoever knew the old one is out).
    tx.execute(
        "DELETE FROM web_sessions WHERE account_id = $1 AND user_id = $2",
        params![reset.account_id, reset.user_id],
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
