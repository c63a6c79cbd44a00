//! Signer authentication: browser sessions and one-time codes (only their hashes), the send
//! quota and single-use verification, each atomic on both backends.

use signet_core::id::{AccountId, SignerId};
use signet_core::model::{OtpQuota, SignerOtp, SignerSession};
use signet_core::port::StoreError;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::decode;
use crate::engine::Engine;
use crate::param::params;

/// See [`signet_core::port::Store::create_signer_session`].
pub(crate) async fn create_signer_session(
    engine: &dyn Engine,
    s: &SignerSession,
) -> Result<(), StoreError> {
    let mut tx = engine.write().await?;
    tx.execute(
        "INSERT INTO signer_sessions (hash, account_id, envelope_id, signer_id, generation, \
         created_at, expires_at, verified_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![
            s.hash,
            s.account_id,
            s.envelope_id,
            s.signer_id,
            i64::from(s.generation),
            s.created_at,
            s.expires_at,
            s.verified_at,
        ],
    )
    .await?;
    tx.commit().await
}

/// See [`signet_core::port::Store::signer_session`].
pub(crate) async fn signer_session(
    engine: &dyn Engine,
    hash: &[u8; 32],
) -> Result<Option<SignerSession>, StoreError> {
    engine
        .first(
            "SELECT * FROM signer_sessions WHERE hash = $1",
            params![*hash],
            decode::signer_session,
        )
        .await
}

/// See [`signet_core::port::Store::create_signer_otp`]. The first UPDATE takes the signer's
/// row lock on PostgreSQL (SQLite's writer already holds the database), so two requests for
/// one signer count and insert one after the other.
pub(crate) async fn create_signer_otp(
    engine: &dyn Engine,
    otp: &SignerOtp,
    quota: &OtpQuota,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    let locked = tx
        .execute(
            "UPDATE signers SET token_generation = token_generation \
             WHERE id = $1 AND account_id = $2",
            params![otp.signer_id, otp.account_id],
        )
        .await?;
    if locked == 0 {
        return Ok(false);
    }
    let counted = tx
        .all(
            "SELECT * FROM signer_otps WHERE account_id = $1 AND signer_id = $2 \
             AND created_at > $3 AND failed_at IS NULL ORDER BY created_at",
            params![otp.account_id, otp.signer_id, quota.since],
            decode::signer_otp,
        )
        .await?;
    let too_soon = counted.iter().any(|o| o.created_at > quota.gap_since);
    if too_soon || counted.len() as i64 >= quota.max {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO signer_otps (id, account_id, envelope_id, signer_id, channel, code_hash, \
         session_hash, created_at, expires_at, sent_at, failed_at, attempts, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, 0, NULL)",
        params![
            otp.id,
            otp.account_id,
            otp.envelope_id,
            otp.signer_id,
            otp.channel.as_str(),
            otp.code_hash,
            otp.session_hash,
            otp.created_at,
            otp.expires_at,
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// See [`signet_core::port::Store::set_signer_otp_delivery`].
pub(crate) async fn set_signer_otp_delivery(
    engine: &dyn Engine,
    account: AccountId,
    id: Uuid,
    delivered: bool,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut tx = engine.write().await?;
    let sql = if delivered {
        "UPDATE signer_otps SET sent_at = $3 WHERE id = $1 AND account_id = $2"
    } else {
        "UPDATE signer_otps SET failed_at = $3 WHERE id = $1 AND account_id = $2"
    };
    tx.execute(sql, params![id, account, at]).await?;
    tx.commit().await
}

/// See [`signet_core::port::Store::signer_otps_since`].
pub(crate) async fn signer_otps_since(
    engine: &dyn Engine,
    account: AccountId,
    signer: SignerId,
    since: OffsetDateTime,
) -> Result<Vec<SignerOtp>, StoreError> {
    let mut tx = engine.read().await?;
    tx.all(
        "SELECT * FROM signer_otps WHERE account_id = $1 AND signer_id = $2 \
         AND created_at > $3 AND failed_at IS NULL ORDER BY created_at",
        params![account, signer, since],
        decode::signer_otp,
    )
    .await
}

/// See [`signet_core::port::Store::latest_signer_otp`].
pub(crate) async fn latest_signer_otp(
    engine: &dyn Engine,
    account: AccountId,
    signer: SignerId,
    session_hash: &[u8; 32],
) -> Result<Option<SignerOtp>, StoreError> {
    engine
        .first(
            "SELECT * FROM signer_otps WHERE account_id = $1 AND signer_id = $2 \
             AND session_hash = $3 AND sent_at IS NOT NULL ORDER BY created_at DESC LIMIT 1",
            params![account, signer, *session_hash],
            decode::signer_otp,
        )
        .await
}

/// See [`signet_core::port::Store::count_signer_otp_attempt`].
pub(crate) async fn count_signer_otp_attempt(
    engine: &dyn Engine,
    account: AccountId,
    id: Uuid,
    max: i32,
) -> Result<Option<i32>, StoreError> {
    let mut tx = engine.write().await?;
    let counted = tx
        .execute(
            "UPDATE signer_otps SET attempts = attempts + 1 \
             WHERE id = $1 AND account_id = $2 AND used_at IS NULL AND attempts < $3",
            params![id, account, i64::from(max)],
        )
        .await?;
    if counted == 0 {
        return Ok(None);
    }
    let otp = tx
        .first(
            "SELECT * FROM signer_otps WHERE id = $1 AND account_id = $2",
            params![id, account],
            decode::signer_otp,
        )
        .await?;
    tx.commit().await?;
    Ok(otp.map(|o| o.attempts))
}

/// See [`signet_core::port::Store::verify_signer_session`].
pub(crate) async fn verify_signer_session(
    engine: &dyn Engine,
    account: AccountId,
    otp_id: Uuid,
    old_hash: &[u8; 32],
    s: &SignerSession,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    let used = tx
        .execute(
            "UPDATE signer_otps SET used_at = $3 WHERE id = $1 AND account_id = $2 \
             AND used_at IS NULL",
            params![otp_id, account, s.verified_at],
        )
        .await?;
    if used == 0 {
        return Ok(false);
    }
    let replaced = tx
        .execute(
            "UPDATE signer_sessions SET hash = $3, verified_at = $4, expires_at = $5 \
             WHERE hash = $1 AND account_id = $2 AND signer_id = $6",
            params![
                *old_hash,
                account,
                s.hash,
                s.verified_at,
                s.expires_at,
                s.signer_id
            ],
        )
        .await?;
    if replaced == 0 {
        // Dropping the transaction undoes the use of the code.
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}
