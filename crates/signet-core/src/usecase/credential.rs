//! API keys (an admin's, for integrations) and personal access tokens (any user's own): both
//! are Bearer secrets shown once, stored as hashes, carrying scopes no wider than their
//! creator's, revocable and optionally expiring.

use time::OffsetDateTime;

use crate::CoreError;
use crate::id::{AccountId, ApiKeyId, UserId};
use crate::model::{ApiKey, KeyKind, Scopes};
use crate::secret::api_key;
use crate::service::Signet;
use crate::usecase::account::{Principal, key_prefix};
use crate::usecase::validate;

/// What creating an API key or personal access token asks for.
#[derive(Clone, Debug, Default)]
pub struct NewCredential {
    /// A label for people.
    pub name: String,
    /// The scopes it carries; `None` gives it every scope its creator's credential has.
    pub scopes: Option<Scopes>,
    /// When it stops working. `None`: never for an API key; after the instance's personal
    /// token lifetime (`SIGNET_PAT_TTL_DAYS`) for a personal access token.
    pub expires_at: Option<OffsetDateTime>,
}

/// A new credential and its text, which is shown only now.
#[derive(Clone, Debug)]
pub struct CreatedCredential {
    /// The stored credential (its hash, never the text).
    pub key: ApiKey,
    /// The full key text.
    pub text: String,
}

impl Signet {
    /// Creates an account API key (`sk_…`) acting as the calling admin; owners and admins only.
    pub async fn create_api_key(
        &self,
        who: &Principal,
        new: NewCredential,
    ) -> Result<CreatedCredential, CoreError> {
        who.require_admin()?;
        self.create_credential(who, KeyKind::ApiKey, new).await
    }

    /// The account's API keys (not personal access tokens); owners and admins only.
    pub async fn list_api_keys(&self, who: &Principal) -> Result<Vec<ApiKey>, CoreError> {
        who.require_admin()?;
        let store = self.store_ref();
        Ok(store
            .list_api_keys(who.account_id, KeyKind::ApiKey, None)
            .await?)
    }

    /// Revokes one of the account's API keys; owners and admins only. Revoking a revoked key
    /// succeeds and keeps its first revocation time.
    pub async fn revoke_api_key(&self, who: &Principal, id: ApiKeyId) -> Result<ApiKey, CoreError> {
        who.require_admin()?;
        let key = self
            .credential_of_kind(who, id, KeyKind::ApiKey)
            .await?
            .ok_or(CoreError::NotFound("API key"))?;
        self.revoke_credential(who, key).await
    }

    /// Creates a personal access token (`pat_…`) for the caller, valid for the instance's
    /// personal token lifetime unless `expires_at` says otherwise.
    pub async fn create_personal_token(
        &self,
        who: &Principal,
        mut new: NewCredential,
    ) -> Result<CreatedCredential, CoreError> {
        if new.expires_at.is_none() {
            new.expires_at = Some(self.now() + self.config().personal_token_ttl);
        }
        self.create_credential(who, KeyKind::Personal, new).await
    }

    /// The caller's own personal access tokens.
    pub async fn list_personal_tokens(&self, who: &Principal) -> Result<Vec<ApiKey>, CoreError> {
        let store = self.store_ref();
        Ok(store
            .list_api_keys(who.account_id, KeyKind::Personal, Some(who.user_id))
            .await?)
    }

    /// Revokes a personal access token: the caller's own, or (for owners and admins with the
    /// `admin` scope) any in the account. Another user's token is "not found" to anyone else.
    pub async fn revoke_personal_token(
        &self,
        who: &Principal,
        id: ApiKeyId,
    ) -> Result<ApiKey, CoreError> {
        let token = self
            .credential_of_kind(who, id, KeyKind::Personal)
            .await?
            .filter(|t| t.user_id == who.user_id || who.require_admin().is_ok())
            .ok_or(CoreError::NotFound("personal access token"))?;
        self.revoke_credential(who, token).await
    }

