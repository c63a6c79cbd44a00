//! Signer authentication at an OpenID Connect identity provider (`auth_method` `oidc`):
//! starting a login from the signer's browser session (a random `state`, stored only as its
//! SHA-256; the PKCE verifier and the nonce derived from it with an instance key) and
//! finishing it at the callback, which verifies that same session, as a right one-time code
//! does, and records the verified claims as evidence (`identity_verified`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::CoreError;
use crate::model::{
    AuthMethod, EventKind, IdentityMismatch, Signer, SignerOidcRequest, SignerSession,
};
use crate::mutation::ClientInfo;
use crate::otp;
use crate::port::{AuthorizationRequest, CodeExchange, IdentityError, IdentityProviders};
use crate::secret::{constant_time_eq, random_bytes, sha256};
use crate::service::Signet;
use crate::usecase::auth_pass::AuthPassIssued;
use crate::usecase::signing::require_actionable;

/// How long a started login may take to come back.
pub const REQUEST_TTL: Duration = Duration::minutes(10);

/// A login to send the browser to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityStart {
    /// The provider's authorization URL.
    pub authorization_url: String,
    /// The `state` (also kept in a short-lived cookie that binds the callback to this browser).
    pub state: String,
    /// A new browser-session cookie value to set, when the browser had none for this signer.
    pub new_session: Option<String>,
}

/// What the provider's redirect brought back, and the browser's state cookie.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdentityCallback<'a> {
    /// `state` from the query.
    pub state: Option<&'a str>,
    /// The state cookie the login's start set in this browser.
    pub state_cookie: Option<&'a str>,
    /// `code` from the query.
    pub code: Option<&'a str>,
    /// `error` from the query (`access_denied`, …).
    pub error: Option<&'a str>,
}

/// A finished login: the signer's link and the verified browser session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityVerified {
    /// The signing link's token (the callback URL does not carry it).
    pub token: String,
    /// The new session cookie value (only its SHA-256 is stored).
    pub session: String,
    /// When the session was verified.
    pub verified_at: OffsetDateTime,
    /// When the session ends.
    pub expires_at: OffsetDateTime,
    /// An auth pass for this browser, when the envelope has extended authentication sessions.
    pub auth_pass: Option<AuthPassIssued>,
}

/// A failed callback: why, and the signing link it belongs to when that is known (so the page
/// can speak the signer's language and offer another try).
#[derive(Debug)]
pub struct IdentityFailure {
    /// The signing link's token, when the state named a login.
    pub token: Option<String>,
    /// The error.
    pub error: CoreError,
}

fn state_invalid() -> CoreError {
    CoreError::conflict(
        "identity_state_invalid",
        "this identity check does not belong to this browser or was finished already; \
         start it again from the signing page",
    )
}

/// The core error for an adapter's failure.
fn identity_error(err: IdentityError) -> CoreError {
    match err {
        IdentityError::UnknownProvider(name) => CoreError::invalid(
            "identity_provider_unknown",
            format!("no identity provider named {name:?} is configured"),
        ),
        IdentityError::Unavailable(_) => CoreError::Unavailable(
            "the identity provider cannot be reached; try again shortly".into(),
        ),
        IdentityError::Rejected(_) => CoreError::invalid(
            "identity_rejected",
            "the identity provider's answer could not be verified; try again",
        ),
        IdentityError::ClaimMissing(claim) => CoreError::invalid(
            "identity_claim_missing",
            format!("the identity provider did not confirm {claim}"),
        ),
    }
}

/// The recorded failure for claims that do not confirm the signer the sender named.
fn mismatch(why: IdentityMismatch) -> Recorded {
    match why {
        IdentityMismatch::Missing(claim) => Recorded::new(
            format!("the provider did not confirm the expected {claim}"),
            identity_error(IdentityError::ClaimMissing(claim.into())),
        ),
        IdentityMismatch::Differs(claim) => Recorded::new(
            format!("the provider confirmed another {claim} than the sender named"),
            CoreError::invalid(
                "identity_mismatch",
                "the identity the provider confirmed is not the one the sender named; \
                 ask the sender to check your details",
            ),
        ),
    }
}

