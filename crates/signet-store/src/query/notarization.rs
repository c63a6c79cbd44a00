//! Looking documents up by id or by hash, and notarization certificates.

use signet_core::id::{AccountId, DocumentId, EnvelopeId};
use signet_core::model::{Notarization, StoredFile};
use signet_core::port::StoreError;

use crate::engine::Engine;
use crate::param::params;
use crate::row::{Columns, Required};

/// See [`signet_core::port::Store::envelope_of_document`].
pub(crate) async fn envelope_of_document(
    engine: &dyn Engine,
    account: AccountId,
    document: DocumentId,
) -> Result<Option<EnvelopeId>, StoreError> {
    engine
        .first(
            "SELECT d.envelope_id AS envelope_id FROM documents d \
             JOIN envelopes e ON e.id = d.envelope_id AND e.account_id = d.account_id \
             WHERE d.account_id = $1 AND d.id = $2 AND e.deleted_at IS NULL",
            params![account, document],
            |row| Ok(EnvelopeId::from_uuid(row.req_id("envelope_id")?)),
        )
        .await
}

/// See [`signet_core::port::Store::envelope_by_original_sha256`].
pub(crate) async fn envelope_by_original_sha256(
    engine: &dyn Engine,
    account: AccountId,
    sha256: &[u8; 32],
) -> Result<Option<(EnvelopeId, DocumentId)>, StoreError> {
    engine
        .first(
            "SELECT d.envelope_id AS envelope_id, d.id AS document_id FROM documents d \
             JOIN envelopes e ON e.id = d.envelope_id AND e.account_id = d.account_id \
             WHERE d.account_id = $1 AND d.original_sha256 = $2 AND e.deleted_at IS NULL \
             ORDER BY e.id DESC, d.position LIMIT 1",
            params![account, *sha256],
            |row| {
                Ok((
                    EnvelopeId::from_uuid(row.req_id("envelope_id")?),
                    DocumentId::from_uuid(row.req_id("document_id")?),
                ))
            },
        )
        .await
}

fn notarization_row(r: &dyn Columns) -> Result<Notarization, StoreError> {
    let size = u64::try_from(r.req_int("certificate_size")?)
        .map_err(|_| StoreError::Corrupt("notarizations.certificate_size is negative".into()))?;
    Ok(Notarization {
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        document_sha256: r.req_hash("document_sha256")?,
        certificate: StoredFile {
            blob_key: r.req_text("blob_key")?,
            sha256: r.req_hash("certificate_sha256")?,
            size,
        },
        created_at: r.req_time("created_at")?,
    })
}

/// See [`signet_core::port::Store::put_notarization`].
pub(crate) async fn put_notarization(
    engine: &dyn Engine,
    n: &Notarization,
) -> Result<Notarization, StoreError> {
    let size = i64::try_from(n.certificate.size)
        .map_err(|_| StoreError::Corrupt("certificate size out of range".into()))?;
    engine
        .execute(
            "INSERT INTO notarizations (account_id, document_sha256, blob_key, \
             certificate_sha256, certificate_size, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (account_id, document_sha256) DO NOTHING",
            params![
                n.account_id,
                n.document_sha256,
                &n.certificate.blob_key,
                n.certificate.sha256,
                size,
                n.created_at,
            ],
        )
        .await?;
    notarization(engine, n.account_id, &n.document_sha256)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the notarization just stored is missing".into()))
}

/// See [`signet_core::port::Store::notarization`].
pub(crate) async fn notarization(
    engine: &dyn Engine,
    account: AccountId,
    document_sha256: &[u8; 32],
) -> Result<Option<Notarization>, StoreError> {
    engine
        .first(
            "SELECT * FROM notarizations WHERE account_id = $1 AND document_sha256 = $2",
            params![account, *document_sha256],
            notarization_row,
        )
        .await
}

/// See [`signet_core::port::Store::notarization_by_certificate`].
pub(crate) async fn notarization_by_certificate(
    engine: &dyn Engine,
    account: AccountId,
    certificate_sha256: &[u8; 32],
) -> Result<Option<Notarization>, StoreError> {
    engine
        .first(
            "SELECT * FROM notarizations WHERE account_id = $1 AND certificate_sha256 = $2",
            params![account, *certificate_sha256],
            notarization_row,
        )
        .await
}
