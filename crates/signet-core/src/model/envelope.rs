use time::OffsetDateTime;

use crate::id::{AccountId, EnvelopeId, UserId};
use crate::model::{ChainHead, Document, Field, Signer, Statement, StoredFile, text_enum};

/// Where an envelope is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnvelopeStatus {
    /// Being prepared: documents and signers can be added.
    Draft,
    /// Sent: signers are signing.
    InProgress,
    /// Everyone has signed; the seal job is producing the signed PDF and the proof.
    Sealing,
    /// Sealed: the signed PDF and proof can be downloaded.
    Completed,
    /// A signer declined.
    Declined,
    /// The expiry time passed before everyone signed.
    Expired,
    /// The sender canceled it.
    Canceled,
}
text_enum!(EnvelopeStatus {
    Draft => "draft",
    InProgress => "in_progress",
    Sealing => "sealing",
    Completed => "completed",
    Declined => "declined",
    Expired => "expired",
    Canceled => "canceled",
});

impl EnvelopeStatus {
    /// True when nothing can happen to the envelope any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Declined | Self::Expired | Self::Canceled
        )
    }
}

/// Whether signers sign one after another or all at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigningOrder {
    /// By ascending `order`; signers with the same `order` sign in parallel.
    Sequential,
    /// Everyone at once.
    Parallel,
}
text_enum!(SigningOrder { Sequential => "sequential", Parallel => "parallel" });

/// A signature request: the root of the envelope aggregate.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    /// Its id.
    pub id: EnvelopeId,
    /// The owning account; every query is scoped by it.
    pub account_id: AccountId,
    /// The user on whose behalf it was created.
    pub created_by: UserId,
    /// Title (also the e-mail subject).
    pub title: String,
    /// Message to the signers.
    pub message: Option<String>,
    /// The client's own key, unique per account.
    pub external_key: Option<String>,
    /// Sequential or parallel.
    pub signing_order: SigningOrder,
    /// Current status.
    pub status: EnvelopeStatus,
    /// When signing stops being possible.
    pub expires_at: Option<OffsetDateTime>,
    /// URL called when the envelope completes or is declined.
    pub callback_url: Option<String>,
    /// Where a signer's browser goes after signing or declining when the signer has no
    /// `redirect_url` of their own.
    pub result_url: Option<String>,
    /// The callback URL also hears `envelope.sent`, not only the outcomes (the OKdokument
    /// `sendInfoURL` is called on every status change).
    pub status_callbacks: bool,
    /// What every signer must accept before signing, in the order shown.
    pub statements: Vec<Statement>,
    /// Extended authentication sessions: a signer who verified (one-time code or identity
    /// provider) on another envelope of the account that has this on too may reuse that
    /// verification in the same browser for 30 minutes (see `usecase::auth_pass`).
    pub extended_auth_session: bool,
    /// The sealed proof document, once completed.
    pub proof: Option<StoredFile>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// When it was sent.
    pub sent_at: Option<OffsetDateTime>,
    /// When it reached a final status.
    pub finished_at: Option<OffsetDateTime>,
    /// When it was deleted through the API (hidden from then on; evidence kept).
    pub deleted_at: Option<OffsetDateTime>,
    /// Optimistic-concurrency version: every write checks and increments it.
    pub version: i64,
}

/// An envelope with everything that belongs to it, as loaded in one read.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvelopeRecord {
    /// The envelope row.
    pub envelope: Envelope,
    /// Its documents, by position.
    pub documents: Vec<Document>,
    /// Its signers, by (order, creation).
    pub signers: Vec<Signer>,
    /// All fields of all signers.
    pub fields: Vec<Field>,
    /// The last audit event's sequence number and hash (`None` before the first event).
    pub chain_head: Option<ChainHead>,
}
