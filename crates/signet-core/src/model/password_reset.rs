//! A password reset: one e-mailed, single-use, short-lived link for one user.

use time::OffsetDateTime;

use crate::id::{AccountId, PasswordResetId, UserId};

/// A requested password reset. The link's token is never stored: it is re-derived from `id`
/// and `nonce` with the instance's reset key ([`crate::secret::ResetTokens`]), and only its
/// SHA-256 (`token_hash`) is kept to find the row when the link is opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordReset {
    /// Its id.
    pub id: PasswordResetId,
    /// The account of the user.
    pub account_id: AccountId,
    /// The user whose password it resets.
    pub user_id: UserId,
    /// 32 random bytes mixed into the token (not secret without the instance key).
    pub nonce: [u8; 32],
    /// SHA-256 of the token.
    pub token_hash: [u8; 32],
    /// When it was requested.
    pub created_at: OffsetDateTime,
    /// When the link stops working.
    pub expires_at: OffsetDateTime,
    /// When it was used to set a new password (it works once).
    pub used_at: Option<OffsetDateTime>,
    /// When a newer request or a completed reset of the same user replaced it.
    pub revoked_at: Option<OffsetDateTime>,
}

/// Why a reset link cannot be used (or `Live` when it can).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetState {
    /// It may set a new password.
    Live,
    /// It has set a password already.
    Used,
    /// A newer link (or a completed reset) replaced it.
    Replaced,
    /// Its time is up.
    Expired,
}

impl PasswordReset {
    /// Its state at `now`.
    pub fn state(&self, now: OffsetDateTime) -> ResetState {
        if self.used_at.is_some() {
            ResetState::Used
        } else if self.revoked_at.is_some() {
            ResetState::Replaced
        } else if self.expires_at <= now {
            ResetState::Expired
        } else {
            ResetState::Live
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn reset(now: OffsetDateTime) -> PasswordReset {
        PasswordReset {
            id: PasswordResetId::generate(),
            account_id: AccountId::generate(),
            user_id: UserId::generate(),
            nonce: [1; 32],
            token_hash: [2; 32],
            created_at: now,
            expires_at: now + Duration::hours(1),
            used_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn a_reset_is_live_until_used_replaced_or_expired() {
        let now = OffsetDateTime::UNIX_EPOCH;
        let live = reset(now);
        assert_eq!(live.state(now), ResetState::Live);
        assert_eq!(live.state(now + Duration::hours(1)), ResetState::Expired);
        let used = PasswordReset {
            used_at: Some(now),
            revoked_at: Some(now),
            ..live.clone()
        };
        assert_eq!(used.state(now), ResetState::Used, "used wins over replaced");
        let replaced = PasswordReset {
            revoked_at: Some(now),
            ..live
        };
        assert_eq!(replaced.state(now), ResetState::Replaced);
    }
}
