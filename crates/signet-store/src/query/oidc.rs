//! Signer logins at an OpenID Connect identity provider: the logins under way (only the
//! SHA-256 of their state), their single use, and the verified browser session they yield.

use signet_core::id::AccountId;
use signet_core::model::{SignerOidcRequest, SignerSession};
use signet_core::port::StoreError;
use time::OffsetDateTime;

use crate::decode;
use crate::engine::Engine;
use crate::param::params;

/// See [`signet_core::port::Store::create_signer_oidc_request`].
pub(crate) async fn create_signer_oidc_request(
    engine: &dyn Engine,
    r: &SignerOidcRequest,
) -> Result<(), StoreError> {
    let mut tx = engine.write().await?;
    tx.execute(
        "INSERT INTO signer_oidc_requests (state_hash, account_id, envelope_id, signer_id, \
         generation, provider, session_hash, created_at, expires_at, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        params![
            r.state_hash,
            r.account_id,
            r.envelope_id,
            r.signer_id,
            i64::from(r.generation),
            &r.provider,
            r.session_hash,
            r.created_at,
            r.expires_at,
            r.used_at,
        ],
    )
    .await?;
    tx.commit().await
}

/// See [`signet_core::port::Store::signer_oidc_request`].
pub(crate) async fn signer_oidc_request(
    engine: &dyn Engine,
    state_hash: &[u8; 32],
) -> Result<Option<SignerOidcRequest>, StoreError> {
    engine
        .first(
            "SELECT * FROM signer_oidc_requests WHERE state_hash = $1",
            params![*state_hash],
            decode::signer_oidc_request,
        )
        .await
}

/// See [`signet_core::port::Store::use_signer_oidc_request`].
pub(crate) async fn use_signer_oidc_request(
    engine: &dyn Engine,
    account: AccountId,
    state_hash: &[u8; 32],
    at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    let used = tx
        .execute(
            "UPDATE signer_oidc_requests SET used_at = $3 \
             WHERE state_hash = $1 AND account_id = $2 AND used_at IS NULL",
            params![*state_hash, account, at],
        )
        .await?;
    tx.commit().await?;
    Ok(used == 1)
}

/// See [`signet_core::port::Store::replace_signer_session`].
pub(crate) async fn replace_signer_session(
    engine: &dyn Engine,
    account: AccountId,
    old_hash: &[u8; 32],
    s: &SignerSession,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    let replaced = tx
        .execute(
            "UPDATE signer_sessions SET hash = $3, verified_at = $4, expires_at = $5 \
             WHERE hash = $1 AND account_id = $2 AND signer_id = $6 AND generation = $7",
            params![
                *old_hash,
                account,
                s.hash,
                s.verified_at,
                s.expires_at,
                s.signer_id,
                i64::from(s.generation)
            ],
        )
        .await?;
    tx.commit().await?;
    Ok(replaced == 1)
}
