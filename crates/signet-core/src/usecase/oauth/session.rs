//! Web login: a user proves their password once and gets a session cookie whose SHA-256 is
//! stored. Sessions end after [`IDLE`] without a request or [`ABSOLUTE`] after login, and every
//! form posted within one carries a CSRF token bound to the session ([`csrf_token`]).

use std::sync::OnceLock;

use time::Duration;

use crate::CoreError;
use crate::model::{User, WebSession};
use crate::secret::{constant_time_eq, hash_password, sha256, verify_password};
use crate::service::Signet;

/// A session ends after this long without a request.
pub const IDLE: Duration = Duration::minutes(30);
/// A session ends this long after login, however active.
pub const ABSOLUTE: Duration = Duration::hours(12);
/// Don't write `last_seen_at` more often than this.
const TOUCH_INTERVAL: Duration = Duration::minutes(1);

/// The CSRF token of forms shown within the session (or login attempt) whose cookie holds
/// `secret`. Derived, so nothing more is stored; one-way, so the token does not reveal the
/// cookie.
pub fn csrf_token(secret: &str) -> String {
    let mut input = b"signet-csrf\0".to_vec();
    input.extend_from_slice(secret.as_bytes());
    hex::encode(sha256(&input))
}

/// True when `given` is the CSRF token for `secret` (compared in constant time).
pub fn csrf_matches(secret: &str, given: &str) -> bool {
    constant_time_eq(csrf_token(secret).as_bytes(), given.as_bytes())
}

/// A fresh random value for the cookie that ties a login form to its POST.
pub fn login_nonce() -> String {
    super::new_secret("").0
}

/// A hash to verify against when the e-mail is unknown, so that answer takes as long as a
/// wrong password.
pub(super) fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("signet decoy password").unwrap_or_default())
}

impl Signet {
    /// Checks an e-mail and password and opens a session; returns the cookie value and the
    /// user. An unknown e-mail, a wrong password and a disabled user all fail alike.
    pub async fn login(&self, email: &str, password: &str) -> Result<(String, User), CoreError> {
        let user = self.store_ref().user_by_email(email.trim()).await?;
        let phc = user
            .as_ref()
            .map_or(decoy_hash(), |u| u.password_hash.as_str());
        let password = password.to_owned();
        let phc = phc.to_owned();
        let verified = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
            .await
            .map_err(|err| CoreError::Internal(format!("password check failed: {err}")))?;
        let user = user
            .filter(|u| verified && u.disabled_at.is_none())
            .ok_or(CoreError::Unauthenticated)?;
        let (token, hash) = super::new_secret("");
        let now = self.now();
        self.store_ref()
            .create_web_session(&WebSession {
                hash,
                account_id: user.account_id,
                user_id: user.id,
                created_at: now,
                last_seen_at: now,
                expires_at: now + ABSOLUTE,
            })
            .await?;
        Ok((token, user))
    }

    /// The user of a live session, or `None` when the cookie names no live session (expired,
    /// idle too long, logged out, or its user disabled).
    pub async fn session_user(&self, token: &str) -> Result<Option<User>, CoreError> {
        let hash = sha256(token.as_bytes());
        let Some(session) = self.store_ref().web_session(&hash).await? else {
            return Ok(None);
        };
        let now = self.now();
        if now >= session.expires_at || now - session.last_seen_at >= IDLE {
            self.store_ref().delete_web_session(&hash).await?;
            return Ok(None);
        }
        let user = self
            .store_ref()
            .user(session.account_id, session.user_id)
            .await?
            .filter(|u| u.disabled_at.is_none());
        if user.is_some() && now - session.last_seen_at > TOUCH_INTERVAL {
            self.store_ref().touch_web_session(&hash, now).await?;
        }
        Ok(user)
    }

    /// Ends the session whose cookie holds `token`.
    pub async fn logout(&self, token: &str) -> Result<(), CoreError> {
        Ok(self
            .store_ref()
            .delete_web_session(&sha256(token.as_bytes()))
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_are_bound_to_their_session() {
        let a = login_nonce();
        let b = login_nonce();
        assert!(a.len() >= 43);
        assert!(csrf_matches(&a, &csrf_token(&a)));
        assert!(!csrf_matches(&a, &csrf_token(&b)));
        assert!(!csrf_matches(&a, ""));
        assert_ne!(csrf_token(&a), a);
    }
}
