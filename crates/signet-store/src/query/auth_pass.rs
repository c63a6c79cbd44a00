//! Extended authentication sessions of signers: auth passes, stored by the SHA-256 of their
//! cookie and read only within one account.

use signet_core::id::AccountId;
use signet_core::model::SignerAuthPass;
use signet_core::port::StoreError;

use crate::decode;
use crate::engine::Engine;
use crate::param::params;

/// See [`signet_core::port::Store::create_signer_auth_pass`].
pub(crate) async fn create_signer_auth_pass(
    engine: &dyn Engine,
    p: &SignerAuthPass,
) -> Result<(), StoreError> {
    let mut tx = engine.write().await?;
    tx.execute(
        "INSERT INTO signer_auth_passes (hash, account_id, email, method, phone, \
         identity_provider, envelope_id, signer_id, generation, event_seq, verified_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        params![
            p.hash,
            p.account_id,
            &p.email,
            p.method.as_str(),
            p.phone.as_ref(),
            p.identity_provider.as_ref(),
            p.envelope_id,
            p.signer_id,
            i64::from(p.generation),
            p.event_seq,
            p.verified_at,
            p.expires_at,
        ],
    )
    .await?;
    tx.commit().await
}

/// See [`signet_core::port::Store::signer_auth_pass`].
pub(crate) async fn signer_auth_pass(
    engine: &dyn Engine,
    account: AccountId,
    hash: &[u8; 32],
) -> Result<Option<SignerAuthPass>, StoreError> {
    engine
        .first(
            "SELECT * FROM signer_auth_passes WHERE hash = $1 AND account_id = $2",
            params![*hash, account],
            decode::signer_auth_pass,
        )
        .await
}
