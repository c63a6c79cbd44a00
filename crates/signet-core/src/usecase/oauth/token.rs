//! The token endpoint (RFC 6749 §3.2, §4.1.3, §4.4, §6) and revocation (RFC 7009).
//!
//! Codes are single-use: a second exchange revokes every token issued from the first.
//! Refresh tokens rotate on every use; presenting one that was already exchanged revokes its
//! whole family (RFC 9700 §4.14.2). Client secrets compare in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use super::{ACCESS_PREFIX, OAuthError, REFRESH_PREFIX, new_secret, ttl};
use crate::id::{OAuthClientId, OAuthTokenId, UserId};
use crate::model::{GrantType, OAuthClient, OAuthToken, Scopes, TokenKind};
use crate::secret::{constant_time_eq, sha256};
use crate::service::Signet;
use crate::usecase::account::role_scopes;

/// The form parameters of a token request.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct TokenParams {
    /// `authorization_code`, `refresh_token` or `client_credentials`.
    pub grant_type: Option<String>,
    /// The authorization code.
    pub code: Option<String>,
    /// The redirect URI the code was sent to.
    pub redirect_uri: Option<String>,
    /// The PKCE verifier.
    pub code_verifier: Option<String>,
    /// The refresh token.
    pub refresh_token: Option<String>,
    /// A narrower scope (refresh, client credentials).
    pub scope: Option<String>,
    /// The client (`client_secret_post`, or a public client).
    pub client_id: Option<String>,
    /// The client's secret (`client_secret_post`).
    pub client_secret: Option<String>,
}

/// How the client identified itself (from HTTP Basic or the form).
#[derive(Clone, Debug)]
pub struct ClientAuth {
    /// The `client_id`.
    pub client_id: String,
    /// The secret, if one was sent.
    pub secret: Option<String>,
}

/// A successful token response, exactly the fields the Stiply document shows plus `scope`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TokenResponse {
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds the access token works.
    pub expires_in: i64,
    /// The access token.
    pub access_token: String,
    /// The refresh token (not for client credentials).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The granted scopes, space-separated.
    pub scope: String,
}

/// Who the new tokens are for.
pub(super) struct Grant {
    pub(super) client: OAuthClient,
    pub(super) user_id: UserId,
    pub(super) scopes: Scopes,
    pub(super) family_id: Uuid,
    pub(super) with_refresh: bool,
}

fn unsupported_grant() -> OAuthError {
    OAuthError::new(
        "unsupported_grant_type",
        "grant_type must be authorization_code, refresh_token or client_credentials",
    )
}

/// True when `verifier` hashes to the S256 `challenge` (RFC 7636 §4.6).
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    let computed = URL_SAFE_NO_PAD.encode(sha256(verifier.as_bytes()));
    well_formed && constant_time_eq(computed.as_bytes(), challenge.as_bytes())
}

impl Signet {
    /// Authenticates a client: a confidential one by its secret, a public one by its id alone.
    pub async fn authenticate_client(&self, auth: &ClientAuth) -> Result<OAuthClient, OAuthError> {
        let id: OAuthClientId = auth
            .client_id
            .parse()
            .map_err(|_| OAuthError::invalid_client())?;
        let client = self
            .store_ref()
            .oauth_client(id)
            .await?
            .ok_or_else(OAuthError::invalid_client)?;
        let ok = match (&client.secret_hash, &auth.secret) {
            (Some(stored), Some(given)) => constant_time_eq(&sha256(given.as_bytes()), stored),
            (None, None) => true,
            _ => false,
        };
        if ok {
            Ok(client)
        } else {
            Err(OAuthError::invalid_client())
        }
    }

    /// Answers a token request.
    pub async fn token(
        &self,
        auth: &ClientAuth,
        params: &TokenParams,
    ) -> Result<TokenResponse, OAuthError> {
        let grant_type = params
            .grant_type
            .as_deref()
            .ok_or_else(|| OAuthError::invalid_request("grant_type is missing"))?;
        let grant_type = GrantType::parse(grant_type).ok_or_else(unsupported_grant)?;
        let client = self.authenticate_client(auth).await?;
        if !client.allows(grant_type) {
            return Err(OAuthError::new(
                "unauthorized_client",
                format!("this client may not use the {grant_type} grant"),
            ));
        }
        match grant_type {
            GrantType::AuthorizationCode => self.exchange_code(client, params).await,
            GrantType::RefreshToken => self.refresh(client, params).await,
            GrantType::ClientCredentials => self.client_credentials(client, params).await,
        }
    }

