//! How a completed envelope's signed documents reach its parties: attached to the completed
//! e-mail, or behind a download link per recipient.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::id::{AccountId, EnvelopeId, SignerId};
use crate::model::text_enum;

/// The account's choice for the completed e-mail (default: attach).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletedDocuments {
    /// The sealed PDFs are attached (a link instead when they exceed
    /// [`ATTACHMENT_LIMIT_BYTES`]).
    Attach,
    /// A download link per recipient, never attachments.
    Link,
}
text_enum!(CompletedDocuments { Attach => "attach", Link => "link" });

/// By default, above this many bytes of sealed PDFs the completed e-mail carries a link even
/// when the account attaches (`SIGNET_MAIL_ATTACHMENT_LIMIT_BYTES`) (mail servers commonly refuse messages over 10 to 25 MB, and base64 adds a
/// third).
pub const ATTACHMENT_LIMIT_BYTES: u64 = 10 * 1024 * 1024;

/// How long a download link works, in days.
pub const DOWNLOAD_LINK_DAYS: i64 = 30;

/// A recipient's link to a completed envelope's sealed documents. The token is 256 random
/// bits, mailed once; only its SHA-256 is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DownloadLink {
    /// Its id.
    pub id: Uuid,
    /// The envelope's account.
    pub account_id: AccountId,
    /// The envelope whose sealed documents it serves (and nothing else).
    pub envelope_id: EnvelopeId,
    /// The recipient; `None` is the user who created the envelope.
    pub signer_id: Option<SignerId>,
    /// SHA-256 of the token.
    pub token_hash: [u8; 32],
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
}
