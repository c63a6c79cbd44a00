//! Registering OAuth2 clients: per account, by an owner or admin (or the operator's CLI).
//! Redirect URIs must be absolute `https` URLs, or `http` on a loopback host (RFC 8252 §7.3);
//! a confidential client gets a secret shown once and stored as its SHA-256.

use crate::CoreError;
use crate::id::{AccountId, OAuthClientId, UserId};
use crate::model::{GrantType, OAuthClient, Scopes};
use crate::service::Signet;
use crate::usecase::account::{Principal, role_scopes};
use crate::usecase::validate;

/// What registering a client asks for.
#[derive(Clone, Debug)]
pub struct NewOAuthClient {
    /// Shown on the consent page.
    pub name: String,
    /// Where codes may be sent.
    pub redirect_uris: Vec<String>,
    /// Confidential (with a secret) or public (PKCE only).
    pub confidential: bool,
    /// The grants it may use; `None`: every grant its type allows.
    pub grants: Option<Vec<GrantType>>,
    /// The most it may ask for; `None`: everything its registering user may do.
    pub scopes: Option<Scopes>,
}

/// A new client and its secret (shown only now; `None` for public clients).
#[derive(Clone, Debug)]
pub struct CreatedClient {
    /// The client.
    pub client: OAuthClient,
    /// The client secret, for confidential clients.
    pub client_secret: Option<String>,
}

/// Most redirect URIs per client.
const MAX_REDIRECT_URIS: usize = 10;

/// Parses grant type names; an unknown one is `invalid_grant_type`.
pub fn parse_grants(names: &[String]) -> Result<Vec<GrantType>, CoreError> {
    names
        .iter()
        .map(|name| {
            GrantType::parse(name).ok_or_else(|| {
                CoreError::invalid(
                    "invalid_grant_type",
                    format!(
                        "{name:?} is not authorization_code, refresh_token or client_credentials"
                    ),
                )
            })
        })
        .collect()
}

/// Parses space-separated scope names; an unknown one is `invalid_scope`.
pub fn parse_scopes(text: &str) -> Result<Scopes, CoreError> {
    Scopes::parse(text).ok_or_else(|| {
        CoreError::invalid(
            "invalid_scope",
            format!("{text:?} holds a scope other than read, write and admin"),
        )
    })
}

/// Checks one redirect URI: absolute, no fragment, `https`, or `http` on a loopback host.
pub fn check_redirect_uri(uri: &str) -> Result<(), CoreError> {
    let bad = |why: &str| {
        CoreError::invalid(
            "invalid_redirect_uri",
            format!("redirect URI {uri:?} {why}"),
        )
    };
    let url = url::Url::parse(uri).map_err(|_| bad("is not an absolute URL"))?;
    if url.fragment().is_some() {
        return Err(bad("must not have a fragment"));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(bad("has no host")),
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(bad("must use https (http only on a loopback host)")),
    }
}

fn check_grants(new: &NewOAuthClient) -> Result<Vec<GrantType>, CoreError> {
    let grants = new.grants.clone().unwrap_or_else(|| {
        let mut all = vec![GrantType::AuthorizationCode, GrantType::RefreshToken];
        if new.confidential {
            all.push(GrantType::ClientCredentials);
        }
        all
    });
    if grants.is_empty() {
        return Err(CoreError::invalid(
            "invalid_grant_type",
            "a client needs at least one grant type",
        ));
    }
    if !new.confidential && grants.contains(&GrantType::ClientCredentials) {
        return Err(CoreError::invalid(
            "invalid_grant_type",
            "client_credentials needs a confidential client",
        ));
    }
    if grants.contains(&GrantType::AuthorizationCode) && new.redirect_uris.is_empty() {
        return Err(CoreError::invalid(
            "invalid_redirect_uri",
            "the authorization_code grant needs at least one redirect URI",
        ));
    }
    Ok(grants)
}

impl Signet {
    /// Registers a client for the caller's account (owners and admins).
    pub async fn create_oauth_client(
        &self,
        who: &Principal,
        new: NewOAuthClient,
    ) -> Result<CreatedClient, CoreError> {
        who.require_admin()?;
        self.register_oauth_client(who.account_id, who.user_id, new)
            .await
    }