    async fn exchange_code(
        &self,
        client: OAuthClient,
        params: &TokenParams,
    ) -> Result<TokenResponse, OAuthError> {
        let text = params
            .code
            .as_deref()
            .ok_or_else(|| OAuthError::invalid_request("code is missing"))?;
        let now = self.now();
        let (code, first_use) = self
            .store_ref()
            .use_auth_code(&sha256(text.as_bytes()), now)
            .await?
            .filter(|(code, _)| code.client_id == client.id)
            .ok_or_else(|| OAuthError::invalid_grant("the code is not valid"))?;
        if !first_use {
            self.store_ref()
                .revoke_token_family(code.family_id, now)
                .await?;
            return Err(OAuthError::invalid_grant(
                "the code was used already; the tokens issued for it are revoked",
            ));
        }
        if now >= code.expires_at {
            return Err(OAuthError::invalid_grant("the code has expired"));
        }
        let redirect_ok = match &params.redirect_uri {
            Some(given) => *given == code.redirect_uri,
            None => client.redirect_uris.len() == 1,
        };
        if !redirect_ok {
            return Err(OAuthError::invalid_grant(
                "redirect_uri does not match the authorization request",
            ));
        }
        match (&code.code_challenge, &params.code_verifier) {
            (Some(challenge), Some(verifier)) if pkce_matches(verifier, challenge) => {}
            (Some(_), _) => {
                return Err(OAuthError::invalid_grant(
                    "the code_verifier does not match",
                ));
            }
            (None, Some(_)) => {
                return Err(OAuthError::invalid_grant(
                    "code_verifier sent for a code issued without code_challenge",
                ));
            }
            (None, None) => {}
        }
        let scopes = self
            .live_user_scopes(&client, code.user_id, code.scopes)
            .await?;
        let with_refresh = client.allows(GrantType::RefreshToken);
        self.issue(
            Grant {
                client,
                user_id: code.user_id,
                scopes,
                family_id: code.family_id,
                with_refresh,
            },
            None,
        )
        .await
    }

    async fn refresh(
        &self,
        client: OAuthClient,
        params: &TokenParams,
    ) -> Result<TokenResponse, OAuthError> {
        let text = params
            .refresh_token
            .as_deref()
            .ok_or_else(|| OAuthError::invalid_request("refresh_token is missing"))?;
        let invalid = || OAuthError::invalid_grant("the refresh token is not valid");
        let old = self
            .store_ref()
            .oauth_token(&sha256(text.as_bytes()))
            .await?
            .filter(|t| t.kind == TokenKind::Refresh && t.client_id == client.id)
            .ok_or_else(invalid)?;
        let now = self.now();
        if old.used_at.is_some() {
            self.store_ref()
                .revoke_token_family(old.family_id, now)
                .await?;
            return Err(OAuthError::invalid_grant(
                "the refresh token was used already; its family is revoked",
            ));
        }
        if old.revoked_at.is_some() || now >= old.expires_at {
            return Err(invalid());
        }
        let requested = narrower_scope(params.scope.as_deref(), old.scopes)?;
        let scopes = self
            .live_user_scopes(&client, old.user_id, requested)
            .await?;
        let grant = Grant {
            client,
            user_id: old.user_id,
            scopes,
            family_id: old.family_id,
            with_refresh: true,
        };
        self.issue(grant, Some(&old)).await
    }

    async fn client_credentials(
        &self,
        client: OAuthClient,
        params: &TokenParams,
    ) -> Result<TokenResponse, OAuthError> {
        let requested = narrower_scope(params.scope.as_deref(), client.scopes)?;
        let user_id = client.user_id;
        let scopes = self.live_user_scopes(&client, user_id, requested).await?;
        let grant = Grant {
            client,
            user_id,
            scopes,
            family_id: Uuid::now_v7(),
            with_refresh: false,
        };
        self.issue(grant, None).await
    }

    /// `scopes` limited to what the user's role allows now; the user must still be active.
    async fn live_user_scopes(
        &self,
        client: &OAuthClient,
        user_id: UserId,
        scopes: Scopes,
    ) -> Result<Scopes, OAuthError> {
        let user = self
            .store_ref()
            .user(client.account_id, user_id)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or_else(|| OAuthError::invalid_grant("the user is disabled"))?;
        let granted = scopes.intersect(role_scopes(user.role));
        if granted.is_empty() {
            return Err(OAuthError::new(
                "invalid_scope",
                "no requested scope can be granted",
            ));
        }
        Ok(granted)
    }