/// The provider a signer logs in at, or 409 `identity_not_needed`.
pub(crate) fn provider_of(signer: &Signer) -> Result<&str, CoreError> {
    match (signer.auth_method, signer.identity_provider.as_deref()) {
        (AuthMethod::Oidc, Some(name)) => Ok(name),
        _ => Err(CoreError::conflict(
            "identity_not_needed",
            "this signer does not verify their identity at an identity provider",
        )),
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Signet {
    /// The redirect URI registered at every provider: `{public URL}/oidc/callback`.
    pub fn oidc_redirect_uri(&self) -> String {
        format!("{}/oidc/callback", self.config().public_url)
    }

    fn identity_port(&self) -> Result<&dyn IdentityProviders, CoreError> {
        self.deps.identity.as_deref().ok_or_else(|| {
            CoreError::invalid(
                "identity_provider_unknown",
                "this instance has no identity provider configured (SIGNET_OIDC_PROVIDERS)",
            )
        })
    }

    /// Whether an identity provider named `name` is configured.
    pub fn has_identity_provider(&self, name: &str) -> bool {
        self.deps.identity.as_ref().is_some_and(|p| p.has(name))
    }

    /// 422 `identity_provider_unknown` unless `name` is a configured provider.
    pub(crate) fn require_identity_provider(&self, name: &str) -> Result<(), CoreError> {
        if self.identity_port()?.has(name) {
            Ok(())
        } else {
            Err(identity_error(IdentityError::UnknownProvider(name.into())))
        }
    }

    /// The PKCE verifier and nonce of the login whose state is `state`.
    fn login_secrets(&self, state: &str) -> (String, String) {
        let codes = &self.keys().otp_codes;
        (
            b64(&codes.derive("oidc-pkce-verifier", state)),
            b64(&codes.derive("oidc-nonce", state)),
        )
    }

    /// Starts a login at the token's signer's identity provider, bound to this browser's
    /// session (`session`, the cookie, or a new one returned in
    /// [`IdentityStart::new_session`]).
    pub async fn start_identity_verification(
        &self,
        token: &str,
        session: Option<&str>,
    ) -> Result<IdentityStart, CoreError> {
        let (record, signer_id) = self.resolve_token(token).await?;
        let signer = record
            .signer(signer_id)
            .cloned()
            .ok_or(CoreError::NotFound("signing link"))?;
        let provider = provider_of(&signer)?.to_owned();
        require_actionable(&record, &signer)?;
        let port = self.identity_port()?;
        let now = self.now();
        let (session_hash, new_session) = self.session_for(&signer, &record, session, now).await?;
        let state = b64(&random_bytes::<32>());
        let (verifier, nonce) = self.login_secrets(&state);
        let request = SignerOidcRequest {
            state_hash: sha256(state.as_bytes()),
            account_id: record.envelope.account_id,
            envelope_id: signer.envelope_id,
            signer_id: signer.id,
            generation: signer.token_generation,
            provider: provider.clone(),
            session_hash,
            created_at: now,
            expires_at: now + REQUEST_TTL,
            used_at: None,
        };
        let redirect_uri = self.oidc_redirect_uri();
        let authorization_url = port
            .authorization_url(
                &provider,
                &AuthorizationRequest {
                    state: &state,
                    nonce: &nonce,
                    code_challenge: &b64(&sha256(verifier.as_bytes())),
                    redirect_uri: &redirect_uri,
                },
            )
            .await
            .map_err(identity_error)?;
        self.store_ref()
            .create_signer_oidc_request(&request)
            .await?;
        Ok(IdentityStart {
            authorization_url,
            state,
            new_session,
        })
    }

    /// Finishes a login at the provider's redirect: the state must name an unused, unexpired
    /// login started in this browser (its state cookie), the provider must have given a code,
    /// and the ID token must pass validation. Then the session that started the login is
    /// verified under a new cookie value and `identity_verified` is recorded; failures after
    /// the state was recognised are recorded as `identity_failed`.
    pub async fn finish_identity_verification(
        &self,
        callback: &IdentityCallback<'_>,
        client: &ClientInfo,
    ) -> Result<IdentityVerified, IdentityFailure> {
        let fail = |token: Option<&String>, error| IdentityFailure {
            token: token.cloned(),
            error,
        };
        let state = callback
            .state
            .filter(|s| !s.is_empty() && s.len() <= 128)
            .ok_or_else(|| fail(None, state_invalid()))?;
        let request = self
            .store_ref()
            .signer_oidc_request(&sha256(state.as_bytes()))
            .await
            .map_err(|e| fail(None, e.into()))?
            .ok_or_else(|| fail(None, state_invalid()))?;
        let token = self
            .keys()
            .tokens
            .token(request.signer_id, request.generation);
        let outcome = self.finish_login(callback, state, &request, &token).await;
        let (kind, data, result) = match outcome {
            Ok((identity_data, verified)) => {
                (EventKind::IdentityVerified, identity_data, Ok(verified))
            }
            Err(Recorded {
                record: false,
                error,
                ..
            }) => return Err(fail(Some(&token), error)),
            Err(Recorded { reason, error, .. }) => {
                let data = json!({"signer_id": request.signer_id, "provider": request.provider,
                    "reason": reason});
                (EventKind::IdentityFailed, data, Err(error))
            }
        };
        let recorded = match self.signer_event(&token, kind, data, client).await {
            Ok(recorded) => recorded,
            Err(err) => return Err(fail(Some(&token), err)),
        };
        let mut verified = result.map_err(|error| fail(Some(&token), error))?;
        verified.auth_pass = self
            .issue_auth_pass(&recorded, request.signer_id, verified.verified_at)
            .await;
        Ok(verified)
    }

    /// The checks before the exchange: the state cookie of this browser, a link still open for
    /// this signer, the login's single use, its age and the provider's `error`. Returns the
    /// signer.
    async fn claim_login(
        &self,
        callback: &IdentityCallback<'_>,
        state: &str,
        request: &SignerOidcRequest,
        token: &str,
    ) -> Result<Signer, Recorded> {
        let bound = callback
            .state_cookie
            .is_some_and(|c| constant_time_eq(c.as_bytes(), state.as_bytes()));
        if !bound {
            return Err(Recorded::new(
                "the state does not belong to this browser",
                state_invalid(),
            ));
        }
        let (record, signer_id) = self.resolve_token(token).await.map_err(Recorded::quiet)?;
        let signer = record
            .signer(signer_id)
            .cloned()
            .filter(|s| s.id == request.signer_id)
            .ok_or(CoreError::NotFound("signing link"))
            .map_err(Recorded::quiet)?;
        require_actionable(&record, &signer).map_err(Recorded::quiet)?;
        let now = self.now();
        let account = record.envelope.account_id;
        let first = self
            .store_ref()
            .use_signer_oidc_request(account, &request.state_hash, now)
            .await
            .map_err(|e| Recorded::quiet(e.into()))?;
        if !first {
            return Err(Recorded::new("the state was used already", state_invalid()));
        }
        if request.expires_at <= now {
            let err = CoreError::invalid(
                "identity_expired",
                "the identity check took too long; start it again",
            );
            return Err(Recorded::new("the login took longer than 10 minutes", err));
        }
        if let Some(error) = callback.error {
            let err = CoreError::invalid(
                "identity_denied",
                "the identity provider did not confirm your identity",
            );
            let reason: String = error.chars().take(64).collect();
            return Err(Recorded::new(
                format!("the provider answered {reason}"),
                err,
            ));
        }
        Ok(signer)
    }

    /// The checks and the exchange of one callback; the event data on success, else why.
    async fn finish_login(
        &self,
        callback: &IdentityCallback<'_>,
        state: &str,
        request: &SignerOidcRequest,
        token: &str,
    ) -> Result<(serde_json::Value, IdentityVerified), Recorded> {
        let signer = self.claim_login(callback, state, request, token).await?;
        let (now, account) = (self.now(), request.account_id);
        let code = callback
            .code
            .filter(|c| !c.is_empty() && c.len() <= 2048)
            .ok_or_else(|| {
                Recorded::new(
                    "the provider sent no code",
                    identity_error(IdentityError::Rejected(String::new())),
                )
            })?;
        let (verifier, nonce) = self.login_secrets(state);
        let redirect_uri = self.oidc_redirect_uri();
        let exchange = CodeExchange {
            code,
            code_verifier: &verifier,
            nonce: &nonce,
            redirect_uri: &redirect_uri,
            now,
        };
        let identity = self
            .identity_port()
            .map_err(Recorded::quiet)?
            .exchange(&request.provider, &exchange)
            .await
            .map_err(|e| Recorded::new(e.to_string(), identity_error(e)))?;
        if let Some(expected) = &signer.expected_identity {
            expected.check(&identity.claims).map_err(mismatch)?;
        }
        let (value, hash) = super::otp::new_cookie();
        let verified = SignerSession {
            hash,
            account_id: account,
            envelope_id: signer.envelope_id,
            signer_id: signer.id,
            generation: signer.token_generation,
            created_at: now,
            expires_at: now + otp::SESSION_TTL,
            verified_at: Some(now),
        };
        let replaced = self
            .store_ref()
            .replace_signer_session(account, &request.session_hash, &verified)
            .await
            .map_err(|e| Recorded::quiet(e.into()))?;
        if !replaced {
            return Err(Recorded::new(
                "the browser session that started it is gone",
                state_invalid(),
            ));
        }
        let data = json!({"signer_id": signer.id, "provider": request.provider,
            "issuer": identity.issuer, "subject": identity.subject, "claims": identity.claims,
            "id_token_sha256": hex::encode(identity.id_token_sha256)});
        Ok((
            data,
            IdentityVerified {
                token: token.to_owned(),
                session: value,
                verified_at: now,
                expires_at: verified.expires_at,
                auth_pass: None,
            },
        ))
    }
}

/// A failed callback: the error, and the reason recorded in `identity_failed`.
struct Recorded {
    reason: String,
    error: CoreError,
    record: bool,
}

impl Recorded {
    fn new(reason: impl Into<String>, error: CoreError) -> Self {
        Self {
            reason: reason.into(),
            error,
            record: true,
        }
    }

    /// A failure that is not about the login (the link is closed, the store failed): not
    /// recorded.
    fn quiet(error: CoreError) -> Self {
        Self {
            reason: String::new(),
            error,
            record: false,
        }
    }
}
