//! Completed documents: the account setting (`accounts.completed_documents`) and the download
//! links of completed envelopes (`download_links`, tokens stored as SHA-256 only).

use signet_core::id::{AccountId, EnvelopeId, SignerId};
use signet_core::model::{CompletedDocuments, DownloadLink};
use signet_core::port::StoreError;

use crate::engine::Engine;
use crate::param::params;
use crate::row::Required;

/// See [`signet_core::port::Store::account_completed_documents`].
pub(crate) async fn account_completed_documents(
    engine: &dyn Engine,
    account: AccountId,
) -> Result<Option<CompletedDocuments>, StoreError> {
    let stored = engine
        .first(
            "SELECT completed_documents FROM accounts WHERE id = $1",
            params![account],
            |row| row.text("completed_documents"),
        )
        .await?;
    stored
        .flatten()
        .map(|text| {
            CompletedDocuments::parse(&text).ok_or_else(|| {
                StoreError::Corrupt(format!("accounts.completed_documents holds {text:?}"))
            })
        })
        .transpose()
}

/// See [`signet_core::port::Store::set_account_completed_documents`].
pub(crate) async fn set_account_completed_documents(
    engine: &dyn Engine,
    account: AccountId,
    choice: Option<CompletedDocuments>,
) -> Result<bool, StoreError> {
    let changed = engine
        .execute(
            "UPDATE accounts SET completed_documents = $2 WHERE id = $1",
            params![account, choice.map(|c| c.as_str())],
        )
        .await?;
    Ok(changed == 1)
}

/// See [`signet_core::port::Store::insert_download_link`].
pub(crate) async fn insert_download_link(
    engine: &dyn Engine,
    link: &DownloadLink,
) -> Result<(), StoreError> {
    engine
        .execute(
            "INSERT INTO download_links (id, account_id, envelope_id, signer_id, token_hash, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            params![
                link.id,
                link.account_id,
                link.envelope_id,
                link.signer_id,
                link.token_hash,
                link.created_at,
                link.expires_at
            ],
        )
        .await?;
    Ok(())
}

/// See [`signet_core::port::Store::download_link_by_hash`].
pub(crate) async fn download_link_by_hash(
    engine: &dyn Engine,
    token_hash: &[u8; 32],
) -> Result<Option<DownloadLink>, StoreError> {
    engine
        .first(
            "SELECT * FROM download_links WHERE token_hash = $1",
            params![*token_hash],
            |row| {
                let hash = row.req_bytes("token_hash")?;
                Ok(DownloadLink {
                    id: row.req_id("id")?,
                    account_id: AccountId::from_uuid(row.req_id("account_id")?),
                    envelope_id: EnvelopeId::from_uuid(row.req_id("envelope_id")?),
                    signer_id: row.id("signer_id")?.map(SignerId::from_uuid),
                    token_hash: hash.try_into().map_err(|_| {
                        StoreError::Corrupt("download_links.token_hash is not 32 bytes".into())
                    })?,
                    created_at: row.req_time("created_at")?,
                    expires_at: row.req_time("expires_at")?,
                })
            },
        )
        .await
}
