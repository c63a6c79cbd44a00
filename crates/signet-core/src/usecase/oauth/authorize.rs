//! The authorization endpoint (RFC 6749 §4.1.1) and the user's consent decision. The client
//! and its redirect URI are checked first: until the URI is known to be the client's, errors
//! are shown to the user and never redirected (§4.1.2.1). Then `response_type`, `scope` and
//! PKCE (`S256` only; required for public clients) are checked, and errors go back to the
//! client's redirect URI. An approval issues a single-use code valid for [`CODE_TTL`].

use time::Duration;
use uuid::Uuid;

use crate::CoreError;
use crate::id::OAuthClientId;
use crate::model::{AuthCode, GrantType, OAuthClient, Scopes, User};
use crate::service::Signet;
use crate::usecase::account::role_scopes;

/// How long an authorization code can be exchanged.
pub const CODE_TTL: Duration = Duration::seconds(60);

/// The query of an authorization request (and the hidden fields of the consent form).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct AuthorizeParams {
    /// Must be `code`.
    pub response_type: Option<String>,
    /// The client.
    pub client_id: Option<String>,
    /// One of the client's redirect URIs; optional when it has exactly one.
    pub redirect_uri: Option<String>,
    /// Echoed back to the client.
    pub state: Option<String>,
    /// Space-separated scopes; default: the client's scopes the user may grant.
    pub scope: Option<String>,
    /// PKCE challenge (base64url SHA-256 of the verifier).
    pub code_challenge: Option<String>,
    /// Must be `S256` when a challenge is sent.
    pub code_challenge_method: Option<String>,
}

/// Why an authorization request fails.
#[derive(Debug)]
pub enum AuthorizeError {
    /// The client or redirect URI is not valid: tell the user, don't redirect.
    Page(String),
    /// Redirect to the client with an RFC 6749 §4.1.2.1 error.
    Redirect {
        /// The client's validated redirect URI.
        redirect_uri: String,
        /// The error code.
        error: &'static str,
        /// What is wrong.
        description: String,
        /// The request's `state`.
        state: Option<String>,
    },
    /// Signet failed.
    Failed(CoreError),
}

impl From<CoreError> for AuthorizeError {
    fn from(err: CoreError) -> Self {
        Self::Failed(err)
    }
}

/// A valid request, ready for the user's decision.
#[derive(Clone, Debug)]
pub struct ConsentRequest {
    /// The client asking.
    pub client: OAuthClient,
    /// Where the answer goes.
    pub redirect_uri: String,
    /// Echoed back.
    pub state: Option<String>,
    /// What the user would grant.
    pub scopes: Scopes,
    /// The PKCE challenge, if any.
    pub code_challenge: Option<String>,
}

impl ConsentRequest {
    /// Where the browser goes when the user denies.
    pub fn denied_location(&self) -> String {
        redirect_location(
            &self.redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "the user denied the request"),
            ],
            self.state.as_deref(),
        )
    }
}

