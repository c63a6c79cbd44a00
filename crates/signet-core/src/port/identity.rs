//! Signer authentication at an external OpenID Connect identity provider (`auth_method`
//! `oidc`): where to send the signer's browser, and turning the code it comes back with into
//! a verified identity. The core makes and checks `state`, the nonce and the PKCE pair; the
//! adapter (`signet-worker`'s `oidc`) speaks HTTP and validates the ID token.

use async_trait::async_trait;
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// What the authorization request carries.
#[derive(Clone, Copy, Debug)]
pub struct AuthorizationRequest<'a> {
    /// The opaque value the provider hands back to the callback.
    pub state: &'a str,
    /// The value the ID token must carry as `nonce`.
    pub nonce: &'a str,
    /// `BASE64URL(SHA-256(code_verifier))` (PKCE S256).
    pub code_challenge: &'a str,
    /// Where the provider sends the browser back.
    pub redirect_uri: &'a str,
}

/// What the code exchange needs.
#[derive(Clone, Copy, Debug)]
pub struct CodeExchange<'a> {
    /// The authorization code from the callback.
    pub code: &'a str,
    /// The PKCE verifier whose challenge went out with the authorization request.
    pub code_verifier: &'a str,
    /// The nonce the ID token must carry.
    pub nonce: &'a str,
    /// The redirect URI of the authorization request.
    pub redirect_uri: &'a str,
    /// The time `exp` and `iat` are checked against.
    pub now: OffsetDateTime,
}

/// An identity the provider vouched for in a valid ID token.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedIdentity {
    /// The token's `iss` (the configured issuer).
    pub issuer: String,
    /// The token's `sub`.
    pub subject: String,
    /// The claims recorded as evidence (`name`, `email`, `birthdate`, …, as present).
    pub claims: Map<String, Value>,
    /// SHA-256 of the ID token as received.
    pub id_token_sha256: [u8; 32],
}

/// Why a login at a provider did not give an identity.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// No provider of that name is configured.
    #[error("no identity provider named {0:?} is configured")]
    UnknownProvider(String),
    /// The provider could not be reached or answered nonsense (discovery, keys, token
    /// endpoint); trying again later may work.
    #[error("the identity provider is unavailable: {0}")]
    Unavailable(String),
    /// The provider refused the code, or its ID token failed validation (signature, issuer,
    /// audience, time, nonce); the signer must log in again.
    #[error("the identity provider's answer was not accepted: {0}")]
    Rejected(String),
    /// A claim the operator requires is not in the token (or userinfo).
    #[error("the identity provider did not vouch for the required claim {0:?}")]
    ClaimMissing(String),
}

/// The configured identity providers.
#[async_trait]
pub trait IdentityProviders: Send + Sync {
    /// Whether a provider named `name` is configured.
    fn has(&self, name: &str) -> bool;
    /// The URL of `provider`'s authorization endpoint for `request` (code flow, PKCE S256).
    async fn authorization_url(
        &self,
        provider: &str,
        request: &AuthorizationRequest<'_>,
    ) -> Result<String, IdentityError>;
    /// Exchanges the code at `provider`'s token endpoint and validates the ID token.
    async fn exchange(
        &self,
        provider: &str,
        exchange: &CodeExchange<'_>,
    ) -> Result<VerifiedIdentity, IdentityError>;
}
