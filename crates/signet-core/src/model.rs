//! The domain's data: plain structs and enums, free of storage and transport concerns.

mod account;
mod contact;
mod dialect_key;
mod document;
mod download_link;
mod envelope;
mod event;
mod expected_identity;
mod field;
mod job;
mod notarization;
mod oauth;
mod otp;
mod password_reset;
mod reminder;
mod retention;
mod signer;
mod statement;
mod webhook;

pub use account::{Account, ApiKey, KeyKind, Scope, Scopes, User, UserRole};
pub use contact::Contact;
pub use dialect_key::{DialectKey, KeyedObject};
pub use document::{Document, PageSize, SignedRevision, SourceFile, StoredFile, Tag};
pub use download_link::{
    ATTACHMENT_LIMIT_BYTES, CompletedDocuments, DOWNLOAD_LINK_DAYS, DownloadLink,
};
pub use envelope::{Envelope, EnvelopeRecord, EnvelopeStatus, SigningOrder};
pub use event::{Actor, AuditEvent, ChainHead, ChainReport, EventKind};
pub use expected_identity::{ExpectedIdentity, IdentityMismatch, iso_date};
pub use field::{Field, FieldKind, FieldValue, Rect};
pub use job::{Job, JobPayload, JobQueueCount, JobStatus, NewJob, NoticeKind};
pub use notarization::Notarization;
pub use oauth::{AuthCode, GrantType, OAuthClient, OAuthToken, TokenKind, WebSession};
pub use otp::{
    OtpChannel, OtpQuota, SignerAuthPass, SignerOidcRequest, SignerOtp, SignerSession,
    normalized_email,
};
pub use password_reset::{PasswordReset, ResetState};
pub use reminder::{MAX_REMINDER_DAYS, MAX_REMINDERS, ReminderSchedule};
pub use retention::{
    END_OF_MONTH_AFTER_ONE_MONTH, MAX_RETENTION_DAYS, RetentionRule, Tombstone, TombstoneFile,
    TombstoneHash,
};
pub use signer::{
    AdoptedSignature, AuthMethod, Invitation, Language, Signer, SignerRole, SignerStatus,
    SigningEvidence,
};
/// The PAdES baseline levels (the PDF engine's type, re-exported for the adapters).
pub use signet_pdf::{PadesLevel, ScriptFont};
pub use statement::{
    MAX_STATEMENT_ID, MAX_STATEMENT_LABEL, MAX_STATEMENTS, Statement, StatementId,
};
pub use webhook::{
    DeliveryStatus, Subscription, WEBHOOK_ATTEMPTS, WEBHOOK_EVENT_TYPES, WebhookAttempt,
    WebhookDelivery, WebhookEndpoint, WebhookMessage,
};

/// Implements `as_str`/`parse` for a fieldless enum stored and sent as snake_case text.
macro_rules! text_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            /// The stable text form used in storage and on the wire.
            pub fn as_str(&self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
            /// Parses the text form; `None` for anything else.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;
