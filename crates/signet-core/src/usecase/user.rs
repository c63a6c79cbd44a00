//! The users of an account: created, listed and disabled by its owners and admins (or by an
//! operator on the command line, acting as an owner). Disabling a user stops every credential
//! that acts as them at once, because authentication checks the user on every request.

use crate::CoreError;
use crate::id::{AccountId, UserId};
use crate::model::{User, UserRole};
use crate::secret::hash_password;
use crate::service::Signet;
use crate::usecase::account::{Credential, Principal, check_password, role_scopes};
use crate::usecase::validate;

/// What `create_user` asks for.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Login e-mail address (unique per instance).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Password, at least 10 characters.
    pub password: String,
    /// Role in the account.
    pub role: UserRole,
}

impl Signet {
    /// Adds a user to the caller's account. Owners may create users of any role; admins may
    /// create members only.
    pub async fn create_user(&self, who: &Principal, new: NewUser) -> Result<User, CoreError> {
        who.require_admin()?;
        require_may_manage(who, new.role)?;
        let email = validate::email("email", &new.email)?;
        let name = validate::text("name", &new.name, 1, 200)?;
        check_password(&new.password)?;
        let user = User {
            id: UserId::generate(),
            account_id: who.account_id,
            email,
            name,
            password_hash: hash_password(&new.password)?,
            role: new.role,
            created_at: self.now(),
            disabled_at: None,
        };
        self.store_ref()
            .create_user(&user)
            .await
            .map_err(|err| match err {
                crate::port::StoreError::Duplicate(_) => CoreError::conflict(
                    "email_taken",
                    "a user with this e-mail address already exists",
                ),
                other => other.into(),
            })?;
        Ok(user)
    }

    /// The users of the caller's account, oldest first; owners and admins only.
    pub async fn list_users(&self, who: &Principal) -> Result<Vec<User>, CoreError> {
        who.require_admin()?;
        Ok(self.store_ref().list_users(who.account_id).await?)
    }

    /// Disables a user of the caller's account: every API key and token acting as them stops
    /// working at once. Owners may disable anyone, admins members only; the last active owner
    /// cannot be disabled (409 `last_owner`). Disabling a disabled user changes nothing.
    pub async fn disable_user(&self, who: &Principal, id: UserId) -> Result<User, CoreError> {
        who.require_admin()?;
        let user = self.account_user(who.account_id, id).await?;
        require_may_manage(who, user.role)?;
        if user.disabled_at.is_some() {
            return Ok(user);
        }
        let store = self.store_ref();
        let disabled = store.disable_user(who.account_id, id, self.now()).await?;
        let user = self.account_user(who.account_id, id).await?;
        if !disabled && user.disabled_at.is_none() {
            return Err(CoreError::conflict(
                "last_owner",
                "the account's last active owner cannot be disabled",
            ));
        }
        Ok(user)
    }

    /// The principal of an operator on the command line acting as `user` of `account`, or as
    /// the account's first active owner when `user` is `None`. It holds every scope the user's
    /// role allows.
    pub async fn operator_principal(
        &self,
        account: AccountId,
        user: Option<UserId>,
    ) -> Result<Principal, CoreError> {
        let user = match user {
            Some(id) => Some(self.account_user(account, id).await?),
            None => first_active_owner(self.store_ref().list_users(account).await?),
        };
        let user = user
            .filter(|u| u.disabled_at.is_none())
            .ok_or(CoreError::NotFound("active user"))?;
        Ok(Principal {
            account_id: account,
            user_id: user.id,
            role: user.role,
            credential: Credential::Operator,
            scopes: role_scopes(user.role),
        })
    }

    async fn account_user(&self, account: AccountId, id: UserId) -> Result<User, CoreError> {
        self.store_ref()
            .user(account, id)
            .await?
            .ok_or(CoreError::NotFound("user"))
    }
}

fn first_active_owner(users: Vec<User>) -> Option<User> {
    users
        .into_iter()
        .find(|u| u.role == UserRole::Owner && u.disabled_at.is_none())
}

/// Owners manage everyone; admins manage members only.
fn require_may_manage(who: &Principal, target: UserRole) -> Result<(), CoreError> {
    let allowed = match who.role {
        UserRole::Owner => true,
        UserRole::Admin => target == UserRole::Member,
        UserRole::Member => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(CoreError::Forbidden(format!(
            "a user with the role {} cannot manage users with the role {}",
            who.role.as_str(),
            target.as_str()
        )))
    }
}
