//! OAuth2 authorization-server data: registered clients, authorization codes, access and
//! refresh tokens, and the web sessions of users who log in to approve clients. Secrets are
//! never held here in clear: only their SHA-256.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::id::{AccountId, OAuthClientId, OAuthTokenId, UserId};
use crate::model::{Scopes, text_enum};

/// An OAuth2 grant type a client may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantType {
    /// The authorization code grant (RFC 6749 §4.1), with PKCE.
    AuthorizationCode,
    /// Exchanging a refresh token (RFC 6749 §6), rotated on every use.
    RefreshToken,
    /// The client credentials grant (RFC 6749 §4.4): the client acts for its registering user.
    ClientCredentials,
}
text_enum!(GrantType {
    AuthorizationCode => "authorization_code",
    RefreshToken => "refresh_token",
    ClientCredentials => "client_credentials",
});

/// An OAuth2 client registered by a user of an account.
#[derive(Clone, Debug, PartialEq)]
pub struct OAuthClient {
    /// Its id, which is also the public `client_id`.
    pub id: OAuthClientId,
    /// The account it belongs to.
    pub account_id: AccountId,
    /// The user who registered it; client-credentials tokens act for this user.
    pub user_id: UserId,
    /// Shown on the consent page.
    pub name: String,
    /// The redirect URIs the authorization endpoint accepts (exact match).
    pub redirect_uris: Vec<String>,
    /// SHA-256 of the client secret; `None` for a public client.
    pub secret_hash: Option<[u8; 32]>,
    /// The grant types it may use.
    pub grants: Vec<GrantType>,
    /// The most it may ask for.
    pub scopes: Scopes,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

impl OAuthClient {
    /// True for a confidential client (one with a secret).
    pub fn is_confidential(&self) -> bool {
        self.secret_hash.is_some()
    }

    /// True when the client may use `grant`.
    pub fn allows(&self, grant: GrantType) -> bool {
        self.grants.contains(&grant)
    }
}

/// An authorization code, stored by the SHA-256 of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthCode {
    /// SHA-256 of the code.
    pub hash: [u8; 32],
    /// The client it was issued to.
    pub client_id: OAuthClientId,
    /// The account of the client and the user.
    pub account_id: AccountId,
    /// The user who approved it.
    pub user_id: UserId,
    /// The redirect URI it was sent to.
    pub redirect_uri: String,
    /// The scopes granted.
    pub scopes: Scopes,
    /// The PKCE S256 challenge, when the client sent one.
    pub code_challenge: Option<String>,
    /// The family of the tokens it is exchanged for (revoked if the code is replayed).
    pub family_id: Uuid,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// After this it cannot be exchanged.
    pub expires_at: OffsetDateTime,
    /// When it was exchanged; a second exchange is a replay.
    pub used_at: Option<OffsetDateTime>,
}

/// Whether an [`OAuthToken`] is an access or a refresh token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A Bearer credential for the API (`sat_…`).
    Access,
    /// Exchanged at the token endpoint for new tokens (`srt_…`).
    Refresh,
}
text_enum!(TokenKind { Access => "access", Refresh => "refresh" });

/// An issued access or refresh token, stored by the SHA-256 of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct OAuthToken {
    /// Its id.
    pub id: OAuthTokenId,
    /// SHA-256 of the token.
    pub hash: [u8; 32],
    /// Access or refresh.
    pub kind: TokenKind,
    /// The account it acts in.
    pub account_id: AccountId,
    /// The client it was issued to.
    pub client_id: OAuthClientId,
    /// The user it acts for.
    pub user_id: UserId,
    /// What it may do (further limited by the user's role when used).
    pub scopes: Scopes,
    /// Every token descending from one grant shares a family; reuse revokes the family.
    pub family_id: Uuid,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// When a refresh token was exchanged (rotated); a second exchange is a reuse.
    pub used_at: Option<OffsetDateTime>,
    /// When it was revoked.
    pub revoked_at: Option<OffsetDateTime>,
}

/// A logged-in user's browser session, stored by the SHA-256 of its cookie value.
#[derive(Clone, Debug, PartialEq)]
pub struct WebSession {
    /// SHA-256 of the cookie value.
    pub hash: [u8; 32],
    /// The user's account.
    pub account_id: AccountId,
    /// The user.
    pub user_id: UserId,
    /// Login time.
    pub created_at: OffsetDateTime,
    /// Last request seen (for the idle timeout).
    pub last_seen_at: OffsetDateTime,
    /// Absolute end, whatever the activity.
    pub expires_at: OffsetDateTime,
}
