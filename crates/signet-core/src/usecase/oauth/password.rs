//! The resource owner password credentials grant (RFC 6749 §4.3), for front doors whose
//! vendor documents log in with a user's login and password (the Acronis dialect's
//! `/api/2/idp/token`). It is nowhere on the native token endpoint.
//!
//! The tokens are ordinary access tokens (`sat_…`) acting as the user with the user's role
//! scopes, issued to the account's password-grant client: a public client with no grant
//! types and no redirect URIs (so it can do nothing else), made on first use with an id
//! derived from the account's. Deleting it revokes every token the grant issued; the next
//! grant makes it again. Each account can turn the grant off
//! ([`Signet::set_password_grant`](crate::service::Signet::set_password_grant)).

use uuid::Uuid;

use super::OAuthError;
use super::token::{Grant, TokenResponse, narrower_scope};
use crate::id::{AccountId, OAuthClientId};
use crate::model::{OAuthClient, Scopes, User};
use crate::port::StoreError;
use crate::secret::{sha256, verify_password};
use crate::service::Signet;
use crate::usecase::account::role_scopes;

/// The name the password-grant client is listed under.
pub const CLIENT_NAME: &str = "Password grant (Acronis dialect)";

/// The id of an account's password-grant client: derived, so every node finds the same one.
pub fn password_client_id(account: AccountId) -> OAuthClientId {
    let mut input = b"signet-password-grant-client\0".to_vec();
    input.extend_from_slice(account.to_string().as_bytes());
    let digest = sha256(&input);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    OAuthClientId::from_uuid(uuid::Builder::from_random_bytes(bytes).into_uuid())
}

fn wrong_credentials() -> OAuthError {
    OAuthError::invalid_grant("the login or the password is wrong")
}

impl Signet {
    /// Answers a password grant: `username` is the user's login e-mail. A wrong password, an
    /// unknown login and a disabled user all answer `invalid_grant` alike, after the same
    /// argon2 work; an account that turned the grant off answers `unauthorized_client` (only
    /// to a caller who knows the password). `scope` may narrow the user's role scopes.
    pub async fn password_grant(
        &self,
        username: &str,
        password: &str,
        scope: Option<&str>,
    ) -> Result<TokenResponse, OAuthError> {
        let user = self.store_ref().user_by_email(username.trim()).await?;
        let phc = user
            .as_ref()
            .map_or(super::session::decoy_hash(), |u| u.password_hash.as_str())
            .to_owned();
        let password = password.to_owned();
        let verified = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
            .await
            .map_err(|err| crate::CoreError::Internal(format!("password check failed: {err}")))?;
        let user = user
            .filter(|u| verified && u.disabled_at.is_none())
            .ok_or_else(wrong_credentials)?;
        let account = self
            .store_ref()
            .account(user.account_id)
            .await?
            .ok_or_else(wrong_credentials)?;
        if !account.password_grant {
            return Err(OAuthError::new(
                "unauthorized_client",
                "the password grant is turned off for this account",
            ));
        }
        let scopes = narrower_scope(scope, role_scopes(user.role))?;
        if scopes.is_empty() {
            return Err(OAuthError::new("invalid_scope", "no scope can be granted"));
        }
        let client = self.password_client(&user).await?;
        let grant = Grant {
            client,
            user_id: user.id,
            scopes,
            family_id: Uuid::now_v7(),
            with_refresh: false,
        };
        self.issue(grant, None).await
    }

    /// The account's password-grant client, made now if it does not exist yet.
    async fn password_client(&self, user: &User) -> Result<OAuthClient, OAuthError> {
        let id = password_client_id(user.account_id);
        if let Some(client) = self.store_ref().oauth_client(id).await? {
            return Ok(client);
        }
        let client = OAuthClient {
            id,
            account_id: user.account_id,
            user_id: user.id,
            name: CLIENT_NAME.into(),
            redirect_uris: Vec::new(),
            secret_hash: None,
            grants: Vec::new(),
            scopes: Scopes::ALL,
            created_at: self.now(),
        };
        match self.store_ref().create_oauth_client(&client).await {
            Ok(()) => Ok(client),
            // Another request made it first.
            Err(StoreError::Duplicate(_) | StoreError::VersionConflict) => self
                .store_ref()
                .oauth_client(id)
                .await?
                .ok_or_else(|| OAuthError::new("server_error", "the client vanished")),
            Err(err) => Err(err.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_account_has_its_own_stable_password_client() {
        let a = AccountId::generate();
        let b = AccountId::generate();
        assert_eq!(password_client_id(a), password_client_id(a));
        assert_ne!(password_client_id(a), password_client_id(b));
    }
}
