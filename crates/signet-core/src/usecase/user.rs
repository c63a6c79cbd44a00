//! The users of an account: created, listed and disabled by its owners and admins (or by an
//! operator on the command line, acting as an owner). Disabling a user stops every credential
//! that acts as them at once, because authentication checks the user on every request.

use crate::CoreError;
use crate::id::{AccountId, UserId};
use time::OffsetDateTime;

use crate::model::{User, UserRole};
use crate::port::StoreError;
use crate::secret::hash_password;
use crate::service::Signet;
use crate::usecase::account::{Credential, Principal, check_password, role_scopes};
use crate::usecase::validate;

/// A validated user of `account_id` with its password hashed (e-mail, name of 1 to 200
/// characters, password rules of [`check_password`]).
pub(crate) fn new_user(
    account_id: AccountId,
    new: &NewUser,
    now: OffsetDateTime,
) -> Result<User, CoreError> {
    let email = validate::email("email", &new.email)?;
    let name = validate::text("name", &new.name, 1, 200)?;
    check_password(&new.password)?;
    Ok(User {
        id: UserId::generate(),
        account_id,
        email,
        name,
        password_hash: hash_password(&new.password)?,
        role: new.role,
        created_at: now,
        disabled_at: None,
    })
}

/// The store's duplicate e-mail as the use cases report it (409 `email_taken`).
pub(crate) fn email_taken(err: StoreError) -> CoreError {
    match err {
        StoreError::Duplicate(_) => CoreError::conflict(
            "email_taken",
            "a user with this e-mail address already exists",
        ),
        other => other.into(),
    }
}

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
        let user = new_user(who.account_id, &new, self.now())?;
        self.store_ref()
            .create_user(&user)
            .await
            .map_err(email_taken)?;
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