    /// Registers a client for `user` of `account` (the operator's CLI; the API goes through
    /// [`Signet::create_oauth_client`]). Its scopes never exceed what the user's role allows.
    pub async fn register_oauth_client(
        &self,
        account: AccountId,
        user_id: UserId,
        new: NewOAuthClient,
    ) -> Result<CreatedClient, CoreError> {
        let user = self
            .store_ref()
            .user(account, user_id)
            .await?
            .ok_or(CoreError::NotFound("user"))?;
        let name = validate::text("name", &new.name, 1, 200)?;
        if new.redirect_uris.len() > MAX_REDIRECT_URIS {
            return Err(CoreError::invalid(
                "invalid_redirect_uri",
                format!("a client may have at most {MAX_REDIRECT_URIS} redirect URIs"),
            ));
        }
        new.redirect_uris
            .iter()
            .try_for_each(|uri| check_redirect_uri(uri))?;
        let grants = check_grants(&new)?;
        let allowed = role_scopes(user.role);
        let scopes = new.scopes.unwrap_or(allowed);
        if scopes.is_empty() || !allowed.covers(scopes) {
            return Err(CoreError::invalid(
                "invalid_scope",
                format!("the scopes must be a non-empty part of \"{allowed}\""),
            ));
        }
        let secret = new
            .confidential
            .then(|| super::new_secret(super::SECRET_PREFIX));
        let client = OAuthClient {
            id: OAuthClientId::generate(),
            account_id: account,
            user_id,
            name,
            redirect_uris: new.redirect_uris,
            secret_hash: secret.as_ref().map(|(_, hash)| *hash),
            grants,
            scopes,
            created_at: self.now(),
        };
        self.store_ref().create_oauth_client(&client).await?;
        Ok(CreatedClient {
            client,
            client_secret: secret.map(|(text, _)| text),
        })
    }

    /// The caller's account's clients (owners and admins).
    pub async fn list_oauth_clients(&self, who: &Principal) -> Result<Vec<OAuthClient>, CoreError> {
        who.require_admin()?;
        Ok(self.store_ref().oauth_clients(who.account_id).await?)
    }

    /// One client of the caller's account (owners and admins); another account's is not found.
    pub async fn oauth_client(
        &self,
        who: &Principal,
        id: OAuthClientId,
    ) -> Result<OAuthClient, CoreError> {
        who.require_admin()?;
        self.store_ref()
            .account_oauth_client(who.account_id, id)
            .await?
            .ok_or(CoreError::NotFound("OAuth client"))
    }

    /// Deletes a client of the caller's account with its codes and tokens.
    pub async fn delete_oauth_client(
        &self,
        who: &Principal,
        id: OAuthClientId,
    ) -> Result<(), CoreError> {
        who.require_admin()?;
        self.remove_oauth_client(who.account_id, id).await
    }

    /// Deletes a client of `account` with its codes and tokens (also the CLI's path).
    pub async fn remove_oauth_client(
        &self,
        account: AccountId,
        id: OAuthClientId,
    ) -> Result<(), CoreError> {
        if self.store_ref().delete_oauth_client(account, id).await? {
            Ok(())
        } else {
            Err(CoreError::NotFound("OAuth client"))
        }
    }

    /// An account's clients (the operator's CLI).
    pub async fn oauth_clients_of(
        &self,
        account: AccountId,
    ) -> Result<Vec<OAuthClient>, CoreError> {
        Ok(self.store_ref().oauth_clients(account).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_must_be_https_or_loopback_http() {
        assert!(check_redirect_uri("https://app.example/cb?x=1").is_ok());
        assert!(check_redirect_uri("http://127.0.0.1:8000/cb").is_ok());
        assert!(check_redirect_uri("http://localhost/cb").is_ok());
        assert!(check_redirect_uri("http://[::1]:9/cb").is_ok());
        assert!(check_redirect_uri("http://app.example/cb").is_err());
        assert!(check_redirect_uri("https://app.example/cb#frag").is_err());
        assert!(check_redirect_uri("/relative").is_err());
        assert!(check_redirect_uri("javascript:alert(1)").is_err());
    }
}