    pub(super) async fn issue(
        &self,
        grant: Grant,
        rotated: Option<&OAuthToken>,
    ) -> Result<TokenResponse, OAuthError> {
        let now = self.now();
        let access_ttl = ttl(self.config().oauth_access_ttl);
        let token = |kind, text: &str, lifetime| OAuthToken {
            id: OAuthTokenId::generate(),
            hash: sha256(text.as_bytes()),
            kind,
            account_id: grant.client.account_id,
            client_id: grant.client.id,
            user_id: grant.user_id,
            scopes: grant.scopes,
            family_id: grant.family_id,
            created_at: now,
            expires_at: now + lifetime,
            used_at: None,
            revoked_at: None,
        };
        let (access, _) = new_secret(ACCESS_PREFIX);
        let mut rows = vec![token(TokenKind::Access, &access, access_ttl)];
        let refresh = grant.with_refresh.then(|| new_secret(REFRESH_PREFIX).0);
        if let Some(text) = &refresh {
            rows.push(token(
                TokenKind::Refresh,
                text,
                ttl(self.config().oauth_refresh_ttl),
            ));
        }
        if !self
            .store_ref()
            .issue_oauth_tokens(rotated, &rows, now)
            .await?
        {
            // Another request exchanged the same refresh token first: a reuse.
            self.store_ref()
                .revoke_token_family(grant.family_id, now)
                .await?;
            return Err(OAuthError::invalid_grant(
                "the refresh token was used already; its family is revoked",
            ));
        }
        Ok(TokenResponse {
            token_type: "Bearer",
            expires_in: access_ttl.whole_seconds(),
            access_token: access,
            refresh_token: refresh,
            scope: grant.scopes.to_string(),
        })
    }

    /// Revokes a token of the authenticated client (RFC 7009). Unknown tokens, and tokens of
    /// other clients, are ignored. Revoking a refresh token revokes its whole family.
    pub async fn revoke_token(&self, auth: &ClientAuth, text: &str) -> Result<(), OAuthError> {
        let client = self.authenticate_client(auth).await?;
        let Some(token) = self
            .store_ref()
            .oauth_token(&sha256(text.as_bytes()))
            .await?
            .filter(|t| t.client_id == client.id)
        else {
            return Ok(());
        };
        let now = self.now();
        match token.kind {
            TokenKind::Refresh => {
                self.store_ref()
                    .revoke_token_family(token.family_id, now)
                    .await?
            }
            TokenKind::Access => self.store_ref().revoke_oauth_token(token.id, now).await?,
        }
        Ok(())
    }
}

/// The scopes a refresh or client-credentials request asks for: `allowed` when it names none,
/// else a subset of `allowed` (`invalid_scope` otherwise).
pub(super) fn narrower_scope(text: Option<&str>, allowed: Scopes) -> Result<Scopes, OAuthError> {
    let Some(text) = text else {
        return Ok(allowed);
    };
    Scopes::parse(text)
        .filter(|s| !s.is_empty() && allowed.covers(*s))
        .ok_or_else(|| OAuthError::new("invalid_scope", "the requested scope is not allowed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_an_independently_computed_challenge() {
        let verifier = "dBjftJeZ4CVP-mJ92aFTrLoKz0z4Qo8qHpZg4pzUdxI";
        let challenge = "EdaySlrYDg_PTaBX-t1je5lIvktwQR9a9RlIX_Zhpho";
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mJ92aFTrLoKz0z4Qo8qHpZg4pzUdxJ",
            challenge
        ));
        assert!(!pkce_matches("short", challenge));
    }

    #[test]
    fn a_narrower_scope_must_be_part_of_the_allowed_one() {
        let rw = Scopes::parse("read write").unwrap();
        assert_eq!(narrower_scope(None, rw).unwrap(), rw);
        assert_eq!(
            narrower_scope(Some("read"), rw).unwrap(),
            Scopes::parse("read").unwrap()
        );
        assert_eq!(
            narrower_scope(Some("admin"), rw).unwrap_err().error,
            "invalid_scope"
        );
        assert_eq!(
            narrower_scope(Some("bogus"), rw).unwrap_err().error,
            "invalid_scope"
        );
    }
}
