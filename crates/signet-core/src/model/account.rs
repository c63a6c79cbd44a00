use time::OffsetDateTime;

use crate::id::{AccountId, ApiKeyId, UserId};
use crate::model::text_enum;

/// An account (tenant): the owner of envelopes, users and credentials.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    /// Its id.
    pub id: AccountId,
    /// Display name, used in emails and the proof document.
    pub name: String,
    /// The callback signing secret, encrypted with the instance master key (AES-256-GCM).
    pub webhook_secret_sealed: Vec<u8>,
    /// PAdES baseline level for this account's sealed documents; `None` uses the instance
    /// default (`SIGNET_PADES_LEVEL`).
    pub pades_level: Option<signet_pdf::PadesLevel>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// What a user may do within its account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserRole {
    /// Full control, including the account itself.
    Owner,
    /// Manages users, credentials and all envelopes.
    Admin,
    /// Works with envelopes.
    Member,
}
text_enum!(UserRole { Owner => "owner", Admin => "admin", Member => "member" });

/// A person who logs in to an account.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The account it belongs to.
    pub account_id: AccountId,
    /// Login e-mail address (unique per instance, compared case-insensitively).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Argon2id PHC string of the password.
    pub password_hash: String,
    /// Its role in the account.
    pub role: UserRole,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// When the user was disabled, if it was.
    pub disabled_at: Option<OffsetDateTime>,
}

/// An API key. Only the SHA-256 of the full key is stored; `lookup_id` is its public part.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiKey {
    /// Its id.
    pub id: ApiKeyId,
    /// The account it acts for.
    pub account_id: AccountId,
    /// The user it acts as.
    pub user_id: UserId,
    /// A label chosen by its creator.
    pub name: String,
    /// The non-secret identifier embedded in the key, used to find it.
    pub lookup_id: String,
    /// SHA-256 of the whole key text.
    pub secret_hash: [u8; 32],
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// When it stops working, if ever.
    pub expires_at: Option<OffsetDateTime>,
    /// When it was last used to authenticate.
    pub last_used_at: Option<OffsetDateTime>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<OffsetDateTime>,
}
