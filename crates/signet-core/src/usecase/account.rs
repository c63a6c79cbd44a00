//! Accounts, and authenticating API keys.

use time::Duration;

use crate::CoreError;
use crate::id::{AccountId, ApiKeyId, OAuthClientId, OAuthTokenId, UserId};
use crate::model::{Account, Actor, KeyKind, Scope, Scopes, User, UserRole};
use crate::secret::{api_key, constant_time_eq, generate_webhook_secret};
use crate::service::Signet;
use crate::usecase::credential::{KeySpec, mint_credential};
use crate::usecase::user::{NewUser, email_taken, new_user};
use crate::usecase::validate;

/// The credential a request authenticated with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// An API key or personal access token.
    ApiKey(ApiKeyId),
    /// The `signet` command line, run by an operator with access to the database.
    Operator,
    /// An OAuth2 access token issued to a client.
    OAuth {
        /// The client it was issued to.
        client_id: OAuthClientId,
        /// The token.
        token_id: OAuthTokenId,
    },
    /// A web session: the user logged in with their password (the account page).
    WebSession,
}

/// Who is calling the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The account every query is scoped by.
    pub account_id: AccountId,
    /// The user acting.
    pub user_id: UserId,
    /// That user's role in the account.
    pub role: UserRole,
    /// The credential used.
    pub credential: Credential,
    /// What the credential may do (never more than the user's role allows).
    pub scopes: Scopes,
}

impl Principal {
    /// The audit-trail actor for this principal.
    pub fn actor(&self) -> Actor {
        match self.credential {
            Credential::ApiKey(key_id) => Actor::ApiKey {
                key_id,
                user_id: self.user_id,
            },
            Credential::Operator => Actor::System,
            Credential::OAuth { client_id, .. } => Actor::OAuthClient {
                client_id,
                user_id: self.user_id,
            },
            Credential::WebSession => Actor::User {
                user_id: self.user_id,
            },
        }
    }

    /// The principal of a logged-in web session: its user, with every scope their role allows.
    pub fn for_session(user: &User) -> Self {
        Self {
            account_id: user.account_id,
            user_id: user.id,
            role: user.role,
            credential: Credential::WebSession,
            scopes: role_scopes(user.role),
        }
    }

    /// Succeeds when the credential carries `scope`; otherwise `InsufficientScope`.
    pub fn require(&self, scope: Scope) -> Result<(), CoreError> {
        if self.scopes.contains(scope) {
            Ok(())
        } else {
            Err(CoreError::InsufficientScope(scope))
        }
    }

    /// Succeeds for an owner or admin whose credential carries the `admin` scope.
    pub fn require_admin(&self) -> Result<(), CoreError> {
        self.require(Scope::Admin)?;
        if matches!(self.role, UserRole::Owner | UserRole::Admin) {
            Ok(())
        } else {
            Err(CoreError::Forbidden(
                "only the account's owners and admins may do this".into(),
            ))
        }
    }
}

/// The scopes a user of `role` may hold: members never administer the account.
pub fn role_scopes(role: UserRole) -> Scopes {
    match role {
        UserRole::Owner | UserRole::Admin => Scopes::ALL,
        UserRole::Member => Scopes::of(&[Scope::Read, Scope::Write]),
    }
}

/// What `create_account` asks for.
#[derive(Clone, Debug)]
pub struct NewAccount {
    /// Account name.
    pub name: String,
    /// The owner's e-mail address (login).
    pub email: String,
    /// The owner's password.
    pub password: String,
}

/// The secrets of a new account, shown once.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CreatedAccount {
    /// The account id.
    pub account_id: AccountId,
    /// The owner's user id.
    pub user_id: UserId,
    /// The first API key (shown only now).
    pub api_key: String,
    /// The secret that signs callbacks (shown only now).
    pub webhook_secret: String,
}

/// Minimum password length, in characters (new users and password resets).
pub const MIN_PASSWORD: usize = 10;
/// Maximum password length, in characters: hashing work stays bounded.
pub const MAX_PASSWORD: usize = 1024;
/// Don't write `last_used_at` more often than this per key.
const TOUCH_INTERVAL: Duration = Duration::minutes(1);

impl Signet {
    /// Creates an account, its owner and a first API key.
    pub async fn create_account(&self, new: NewAccount) -> Result<CreatedAccount, CoreError> {
        let name = validate::text("name", &new.name, 1, 200)?;
        let now = self.now();
        let webhook_secret = generate_webhook_secret();
        let account_id = AccountId::generate();
        let account = Account {
            id: account_id,
            name: name.clone(),
            webhook_secret_sealed: self
                .keys()
                .secrets
                .seal(&webhook_context(account_id), webhook_secret.as_bytes())?,
            pades_level: None,
            password_grant: true,
            reactivation_days: None,
            default_language: None,
            created_at: now,
        };
        let owner = new_user(
            account_id,
            &NewUser {
                email: new.email,
                name,
                password: new.password,
                role: UserRole::Owner,
            },
            now,
        )?;
        let spec = KeySpec {
            kind: KeyKind::ApiKey,
            scopes: Scopes::ALL,
            name: "default".into(),
            expires_at: None,
        };
        let key = mint_credential(account_id, owner.id, spec, now);
        self.store_ref()
            .create_account(&account, &owner, &key.key)
            .await
            .map_err(email_taken)?;
        Ok(CreatedAccount {
            account_id,
            user_id: owner.id,
            api_key: key.text,
            webhook_secret,
        })
    }