    async fn create_credential(
        &self,
        who: &Principal,
        kind: KeyKind,
        new: NewCredential,
    ) -> Result<CreatedCredential, CoreError> {
        let name = validate::text("name", &new.name, 1, 200)?;
        let scopes = granted_scopes(who.scopes, new.scopes)?;
        let now = self.now();
        if new.expires_at.is_some_and(|at| at <= now) {
            return Err(CoreError::invalid(
                "invalid_expiry",
                "expires_at must be in the future",
            ));
        }
        let spec = KeySpec {
            kind,
            scopes,
            name,
            expires_at: new.expires_at,
        };
        let created = mint_credential(who.account_id, who.user_id, spec, now);
        self.store_ref().create_api_key(&created.key).await?;
        Ok(created)
    }

    async fn credential_of_kind(
        &self,
        who: &Principal,
        id: ApiKeyId,
        kind: KeyKind,
    ) -> Result<Option<ApiKey>, CoreError> {
        let key = self.store_ref().api_key(who.account_id, id).await?;
        Ok(key.filter(|k| k.kind == kind))
    }

    async fn revoke_credential(&self, who: &Principal, key: ApiKey) -> Result<ApiKey, CoreError> {
        let store = self.store_ref();
        store
            .revoke_api_key(who.account_id, key.id, self.now())
            .await?;
        store
            .api_key(who.account_id, key.id)
            .await?
            .ok_or(CoreError::NotFound("credential"))
    }
}

/// What a new credential is, once its request has been checked.
pub(crate) struct KeySpec {
    pub(crate) kind: KeyKind,
    pub(crate) scopes: Scopes,
    pub(crate) name: String,
    pub(crate) expires_at: Option<OffsetDateTime>,
}

/// A new credential of `user_id` in `account_id`, made `now`: its row (only the hash of its
/// text) and its text.
pub(crate) fn mint_credential(
    account_id: AccountId,
    user_id: UserId,
    spec: KeySpec,
    now: OffsetDateTime,
) -> CreatedCredential {
    let generated = api_key::generate_with_prefix(key_prefix(spec.kind));
    let key = ApiKey {
        id: ApiKeyId::generate(),
        account_id,
        user_id,
        kind: spec.kind,
        scopes: spec.scopes,
        name: spec.name,
        lookup_id: generated.lookup_id,
        secret_hash: generated.hash,
        created_at: now,
        expires_at: spec.expires_at.map(crate::time::storable),
        last_used_at: None,
        revoked_at: None,
    };
    CreatedCredential {
        key,
        text: generated.text,
    }
}

/// The scopes a new credential gets: those asked for, which must be a non-empty subset of the
/// creator's (422 `invalid_scope` otherwise), or by default all of the creator's.
fn granted_scopes(creator: Scopes, asked: Option<Scopes>) -> Result<Scopes, CoreError> {
    let scopes = asked.unwrap_or(creator);
    if scopes.is_empty() {
        return Err(CoreError::invalid(
            "invalid_scope",
            "a credential needs at least one scope",
        ));
    }
    if !creator.covers(scopes) {
        return Err(CoreError::invalid(
            "invalid_scope",
            format!("you may grant only scopes you hold yourself: {creator}"),
        ));
    }
    Ok(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;

    #[test]
    fn credentials_never_get_more_scopes_than_their_creator() {
        let rw = Scopes::of(&[Scope::Read, Scope::Write]);
        let read = Scopes::of(&[Scope::Read]);
        assert_eq!(granted_scopes(rw, None).unwrap(), rw);
        assert_eq!(granted_scopes(rw, Some(read)).unwrap(), read);
        let too_much = granted_scopes(rw, Some(Scopes::ALL)).unwrap_err();
        assert_eq!(too_much.code(), "invalid_scope");
        let none = granted_scopes(rw, Some(Scopes::default())).unwrap_err();
        assert_eq!(none.code(), "invalid_scope");
    }
}
