//! Bearer credentials: access tokens (`sat_…`) and API keys, told apart by their prefix.

use crate::CoreError;
use crate::model::TokenKind;
use crate::secret::sha256;
use crate::service::Signet;
use crate::usecase::account::{Credential, Principal, role_scopes};

impl Signet {
    /// Resolves any Bearer credential to its principal. Every failure looks the same.
    pub async fn authenticate(&self, bearer: &str) -> Result<Principal, CoreError> {
        if bearer.starts_with(super::ACCESS_PREFIX) {
            self.authenticate_access_token(bearer).await
        } else {
            self.authenticate_api_key(bearer).await
        }
    }

    /// Resolves an OAuth2 access token: live (not expired, not revoked), its user active; its
    /// scopes never exceed the user's role.
    pub async fn authenticate_access_token(&self, text: &str) -> Result<Principal, CoreError> {
        let now = self.now();
        let token = self
            .store_ref()
            .oauth_token(&sha256(text.as_bytes()))
            .await?
            .filter(|t| t.kind == TokenKind::Access && t.revoked_at.is_none() && now < t.expires_at)
            .ok_or(CoreError::Unauthenticated)?;
        let user = self
            .store_ref()
            .user(token.account_id, token.user_id)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or(CoreError::Unauthenticated)?;
        Ok(Principal {
            account_id: token.account_id,
            user_id: token.user_id,
            role: user.role,
            credential: Credential::OAuth {
                client_id: token.client_id,
                token_id: token.id,
            },
            scopes: token.scopes.intersect(role_scopes(user.role)),
        })
    }
}
