//! Password reset by e-mailed single-use link.
//!
//! 1. [`Signet::request_password_reset`] answers the same for every address (no user
//!    enumeration) and makes the reset's token and hash before it knows whether anybody has
//!    that address, so the work is the same either way. For an enabled user it commits the
//!    reset (revoking the user's earlier ones) and a `send_password_reset` job together.
//! 2. The job re-derives the token (see [`crate::secret::ResetTokens`] for why nothing secret
//!    is stored) and mails `{public_url}/password/reset/{token}`.
//! 3. [`Signet::open_password_reset`] checks a link; [`Signet::complete_password_reset`] sets
//!    the new password and uses the link up in one transaction, so of two concurrent uses
//!    only one wins.
//!
//! Every step is logged (`tracing`, target `signet_core::usecase::password_reset`) with ids,
//! never the token.

use crate::CoreError;
use crate::id::{AccountId, JobId, PasswordResetId, UserId};
use crate::model::{JobPayload, NewJob, PasswordReset, ResetState, User};
use crate::port::Mailbox;
use crate::secret::{ResetTokens, constant_time_eq, hash_password, random_bytes};
use crate::service::Signet;
use crate::usecase::account::check_password;
use crate::usecase::job::{JobError, delivery_to_job};
use crate::usecase::validate;

/// A reset link that works: what its page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResetLink {
    /// The login e-mail address whose password it sets.
    pub email: String,
}

/// Whose password a completed reset changed.
///
/// This is the hook for everything a password change must end: nothing else is revoked yet
/// (API keys stay valid). When login sessions exist, the caller (or
/// [`Signet::complete_password_reset`] itself) ends this user's sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordChanged {
    /// The user's account.
    pub account_id: AccountId,
    /// The user.
    pub user_id: UserId,
}

/// The random and derived parts of a reset, made before the user is known.
struct DraftReset {
    id: PasswordResetId,
    nonce: [u8; 32],
    token_hash: [u8; 32],
}

/// Length of a well-formed token: 32 bytes in unpadded base64url.
const TOKEN_LEN: usize = 43;

impl Signet {
    /// Asks for a reset link for `email`. Succeeds alike whether or not the address belongs to
    /// a user; only an enabled user gets an e-mail. A malformed address is a 422
    /// `invalid_email` (that says nothing about who has an account).
    pub async fn request_password_reset(&self, email: &str) -> Result<(), CoreError> {
        let email = validate::email("email", email)?;
        let draft = self.draft_reset();
        let user = self.store_ref().user_by_email(&email).await?;
        let Some(user) = user.filter(|u| u.disabled_at.is_none()) else {
            tracing::info!(
                "password reset requested for an address without an enabled user; nothing sent"
            );
            return Ok(());
        };
        let now = self.now();
        let reset = PasswordReset {
            id: draft.id,
            account_id: user.account_id,
            user_id: user.id,
            nonce: draft.nonce,
            token_hash: draft.token_hash,
            created_at: now,
            expires_at: now + self.config().password_reset_ttl,
            used_at: None,
            revoked_at: None,
        };
        let job = NewJob {
            id: JobId::generate(),
            payload: JobPayload::SendPasswordReset {
                account_id: user.account_id,
                user_id: user.id,
                reset_id: reset.id,
            },
            run_at: now,
            max_attempts: crate::mutation::JOB_ATTEMPTS,
            dedupe_key: Some(format!("password-reset:{}", reset.id)),
        };
        self.store_ref().create_password_reset(&reset, &job).await?;
        self.deps.job_signal.jobs_enqueued();
        tracing::info!(reset_id = %reset.id, user_id = %user.id, account_id = %user.account_id,
            "password reset requested; earlier links revoked, e-mail queued");
        Ok(())
    }

    /// A fresh reset id, nonce and token hash: the token is derived and hashed here, for any
    /// address, so a known and an unknown address cost the same.
    fn draft_reset(&self) -> DraftReset {
        let id = PasswordResetId::generate();
        let nonce = random_bytes::<32>();
        let token = self.keys().reset_tokens.token(id, &nonce);
        DraftReset {
            id,
            nonce,
            token_hash: ResetTokens::hash(&token),
        }
    }

    /// Checks a reset link: `Ok` with the address it resets when it works, else 410 naming
    /// why (`reset_link_invalid`, `reset_link_used`, `reset_link_replaced`,
    /// `reset_link_expired`).
    pub async fn open_password_reset(&self, token: &str) -> Result<ResetLink, CoreError> {
        let (_, user) = self.live_reset(token).await?;
        Ok(ResetLink { email: user.email })
    }

