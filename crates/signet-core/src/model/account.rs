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
    /// Whether the password grant (user login and password for a token, the Acronis
    /// dialect's token endpoint) works for this account's users.
    pub password_grant: bool,
    /// How many days a reactivated envelope stays open; `None` uses the default (30).
    pub reactivation_days: Option<i32>,
    /// The language of recipients added without one (and of mails to the account's users
    /// about its envelopes); `None` is English.
    pub default_language: Option<crate::model::Language>,
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

/// What a credential may do. Every route of every front door needs one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Read envelopes, documents and settings.
    Read,
    /// Create, change, send and delete envelopes.
    Write,
    /// Manage the account: its settings, users, credentials and OAuth2 clients.
    Admin,
}
text_enum!(Scope { Read => "read", Write => "write", Admin => "admin" });

/// A set of [`Scope`]s, written as space-separated names (the OAuth2 `scope` form).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Scopes(u8);

impl Scopes {
    /// Every scope.
    pub const ALL: Scopes = Scopes(0b111);

    /// The set holding exactly `scopes`.
    pub fn of(scopes: &[Scope]) -> Self {
        Self(scopes.iter().fold(0, |bits, s| bits | Self::bit(*s)))
    }

    fn bit(scope: Scope) -> u8 {
        1 << (scope as u8)
    }

    /// True when `scope` is in the set.
    pub fn contains(self, scope: Scope) -> bool {
        self.0 & Self::bit(scope) != 0
    }

    /// True when every scope of `other` is in the set.
    pub fn covers(self, other: Scopes) -> bool {
        other.0 & !self.0 == 0
    }

    /// The scopes in both sets.
    pub fn intersect(self, other: Scopes) -> Scopes {
        Scopes(self.0 & other.0)
    }

    /// True when the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The scopes in the set, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL
            .iter()
            .copied()
            .filter(move |s| self.contains(*s))
    }

    /// Parses space-separated scope names (duplicates allowed); `None` when one is unknown.
    pub fn parse(text: &str) -> Option<Self> {
        text.split_ascii_whitespace()
            .map(Scope::parse)
            .collect::<Option<Vec<_>>>()
            .map(|scopes| Self::of(&scopes))
    }
}

impl std::fmt::Display for Scopes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.iter().map(|s| s.as_str()).collect();
        f.write_str(&names.join(" "))
    }
}

/// Which kind of credential an [`ApiKey`] row is. Both are Bearer secrets stored as hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// An account API key (`sk_…`), made by an admin for an integration.
    ApiKey,
    /// A user's personal access token (`pat_…`), by default valid for a month.
    Personal,
}
text_enum!(KeyKind { ApiKey => "api_key", Personal => "personal" });

/// An API key or personal access token. Only the SHA-256 of the full key is stored;
/// `lookup_id` is its public part.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiKey {
    /// Its id.
    pub id: ApiKeyId,
    /// The account it acts for.
    pub account_id: AccountId,
    /// The user it acts as.
    pub user_id: UserId,
    /// API key or personal access token.
    pub kind: KeyKind,
    /// What it may do.
    pub scopes: Scopes,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_through_their_text_form() {
        let rw = Scopes::parse("write  read write").unwrap();
        assert_eq!(rw, Scopes::of(&[Scope::Read, Scope::Write]));
        assert_eq!(rw.to_string(), "read write");
        assert_eq!(Scopes::parse(&Scopes::ALL.to_string()), Some(Scopes::ALL));
        assert_eq!(Scopes::parse("read delete"), None);
        assert!(Scopes::parse("").unwrap().is_empty());
    }

    #[test]
    fn scope_sets_compare_and_intersect() {
        let read = Scopes::of(&[Scope::Read]);
        assert!(Scopes::ALL.covers(read));
        assert!(!read.covers(Scopes::ALL));
        assert!(read.contains(Scope::Read) && !read.contains(Scope::Admin));
        assert_eq!(Scopes::ALL.intersect(read), read);
    }
}