/// `redirect_uri` with `pairs` and `state` added to its query.
pub fn redirect_location(
    redirect_uri: &str,
    pairs: &[(&str, &str)],
    state: Option<&str>,
) -> String {
    let Ok(mut url) = url::Url::parse(redirect_uri) else {
        return redirect_uri.to_owned();
    };
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in pairs {
            query.append_pair(name, value);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    url.to_string()
}

fn page(message: &str) -> AuthorizeError {
    AuthorizeError::Page(message.to_owned())
}

/// True for a well-formed S256 challenge: 43 base64url characters (a SHA-256).
fn valid_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Signet {
    /// Finds the client and the redirect URI the request names; errors are for a page.
    pub async fn authorize_client(
        &self,
        params: &AuthorizeParams,
    ) -> Result<(OAuthClient, String), AuthorizeError> {
        let id: OAuthClientId = params
            .client_id
            .as_deref()
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| page("The request names no valid client (client_id)."))?;
        let client = self
            .store_ref()
            .oauth_client(id)
            .await
            .map_err(CoreError::from)?
            .ok_or_else(|| page("The application asking for access is not registered."))?;
        let redirect_uri = match (&params.redirect_uri, client.redirect_uris.as_slice()) {
            (Some(given), registered) if registered.contains(given) => given.clone(),
            (None, [only]) => only.clone(),
            (None, _) => return Err(page("The request must name its redirect_uri.")),
            (Some(_), _) => {
                return Err(page(
                    "The redirect URI is not registered for this application.",
                ));
            }
        };
        Ok((client, redirect_uri))
    }

    /// Checks the whole request for a logged-in `user`.
    pub async fn authorize_request(
        &self,
        params: &AuthorizeParams,
        user: &User,
    ) -> Result<ConsentRequest, AuthorizeError> {
        let (client, redirect_uri) = self.authorize_client(params).await?;
        if client.account_id != user.account_id {
            return Err(page(
                "This application belongs to another account than the one you are logged in to.",
            ));
        }
        let fail = |error: &'static str, description: &str| AuthorizeError::Redirect {
            redirect_uri: redirect_uri.clone(),
            error,
            description: description.to_owned(),
            state: params.state.clone(),
        };
        if params.response_type.as_deref() != Some("code") {
            return Err(fail(
                "unsupported_response_type",
                "response_type must be code",
            ));
        }
        if !client.allows(GrantType::AuthorizationCode) {
            return Err(fail(
                "unauthorized_client",
                "this client may not use the authorization code grant",
            ));
        }
        let requested = match params.scope.as_deref() {
            None => client.scopes,
            Some(text) => {
                Scopes::parse(text).ok_or_else(|| fail("invalid_scope", "unknown scope"))?
            }
        };
        let scopes = requested.intersect(role_scopes(user.role));
        if !client.scopes.covers(requested) || scopes.is_empty() {
            return Err(fail(
                "invalid_scope",
                "the requested scope is not allowed for this client",
            ));
        }
        let code_challenge = self
            .check_pkce(params, &client)
            .map_err(|d| fail("invalid_request", d))?;
        Ok(ConsentRequest {
            client,
            redirect_uri: redirect_uri.clone(),
            state: params.state.clone(),
            scopes,
            code_challenge,
        })
    }

    fn check_pkce(
        &self,
        params: &AuthorizeParams,
        client: &OAuthClient,
    ) -> Result<Option<String>, &'static str> {
        match (
            &params.code_challenge,
            params.code_challenge_method.as_deref(),
        ) {
            (None, _) if !client.is_confidential() => {
                Err("PKCE (code_challenge with S256) is required for public clients")
            }
            (None, None) => Ok(None),
            (None, Some(_)) => Err("code_challenge_method without code_challenge"),
            (Some(challenge), Some("S256")) if valid_challenge(challenge) => {
                Ok(Some(challenge.clone()))
            }
            (Some(_), Some("S256")) => Err("code_challenge must be 43 base64url characters"),
            (Some(_), _) => Err("code_challenge_method must be S256"),
        }
    }

    /// The user approved: issues a code and returns where the browser goes with it.
    pub async fn approve_authorization(
        &self,
        request: &ConsentRequest,
        user: &User,
    ) -> Result<String, CoreError> {
        let (code, hash) = super::new_secret("");
        let now = self.now();
        self.store_ref()
            .create_auth_code(&AuthCode {
                hash,
                client_id: request.client.id,
                account_id: user.account_id,
                user_id: user.id,
                redirect_uri: request.redirect_uri.clone(),
                scopes: request.scopes,
                code_challenge: request.code_challenge.clone(),
                family_id: Uuid::now_v7(),
                created_at: now,
                expires_at: now + CODE_TTL,
                used_at: None,
            })
            .await?;
        Ok(redirect_location(
            &request.redirect_uri,
            &[("code", &code)],
            request.state.as_deref(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_locations_keep_the_query_and_encode_values() {
        assert_eq!(
            redirect_location("https://a.example/cb?x=1", &[("code", "a b")], Some("s&t")),
            "https://a.example/cb?x=1&code=a+b&state=s%26t"
        );
        assert_eq!(
            redirect_location("http://127.0.0.1:9/cb", &[("error", "access_denied")], None),
            "http://127.0.0.1:9/cb?error=access_denied"
        );
    }
}