    /// Resolves an API key (`sk_…`) or personal access token (`pat_…`) to its principal.
    /// A malformed key or a wrong checksum fails before any store lookup. Every failure looks
    /// the same to the caller.
    pub async fn authenticate_api_key(&self, text: &str) -> Result<Principal, CoreError> {
        let parsed = api_key::parse(text).ok_or(CoreError::Unauthenticated)?;
        let key = self
            .store_ref()
            .api_key_by_lookup(parsed.lookup_id)
            .await?
            .ok_or(CoreError::Unauthenticated)?;
        let hash = crate::secret::sha256(text.as_bytes());
        let now = self.now();
        let live = key.revoked_at.is_none() && key.expires_at.is_none_or(|at| at > now);
        let right_kind = key_prefix(key.kind) == parsed.prefix;
        if !constant_time_eq(&hash, &key.secret_hash) || !live || !right_kind {
            return Err(CoreError::Unauthenticated);
        }
        let user = self
            .store_ref()
            .user(key.account_id, key.user_id)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or(CoreError::Unauthenticated)?;
        if key.last_used_at.is_none_or(|at| now - at > TOUCH_INTERVAL) {
            self.store_ref().touch_api_key(key.id, now).await?;
        }
        Ok(Principal {
            account_id: key.account_id,
            user_id: key.user_id,
            role: user.role,
            credential: Credential::ApiKey(key.id),
            scopes: key.scopes.intersect(role_scopes(user.role)),
        })
    }

    /// The account's callback signing secret, decrypted.
    pub(crate) async fn webhook_secret(&self, account_id: AccountId) -> Result<String, CoreError> {
        let account = self
            .store_ref()
            .account(account_id)
            .await?
            .ok_or(CoreError::NotFound("account"))?;
        let bytes = self
            .keys()
            .secrets
            .open(&webhook_context(account_id), &account.webhook_secret_sealed)?;
        String::from_utf8(bytes)
            .map_err(|_| CoreError::Integrity("callback secret is not text".into()))
    }

    /// The account's default language (English when it sets none).
    pub(crate) async fn account_language(
        &self,
        account_id: AccountId,
    ) -> Result<crate::model::Language, CoreError> {
        let account = self
            .store_ref()
            .account(account_id)
            .await?
            .ok_or(CoreError::NotFound("account"))?;
        Ok(account
            .default_language
            .unwrap_or(crate::model::Language::En))
    }

    /// The account's display name.
    pub(crate) async fn account_name(&self, account_id: AccountId) -> Result<String, CoreError> {
        let account = self
            .store_ref()
            .account(account_id)
            .await?
            .ok_or(CoreError::NotFound("account"))?;
        Ok(account.name)
    }
}

/// The prefix of a credential of `kind`.
pub(crate) fn key_prefix(kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::ApiKey => api_key::API_KEY_PREFIX,
        KeyKind::Personal => api_key::PERSONAL_TOKEN_PREFIX,
    }
}

/// The rules every new password follows: at least [`MIN_PASSWORD`] characters (422
/// `weak_password`), at most [`MAX_PASSWORD`] (422 `password_too_long`).
pub fn check_password(password: &str) -> Result<(), CoreError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD {
        return Err(CoreError::invalid(
            "weak_password",
            format!("the password must have at least {MIN_PASSWORD} characters"),
        ));
    }
    if chars > MAX_PASSWORD {
        return Err(CoreError::invalid(
            "password_too_long",
            format!("the password must have at most {MAX_PASSWORD} characters"),
        ));
    }
    Ok(())
}

fn webhook_context(account: AccountId) -> String {
    format!("account-webhook-secret:{account}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_web_session_acts_as_its_user_with_the_scopes_of_their_role() {
        let member = User {
            id: UserId::generate(),
            account_id: AccountId::generate(),
            email: "m@example.test".into(),
            name: "M".into(),
            password_hash: String::new(),
            role: UserRole::Member,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            disabled_at: None,
        };
        let who = Principal::for_session(&member);
        assert_eq!(who.credential, Credential::WebSession);
        assert_eq!(who.scopes, Scopes::of(&[Scope::Read, Scope::Write]));
        assert!(who.require_admin().is_err());
        assert_eq!(who.actor(), Actor::User { user_id: member.id });
        let owner = User {
            role: UserRole::Owner,
            ..member
        };
        assert_eq!(Principal::for_session(&owner).scopes, Scopes::ALL);
    }
}
