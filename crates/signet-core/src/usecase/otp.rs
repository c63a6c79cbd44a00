//! Signer authentication by one-time code (`email_otp`, `sms`): sending a code to the signer's
//! browser session, verifying it (which turns that session into one that may read and act),
//! and the check every signing action makes. The rules are in [`crate::otp`].

use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::CoreError;
use crate::model::{
    Actor, AuthMethod, EventKind, OtpChannel, OtpQuota, Signer, SignerOtp, SignerSession,
};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::otp::mail::{CodeMessage, otp_email, otp_sms};
use crate::otp::{self, OtpCodes};
use crate::secret::{random_bytes, sha256};
use crate::service::Signet;
use crate::usecase::auth_pass::AuthPassIssued;
use crate::usecase::signing::require_actionable;

/// A code on its way: what the page tells the signer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpSent {
    /// E-mail or SMS.
    pub channel: OtpChannel,
    /// The destination, masked (`a***@example.com`, `+31*******78`).
    pub destination: String,
    /// When the code stops working.
    pub expires_at: OffsetDateTime,
    /// When another code may be requested.
    pub resend_after: OffsetDateTime,
    /// A new browser-session cookie value to set, when the browser had none for this signer.
    pub new_session: Option<String>,
}

/// A verified code: the browser's new session cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpVerified {
    /// The cookie value (shown once; only its SHA-256 is stored).
    pub session: String,
    /// When the session ends.
    pub expires_at: OffsetDateTime,
    /// An auth pass for this browser, when the envelope has extended authentication sessions.
    pub auth_pass: Option<AuthPassIssued>,
}

/// A fresh browser-session cookie value (256 bits, base64url) and its hash.
pub(crate) fn new_cookie() -> (String, [u8; 32]) {
    use base64::Engine;
    let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    let hash = sha256(value.as_bytes());
    (value, hash)
}

fn channel_of(signer: &Signer) -> Result<OtpChannel, CoreError> {
    match signer.auth_method {
        AuthMethod::None => Err(CoreError::conflict(
            "otp_not_needed",
            "this signer signs with the link alone; there is no code to send or verify",
        )),
        AuthMethod::EmailOtp => Ok(OtpChannel::Email),
        AuthMethod::Sms => Ok(OtpChannel::Sms),
        AuthMethod::Oidc => Err(CoreError::conflict(
            "otp_not_needed",
            "this signer verifies their identity at an identity provider, not with a code",
        )),
    }
}

fn destination(signer: &Signer, channel: OtpChannel) -> String {
    match channel {
        OtpChannel::Email => otp::mask_email(&signer.email),
        OtpChannel::Sms => otp::mask_phone(signer.phone.as_deref().unwrap_or("")),
    }
}

fn seconds_until(at: OffsetDateTime, now: OffsetDateTime) -> u64 {
    let secs = (at - now).as_seconds_f64().ceil();
    if secs < 1.0 { 1 } else { secs as u64 }
}

impl Signet {
    /// Sends the token's signer a new code, bound to this browser's session (`session`, the
    /// cookie, or a new one returned in [`OtpSent::new_session`]). 429 `otp_rate_limited`
    /// (with the seconds to wait) past one code a minute or five an hour; a code that could
    /// not be sent is recorded (`otp_send_failed`) and not counted.
    pub async fn send_otp(
        &self,
        token: &str,
        session: Option<&str>,
        client: &ClientInfo,
    ) -> Result<OtpSent, CoreError> {
        let (record, signer_id) = self.resolve_token(token).await?;
        let signer = record
            .signer(signer_id)
            .cloned()
            .ok_or(CoreError::NotFound("signing link"))?;
        let channel = channel_of(&signer)?;
        require_actionable(&record, &signer)?;
        let now = self.now();
        let (session_hash, new_session) = self.session_for(&signer, &record, session, now).await?;
        let code = OtpCodes::generate();
        let account = record.envelope.account_id;
        let otp = self.new_otp(account, &signer, channel, &code, session_hash, now);
        let quota = OtpQuota {
            since: now - otp::HOURLY_WINDOW,
            max: otp::HOURLY_MAX,
            gap_since: now - otp::RESEND_GAP,
        };
        if !self.store_ref().create_signer_otp(&otp, &quota).await? {
            return Err(self.send_limit(&signer, account, now).await);
        }
        let message = CodeMessage {
            account_name: &self.account_name(account).await?,
            title: &record.envelope.title,
            code: &code,
            minutes: otp::CODE_TTL.whole_minutes(),
        };
        let delivered = self.deliver_code(&signer, channel, &message, otp.id).await;
        let at = self.now();
        self.store_ref()
            .set_signer_otp_delivery(account, otp.id, delivered.is_ok(), at)
            .await?;
        let mut data = json!({"signer_id": signer.id, "channel": channel.as_str(),
            "destination": destination(&signer, channel), "otp_id": otp.id});
        let kind = match &delivered {
            Ok(()) => EventKind::OtpSent,
            Err(reason) => {
                tracing::warn!(otp_id = %otp.id, %reason, "a one-time code could not be sent");
                data["reason"] = Value::from("delivery failed");
                EventKind::OtpSendFailed
            }
        };
        self.signer_event(token, kind, data, client).await?;
        delivered.map_err(|_| {
            CoreError::Unavailable("the code could not be sent; try again shortly".into())
        })?;
        Ok(OtpSent {
            channel,
            destination: destination(&signer, channel),
            expires_at: otp.expires_at,
            resend_after: now + otp::RESEND_GAP,
            new_session,
        })
    }

