//! Account settings: the PAdES level the account's envelopes are sealed at, whether its users
//! may get tokens with the password grant, how long a reactivated envelope stays open, which
//! sites may embed its signing pages, when its finished envelopes are deleted, when its
//! pending signers are reminded, and how the completed e-mail delivers the signed documents.

use crate::CoreError;
use crate::frame_ancestors::FrameAncestors;
use crate::id::AccountId;
use crate::model::{Account, Language, PadesLevel};
use crate::service::Signet;
use crate::usecase::account::Principal;

/// An account's settings as its users see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSettings {
    /// The account.
    pub account_id: AccountId,
    /// Its name.
    pub name: String,
    /// The level set for this account, if any.
    pub pades_level: Option<PadesLevel>,
    /// The level its envelopes are sealed at: `pades_level`, else the instance default.
    pub effective_pades_level: PadesLevel,
    /// Whether the password grant works for its users (default on).
    pub password_grant: bool,
    /// How many days a reactivated envelope stays open, if set for this account.
    pub reactivation_days: Option<i32>,
    /// The days in use: `reactivation_days`, else [`DEFAULT_REACTIVATION_DAYS`].
    pub effective_reactivation_days: i32,
    /// The language of recipients added without one, if set (else English).
    pub default_language: Option<Language>,
    /// The origins that may embed the account's signing pages in an iframe (empty: none).
    pub frame_ancestors: FrameAncestors,
    /// When its finished envelopes are purged (`None`: never, the default).
    pub retention: Option<crate::model::RetentionRule>,
    /// When its pending e-mail signers are reminded (`None`: never, the default).
    pub reminders: Option<crate::model::ReminderSchedule>,
    /// How the completed e-mail delivers the signed documents (`None`: attached, the default).
    pub completed_documents: Option<crate::model::CompletedDocuments>,
}

/// How many days a reactivated envelope stays open when the account sets nothing.
pub const DEFAULT_REACTIVATION_DAYS: i32 = 30;

/// The longest reactivation period an account may set, in days.
pub const MAX_REACTIVATION_DAYS: i32 = 3650;

impl Signet {
    /// The caller's account settings.
    pub async fn account_settings(&self, who: &Principal) -> Result<AccountSettings, CoreError> {
        let account = self
            .store_ref()
            .account(who.account_id)
            .await?
            .ok_or(CoreError::NotFound("account"))?;
        let effective_reactivation_days = effective_reactivation_days(&account);
        let frame_ancestors = self.frame_ancestors(account.id).await?;
        Ok(AccountSettings {
            account_id: account.id,
            name: account.name,
            pades_level: account.pades_level,
            effective_pades_level: account.pades_level.unwrap_or(self.config().pades_level),
            password_grant: account.password_grant,
            reactivation_days: account.reactivation_days,
            effective_reactivation_days,
            default_language: account.default_language,
            frame_ancestors,
            retention: self.store_ref().account_retention(account.id).await?,
            reminders: self.store_ref().account_reminders(account.id).await?,
            completed_documents: (self.store_ref())
                .account_completed_documents(account.id)
                .await?,
        })
    }

    /// Sets (or with `None` clears, falling back to 30 days) how many days an envelope of the
    /// caller's account stays open after it is reactivated; owners and admins only.
    pub async fn set_reactivation_days(
        &self,
        who: &Principal,
        days: Option<i32>,
    ) -> Result<AccountSettings, CoreError> {
        who.require_admin()?;
        if days.is_some_and(|d| !(1..=MAX_REACTIVATION_DAYS).contains(&d)) {
            return Err(CoreError::invalid(
                "invalid_reactivation_days",
                format!("reactivation_days must be between 1 and {MAX_REACTIVATION_DAYS}"),
            ));
        }
        if !self
            .store_ref()
            .set_account_reactivation_days(who.account_id, days)
            .await?
        {
            return Err(CoreError::NotFound("account"));
        }
        self.account_settings(who).await
    }

    /// Sets (or with `None` clears, falling back to the instance default) the PAdES level of
    /// the caller's account; owners and admins only. Applies to envelopes sealed from now on.
    pub async fn set_pades_level(
        &self,
        who: &Principal,
        level: Option<PadesLevel>,
    ) -> Result<AccountSettings, CoreError> {
        who.require_admin()?;
        if !self
            .store_ref()
            .set_account_pades_level(who.account_id, level)
            .await?
        {
            return Err(CoreError::NotFound("account"));
        }
        self.account_settings(who).await
    }

    /// Turns the password grant on or off for the caller's account; owners and admins only.
    /// Tokens issued already keep working until they expire (delete the account's
    /// password-grant OAuth client to revoke them).
    pub async fn set_password_grant(
        &self,
        who: &Principal,
        enabled: bool,
    ) -> Result<AccountSettings, CoreError> {
        who.require_admin()?;
        if !self
            .store_ref()
            .set_account_password_grant(who.account_id, enabled)
            .await?
        {
            return Err(CoreError::NotFound("account"));
        }
        self.account_settings(who).await
    }

    /// Sets (or with `None` clears, falling back to English) the language of recipients added
    /// to the caller's account's envelopes without one; owners and admins only.
    pub async fn set_default_language(
        &self,
        who: &Principal,
        language: Option<Language>,
    ) -> Result<AccountSettings, CoreError> {
        who.require_admin()?;
        if !self
            .store_ref()
            .set_account_default_language(who.account_id, language)
            .await?
        {
            return Err(CoreError::NotFound("account"));
        }
        self.account_settings(who).await
    }

    /// Replaces the origins that may embed the caller's account's signing pages in an iframe
    /// (empty: none may); owners and admins only. 422 `invalid_frame_ancestors` for an entry
    /// that is not an allowed origin, or more than ten.
    pub async fn set_frame_ancestors(
        &self,
        who: &Principal,
        origins: &[String],
    ) -> Result<AccountSettings, CoreError> {
        who.require_admin()?;
        let checked = FrameAncestors::parse(origins)?;
        if !self
            .store_ref()
            .set_account_frame_ancestors(who.account_id, checked.origins())
            .await?
        {
            return Err(CoreError::NotFound("account"));
        }
        self.account_settings(who).await
    }

    /// The origins that may frame the signing pages of `account_id`.
    pub(crate) async fn frame_ancestors(
        &self,
        account_id: AccountId,
    ) -> Result<FrameAncestors, CoreError> {
        let stored = self.store_ref().account_frame_ancestors(account_id).await?;
        Ok(FrameAncestors::from_stored(&stored))
    }

    /// The level an account's envelopes are sealed at: its own, else the instance default.
    pub(crate) fn effective_pades_level(&self, account: &Account) -> PadesLevel {
        account.pades_level.unwrap_or(self.config().pades_level)
    }
}

/// How many days an account's reactivated envelopes stay open.
pub(crate) fn effective_reactivation_days(account: &Account) -> i32 {
    account
        .reactivation_days
        .unwrap_or(DEFAULT_REACTIVATION_DAYS)
}
