//! Notarization certificates: a sealed PDF binding a document's SHA-256 to a time.

use time::OffsetDateTime;

use crate::id::AccountId;
use crate::model::StoredFile;

/// A notarization certificate of one account for one document hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notarization {
    /// The account it belongs to.
    pub account_id: AccountId,
    /// The SHA-256 of the document it certifies.
    pub document_sha256: [u8; 32],
    /// The sealed certificate PDF (its own SHA-256 is the certificate id).
    pub certificate: StoredFile,
    /// When it was sealed: the time the certificate binds the hash to.
    pub created_at: OffsetDateTime,
}