    /// Sets a new password with a reset link and uses the link up. Fails like
    /// [`Signet::open_password_reset`] for a link that does not work, and with 422
    /// `weak_password` / `password_too_long` for a password that breaks the rules (the link
    /// keeps working then).
    pub async fn complete_password_reset(
        &self,
        token: &str,
        password: &str,
    ) -> Result<PasswordChanged, CoreError> {
        let (reset, user) = self.live_reset(token).await?;
        check_password(password)?;
        let hash = hash_password(password)?;
        if !self
            .store_ref()
            .use_password_reset(&reset, &hash, self.now())
            .await?
        {
            tracing::info!(reset_id = %reset.id, "password reset refused: the link was used or replaced concurrently");
            return Err(gone(ResetState::Used));
        }
        tracing::info!(reset_id = %reset.id, user_id = %user.id, account_id = %user.account_id,
            "password reset completed: password changed, the user's other reset links revoked");
        Ok(PasswordChanged {
            account_id: user.account_id,
            user_id: user.id,
        })
    }

    /// The reset a token opens and its user, if the link works now.
    async fn live_reset(&self, token: &str) -> Result<(PasswordReset, User), CoreError> {
        let well_formed = token.len() == TOKEN_LEN
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !well_formed {
            return Err(invalid_link());
        }
        let hash = ResetTokens::hash(token);
        let reset = self
            .store_ref()
            .password_reset_by_token(&hash)
            .await?
            .filter(|r| constant_time_eq(&r.token_hash, &hash))
            .ok_or_else(invalid_link)?;
        let state = reset.state(self.now());
        if state != ResetState::Live {
            tracing::info!(reset_id = %reset.id, ?state, "password reset link refused");
            return Err(gone(state));
        }
        let user = self
            .store_ref()
            .user(reset.account_id, reset.user_id)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or_else(invalid_link)?;
        Ok((reset, user))
    }

    /// Runs a `send_password_reset` job: mails the link unless the reset stopped working or
    /// its user was disabled meanwhile.
    pub(crate) async fn send_password_reset(
        &self,
        account_id: AccountId,
        reset_id: PasswordResetId,
    ) -> Result<(), JobError> {
        let store = self.store_ref();
        let Some(reset) = store
            .password_reset(account_id, reset_id)
            .await
            .map_err(CoreError::from)?
        else {
            return Ok(());
        };
        let state = reset.state(self.now());
        let user = store
            .user(account_id, reset.user_id)
            .await
            .map_err(CoreError::from)?;
        let Some(user) = user.filter(|u| u.disabled_at.is_none() && state == ResetState::Live)
        else {
            tracing::info!(%reset_id, ?state, "password reset e-mail not sent: the link no longer works or the user is disabled");
            return Ok(());
        };
        let token = self.keys().reset_tokens.token(reset.id, &reset.nonce);
        if !constant_time_eq(&ResetTokens::hash(&token), &reset.token_hash) {
            return Err(JobError::Permanent(
                "the instance's password-reset key changed since this link was made".into(),
            ));
        }
        let email = crate::message::password_reset(
            &self.account_name(account_id).await?,
            Mailbox {
                name: user.name.clone(),
                address: user.email.clone(),
            },
            &format!("{}/password/reset/{token}", self.config().public_url),
            self.config().password_reset_ttl.whole_minutes(),
            format!("password-reset.{reset_id}@{}", self.mail_host()),
        );
        let sent = self.deps.mailer.send(&email).await;
        match &sent {
            Ok(()) => tracing::info!(%reset_id, user_id = %user.id, "password reset e-mail sent"),
            Err(err) => {
                tracing::warn!(%reset_id, user_id = %user.id, error = %err, "password reset e-mail failed")
            }
        }
        sent.map_err(delivery_to_job)
    }
}

fn invalid_link() -> CoreError {
    CoreError::gone(
        "reset_link_invalid",
        "This password reset link is not valid. Ask for a new one.",
    )
}

fn gone(state: ResetState) -> CoreError {
    match state {
        ResetState::Used => CoreError::gone(
            "reset_link_used",
            "This password reset link has been used already. Ask for a new one if you need to.",
        ),
        ResetState::Replaced => CoreError::gone(
            "reset_link_replaced",
            "A newer password reset link was sent; use the newest one.",
        ),
        ResetState::Expired => CoreError::gone(
            "reset_link_expired",
            "This password reset link has expired. Ask for a new one.",
        ),
        ResetState::Live => invalid_link(),
    }
}