    /// The hash of this browser's session of `signer` (the cookie `session`), or of a new
    /// unverified one whose cookie value is returned too.
    pub(crate) async fn session_for(
        &self,
        signer: &Signer,
        record: &crate::model::EnvelopeRecord,
        session: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<([u8; 32], Option<String>), CoreError> {
        if let Some(existing) = self.own_session(signer, session, now).await? {
            return Ok((existing.hash, None));
        }
        let (value, hash) = new_cookie();
        self.store_ref()
            .create_signer_session(&unverified_session(signer, record, hash, now))
            .await?;
        Ok((hash, Some(value)))
    }

    fn new_otp(
        &self,
        account_id: crate::id::AccountId,
        signer: &Signer,
        channel: OtpChannel,
        code: &str,
        session_hash: [u8; 32],
        now: OffsetDateTime,
    ) -> SignerOtp {
        let id = uuid::Uuid::now_v7();
        SignerOtp {
            id,
            account_id,
            envelope_id: signer.envelope_id,
            signer_id: signer.id,
            channel,
            code_hash: self.keys().otp_codes.hash(id, code),
            session_hash,
            created_at: now,
            expires_at: now + otp::CODE_TTL,
            sent_at: None,
            failed_at: None,
            attempts: 0,
            used_at: None,
        }
    }

    /// Hands the code to the mailer or the SMS gateway.
    async fn deliver_code(
        &self,
        signer: &Signer,
        channel: OtpChannel,
        message: &CodeMessage<'_>,
        otp_id: uuid::Uuid,
    ) -> Result<(), String> {
        match channel {
            OtpChannel::Email => {
                let mail = otp_email(message, signer, format!("{otp_id}.otp@signet"));
                self.deps
                    .mailer
                    .send(&mail)
                    .await
                    .map_err(|e| e.to_string())
            }
            OtpChannel::Sms => {
                let (Some(sms), Some(phone)) = (&self.deps.sms, &signer.phone) else {
                    return Err("no SMS gateway is configured".into());
                };
                let text = otp_sms(message, signer.language);
                sms.send(phone, &text).await.map_err(|e| e.to_string())
            }
        }
    }

    /// The 429 for a signer over the send limit, with the seconds until a send can succeed.
    async fn send_limit(
        &self,
        signer: &Signer,
        account: crate::id::AccountId,
        now: OffsetDateTime,
    ) -> CoreError {
        let counted = self
            .store_ref()
            .signer_otps_since(account, signer.id, now - otp::HOURLY_WINDOW)
            .await
            .unwrap_or_default();
        let gap_ends = counted.last().map(|o| o.created_at + otp::RESEND_GAP);
        let window_ends = (counted.len() as i64 >= otp::HOURLY_MAX)
            .then(|| counted.len() - otp::HOURLY_MAX as usize)
            .and_then(|i| counted.get(i))
            .map(|o| o.created_at + otp::HOURLY_WINDOW);
        let free_at = [gap_ends, window_ends].into_iter().flatten().max();
        let wait = free_at.map_or(60, |at| seconds_until(at, now));
        CoreError::too_many(
            "otp_rate_limited",
            format!("a new code can be sent in {wait} s"),
            Some(wait),
        )
    }

    /// Checks `code` against the newest code sent to this browser session; on success the
    /// session is verified under a new cookie value. 409 `otp_required` (no usable code for
    /// this browser: request one), 422 `otp_expired`, 422 `otp_incorrect` (says how many
    /// attempts are left), 429 `otp_attempts_exhausted` after five attempts.
    pub async fn verify_otp(
        &self,
        token: &str,
        session: Option<&str>,
        code: &str,
        client: &ClientInfo,
    ) -> Result<OtpVerified, CoreError> {
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CoreError::invalid(
                "otp_malformed",
                "the code is six digits",
            ));
        }
        let (record, signer_id) = self.resolve_token(token).await?;
        let signer = record
            .signer(signer_id)
            .cloned()
            .ok_or(CoreError::NotFound("signing link"))?;
        let channel = channel_of(&signer)?;
        require_actionable(&record, &signer)?;
        let now = self.now();
        let account = record.envelope.account_id;
        let required =
            || CoreError::conflict("otp_required", "request a code from this browser first");
        let bound = self
            .own_session(&signer, session, now)
            .await?
            .ok_or_else(required)?;
        let otp = self
            .store_ref()
            .latest_signer_otp(account, signer.id, &bound.hash)
            .await?
            .filter(|o| o.used_at.is_none())
            .ok_or_else(required)?;
        if otp.expires_at <= now {
            return Err(CoreError::invalid(
                "otp_expired",
                "the code has expired; request a new one",
            ));
        }
        let exhausted = || {
            CoreError::too_many(
                "otp_attempts_exhausted",
                "too many wrong codes; request a new code",
                None,
            )
        };
        let attempt = self
            .store_ref()
            .count_signer_otp_attempt(account, otp.id, otp::MAX_ATTEMPTS)
            .await?
            .ok_or_else(exhausted)?;
        if !self.keys().otp_codes.matches(otp.id, code, &otp.code_hash) {
            let left = otp::MAX_ATTEMPTS - attempt;
            let data = json!({"signer_id": signer.id, "channel": channel.as_str(), "otp_id": otp.id,
                "attempt": attempt, "attempts_left": left});
            self.signer_event(token, EventKind::OtpFailed, data, client)
                .await?;
            return Err(CoreError::invalid(
                "otp_incorrect",
                format!("the code is not right; {left} attempts left"),
            ));
        }
        let (value, hash) = new_cookie();
        let verified = SignerSession {
            verified_at: Some(now),
            expires_at: now + otp::SESSION_TTL,
            ..unverified_session(&signer, &record, hash, now)
        };
        let store = self.store_ref();
        if !store
            .verify_signer_session(account, otp.id, &bound.hash, &verified)
            .await?
        {
            return Err(required());
        }
        let data = json!({"signer_id": signer.id, "channel": channel.as_str(), "otp_id": otp.id,
            "destination": destination(&signer, channel), "attempt": attempt});
        let recorded = self
            .signer_event(token, EventKind::OtpVerified, data, client)
            .await?;
        Ok(OtpVerified {
            session: value,
            expires_at: verified.expires_at,
            auth_pass: self.issue_auth_pass(&recorded, signer.id, now).await,
        })
    }

    /// Whether the signer may read and act in this browser: always for `none`; otherwise only
    /// with a verified session of this signer and link generation.
    pub(crate) async fn signer_verified(
        &self,
        signer: &Signer,
        session: Option<&str>,
    ) -> Result<bool, CoreError> {
        if signer.auth_method == AuthMethod::None {
            return Ok(true);
        }
        let own = self.own_session(signer, session, self.now()).await?;
        Ok(own.is_some_and(|s| s.verified_at.is_some()))
    }

    /// 403 `authentication_required` unless [`Self::signer_verified`].
    pub(crate) async fn require_authenticated(
        &self,
        signer: &Signer,
        session: Option<&str>,
    ) -> Result<(), CoreError> {
        if self.signer_verified(signer, session).await? {
            Ok(())
        } else {
            Err(CoreError::AuthenticationRequired)
        }
    }

    /// The browser session a cookie names, if it is this signer's, of the current link
    /// generation, and not expired.
    async fn own_session(
        &self,
        signer: &Signer,
        cookie: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<Option<SignerSession>, CoreError> {
        let Some(cookie) = cookie.filter(|c| !c.is_empty() && c.len() <= 128) else {
            return Ok(None);
        };
        let found = self
            .store_ref()
            .signer_session(&sha256(cookie.as_bytes()))
            .await?;
        Ok(found.filter(|s| {
            s.signer_id == signer.id
                && s.envelope_id == signer.envelope_id
                && s.generation == signer.token_generation
                && s.expires_at > now
        }))
    }

    /// Appends an event by the token's signer to the envelope's chain; returns the envelope
    /// as committed (the event is its chain head).
    pub(crate) async fn signer_event(
        &self,
        token: &str,
        kind: EventKind,
        data: Value,
        client: &ClientInfo,
    ) -> Result<crate::model::EnvelopeRecord, CoreError> {
        retrying(|| async {
            let (record, signer_id) = self.resolve_token(token).await?;
            let mut change = Mutation::of(record, self.now());
            change.event(kind, Actor::Signer { signer_id }, client, data.clone());
            self.commit(change).await
        })
        .await
    }
}

/// A browser session of `signer` made at `now`, not verified yet.
pub(crate) fn unverified_session(
    signer: &Signer,
    record: &crate::model::EnvelopeRecord,
    hash: [u8; 32],
    now: OffsetDateTime,
) -> SignerSession {
    SignerSession {
        hash,
        account_id: record.envelope.account_id,
        envelope_id: signer.envelope_id,
        signer_id: signer.id,
        generation: signer.token_generation,
        created_at: now,
        expires_at: now + otp::SESSION_TTL,
        verified_at: None,
    }
}
