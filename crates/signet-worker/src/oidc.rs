//! [`HttpIdentityProviders`]: the core's `IdentityProviders` port for OpenID Connect providers
//! (authorization-code flow with PKCE S256). Each provider's discovery document and JWKS are
//! fetched on first use and cached (the JWKS is fetched again when a token names a key it
//! does not hold, as after a key rotation); codes are exchanged with `client_secret_basic` or
//! `client_secret_post`; the ID token is validated ([`id_token`]) and, when configured, the
//! userinfo endpoint adds claims. All HTTP follows the callbacks' outbound rules ([`http`]).

mod discovery;
mod http;
mod id_token;
mod jwks;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use base64::Engine;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use signet_core::port::{
    AuthorizationRequest, CodeExchange, IdentityError, IdentityProviders, VerifiedIdentity,
};

use crate::error::CallbackError;
use discovery::Discovery;
use http::ProviderHttp;
use jwks::JwkSet;

/// The claims recorded as evidence when the provider vouches for them (besides `sub` and a
/// provider's required claim).
pub const RECORDED_CLAIMS: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "email",
    "email_verified",
    "birthdate",
    "phone_number",
];

/// How Signet authenticates to a provider's token endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic with the URL-encoded client id and secret (`client_secret_basic`).
    #[default]
    Basic,
    /// The client id and secret in the form body (`client_secret_post`).
    Post,
}

/// One configured provider.
#[derive(Clone, Debug)]
pub struct OidcProviderConfig {
    /// The name signers' `identity_provider` (and Stiply's `auth_method`) use, e.g. `idin`.
    pub name: String,
    /// The issuer URL (discovery is at `{issuer}/.well-known/openid-configuration`).
    pub issuer: String,
    /// This instance's client id at the provider.
    pub client_id: String,
    /// Its client secret.
    pub client_secret: String,
    /// Scopes to ask for (`openid` is always added).
    pub scopes: Vec<String>,
    /// A claim the provider must vouch for (in the ID token or userinfo), else the login fails.
    pub required_claim: Option<String>,
    /// Token-endpoint authentication.
    pub client_auth: ClientAuth,
    /// Also ask the userinfo endpoint for claims.
    pub userinfo: bool,
}

/// Settings for [`HttpIdentityProviders`].
#[derive(Clone, Debug)]
pub struct OidcConfig {
    /// The providers.
    pub providers: Vec<OidcProviderConfig>,
    /// Allow providers on loopback and private networks, and plain `http` (tests only).
    pub allow_private: bool,
    /// Total time for one request to a provider.
    pub timeout: Duration,
    /// How long discovery documents and key sets are kept.
    pub cache_ttl: Duration,
}

struct Cached {
    discovery: Discovery,
    keys: Arc<JwkSet>,
    fetched: Instant,
}

struct Provider {
    config: OidcProviderConfig,
    cache: tokio::sync::Mutex<Option<Cached>>,
}

/// The configured OpenID Connect providers.
pub struct HttpIdentityProviders {
    http: ProviderHttp,
    providers: HashMap<String, Provider>,
    cache_ttl: Duration,
}

fn rejected(reason: impl Into<String>) -> IdentityError {
    IdentityError::Rejected(reason.into())
}

impl HttpIdentityProviders {
    /// Checks the settings (names, URLs) and builds the HTTP client; fetches nothing yet.
    pub fn new(config: OidcConfig) -> Result<Self, CallbackError> {
        let http = ProviderHttp::new(config.allow_private, config.timeout)
            .map_err(CallbackError::Client)?;
        let mut providers = HashMap::new();
        for p in config.providers {
            let valid_name = !p.name.is_empty()
                && p.name.len() <= 40
                && p.name.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
                });
            if !valid_name {
                return Err(CallbackError::Client(format!(
                    "identity provider name {:?} must be 1-40 of a-z, 0-9, _ and -",
                    p.name
                )));
            }
            http.check(&p.issuer)
                .map_err(|e| CallbackError::Client(format!("identity provider {}: {e}", p.name)))?;
            let name = p.name.clone();
            let provider = Provider {
                config: p,
                cache: tokio::sync::Mutex::new(None),
            };
            if providers.insert(name.clone(), provider).is_some() {
                return Err(CallbackError::Client(format!(
                    "identity provider {name:?} is configured twice"
                )));
            }
        }
        Ok(Self {
            http,
            providers,
            cache_ttl: config.cache_ttl,
        })
    }

    fn provider(&self, name: &str) -> Result<&Provider, IdentityError> {
        self.providers
            .get(name)
            .ok_or_else(|| IdentityError::UnknownProvider(name.into()))
    }

    /// The provider's discovery document and keys, from the cache unless it is stale or
    /// `refresh` asks for a new key set.
    async fn metadata(
        &self,
        p: &Provider,
        refresh: bool,
    ) -> Result<(Discovery, Arc<JwkSet>), IdentityError> {
        let mut cache = p.cache.lock().await;
        if let Some(c) = cache.as_ref()
            && !refresh
            && c.fetched.elapsed() < self.cache_ttl
        {
            return Ok((c.discovery.clone(), Arc::clone(&c.keys)));
        }
        let issuer = &p.config.issuer;
        let answer = self.http.get(&discovery::url_for(issuer), None).await?;
        let discovery: Discovery = (answer.status == 200)
            .then(|| serde_json::from_value(answer.json).ok())
            .flatten()
            .ok_or_else(|| {
                IdentityError::Unavailable(format!("no discovery document at {issuer}"))
            })?;
        let discovery = discovery
            .check(issuer)
            .map_err(IdentityError::Unavailable)?;
        let answer = self.http.get(&discovery.jwks_uri, None).await?;
        if answer.status != 200 {
            return Err(IdentityError::Unavailable(format!(
                "the key set answered {}",
                answer.status
            )));
        }
        let keys = Arc::new(JwkSet::parse(&answer.json));
        *cache = Some(Cached {
            discovery: discovery.clone(),
            keys: Arc::clone(&keys),
            fetched: Instant::now(),
        });
        Ok((discovery, keys))
    }
}

/// The token request's body and `Authorization` header.
fn token_request(c: &OidcProviderConfig, exchange: &CodeExchange<'_>) -> (String, Option<String>) {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "authorization_code")
        .append_pair("code", exchange.code)
        .append_pair("redirect_uri", exchange.redirect_uri)
        .append_pair("code_verifier", exchange.code_verifier);
    let header = match c.client_auth {
        ClientAuth::Post => {
            form.append_pair("client_id", &c.client_id)
                .append_pair("client_secret", &c.client_secret);
            None
        }
        ClientAuth::Basic => {
            // RFC 6749 §2.3.1: both parts form-encoded before Base64.
            let enc =
                |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            let pair = format!("{}:{}", enc(&c.client_id), enc(&c.client_secret));
            let b64 = base64::engine::general_purpose::STANDARD.encode(pair);
            Some(format!("Basic {b64}"))
        }
    };
    (form.finish(), header)
}

/// The claims recorded as evidence: [`RECORDED_CLAIMS`] and the required claim, from the ID
/// token and then userinfo.
fn recorded(
    c: &OidcProviderConfig,
    token: &Map<String, Value>,
    userinfo: &Map<String, Value>,
) -> Result<Map<String, Value>, IdentityError> {
    let wanted = RECORDED_CLAIMS
        .iter()
        .copied()
        .chain(c.required_claim.as_deref());
    let mut claims = Map::new();
    for name in wanted {
        let value = token.get(name).or_else(|| userinfo.get(name));
        if let Some(value) = value.filter(|v| !v.is_null()) {
            claims.insert(name.to_owned(), value.clone());
        }
    }
    if let Some(required) = &c.required_claim
        && !claims.contains_key(required)
    {
        return Err(IdentityError::ClaimMissing(required.clone()));
    }
    Ok(claims)
}

#[async_trait]
impl IdentityProviders for HttpIdentityProviders {
    fn has(&self, name: &str) -> bool {
        self.providers.contains_key(name)
    }

    async fn authorization_url(
        &self,
        provider: &str,
        request: &AuthorizationRequest<'_>,
    ) -> Result<String, IdentityError> {
        let p = self.provider(provider)?;
        let (discovery, _) = self.metadata(p, false).await?;
        let mut url = self
            .http
            .check(&discovery.authorization_endpoint)
            .map_err(IdentityError::Unavailable)?;
        let mut scopes = vec!["openid".to_owned()];
        scopes.extend(p.config.scopes.iter().filter(|s| *s != "openid").cloned());
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &p.config.client_id)
            .append_pair("redirect_uri", request.redirect_uri)
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", request.state)
            .append_pair("nonce", request.nonce)
            .append_pair("code_challenge", request.code_challenge)
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }

    async fn exchange(
        &self,
        provider: &str,
        exchange: &CodeExchange<'_>,
    ) -> Result<VerifiedIdentity, IdentityError> {
        let p = self.provider(provider)?;
        let (discovery, mut keys) = self.metadata(p, false).await?;
        let (form, authorization) = token_request(&p.config, exchange);
        let answer = self
            .http
            .post_form(&discovery.token_endpoint, form, authorization)
            .await?;
        let id_token = answer.json.get("id_token").and_then(Value::as_str);
        let Some(id_token) = id_token.filter(|_| answer.status == 200) else {
            let error = answer
                .json
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or("");
            let reason = format!("the token endpoint answered {} {error}", answer.status);
            return Err(if answer.status >= 500 {
                IdentityError::Unavailable(reason)
            } else {
                rejected(reason)
            });
        };
        if !keys.has(id_token::key_id(id_token).as_deref()) {
            keys = self.metadata(p, true).await?.1;
        }
        let expected = id_token::Expected {
            issuer: &p.config.issuer,
            client_id: &p.config.client_id,
            nonce: exchange.nonce,
            now: exchange.now,
        };
        let claims =
            id_token::validate(id_token, &keys, &expected).map_err(|e| rejected(e.to_string()))?;
        let subject = claims
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let access_token = answer.json.get("access_token").and_then(Value::as_str);
        let userinfo = match (&discovery.userinfo_endpoint, access_token) {
            (Some(url), Some(token)) if p.config.userinfo => {
                self.userinfo(url, token, &subject).await?
            }
            _ => Map::new(),
        };
        Ok(VerifiedIdentity {
            issuer: p.config.issuer.clone(),
            claims: recorded(&p.config, &claims, &userinfo)?,
            subject,
            id_token_sha256: Sha256::digest(id_token.as_bytes()).into(),
        })
    }
}

impl HttpIdentityProviders {
    /// The userinfo claims, which must be about the ID token's subject.
    async fn userinfo(
        &self,
        url: &str,
        access_token: &str,
        subject: &str,
    ) -> Result<Map<String, Value>, IdentityError> {
        let answer = self.http.get(url, Some(access_token)).await?;
        let Value::Object(claims) = answer.json else {
            return Err(IdentityError::Unavailable(format!(
                "the userinfo endpoint answered {}",
                answer.status
            )));
        };
        if claims.get("sub").and_then(Value::as_str) != Some(subject) {
            return Err(rejected("userinfo is about another subject"));
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn provider(client_auth: ClientAuth) -> OidcProviderConfig {
        OidcProviderConfig {
            name: "idin".into(),
            issuer: "https://idp.example".into(),
            client_id: "signet client".into(),
            client_secret: "s3:cr&t".into(),
            scopes: vec![],
            required_claim: Some("birthdate".into()),
            client_auth,
            userinfo: true,
        }
    }

    fn exchange() -> CodeExchange<'static> {
        CodeExchange {
            code: "c0de",
            code_verifier: "v3rifier",
            nonce: "n",
            redirect_uri: "https://signet.example/oidc/callback",
            now: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_client_authenticates_with_basic_or_in_the_body() {
        let (form, header) = token_request(&provider(ClientAuth::Basic), &exchange());
        assert_eq!(
            form,
            "grant_type=authorization_code&code=c0de&redirect_uri=https%3A%2F%2Fsignet.example%2Foidc%2Fcallback&code_verifier=v3rifier"
        );
        let b64 = base64::engine::general_purpose::STANDARD.encode("signet+client:s3%3Acr%26t");
        assert_eq!(header, Some(format!("Basic {b64}")));
        let (form, header) = token_request(&provider(ClientAuth::Post), &exchange());
        assert!(
            form.ends_with("&client_id=signet+client&client_secret=s3%3Acr%26t"),
            "{form}"
        );
        assert_eq!(header, None);
    }

    #[test]
    fn recorded_claims_come_from_the_token_then_userinfo_and_the_required_one_must_be_there() {
        let c = provider(ClientAuth::Basic);
        let obj = |v: Value| v.as_object().unwrap().clone();
        let token =
            obj(json!({"sub": "s", "name": "Ada", "nonce": "n", "birthdate": "1815-12-10"}));
        let info = obj(json!({"sub": "s", "name": "Other", "email": "ada@example.test"}));
        let claims = recorded(&c, &token, &info).unwrap();
        assert_eq!(
            Value::Object(claims),
            json!({"name": "Ada", "birthdate": "1815-12-10", "email": "ada@example.test"})
        );
        let without = obj(json!({"sub": "s", "name": "Ada"}));
        assert!(matches!(
            recorded(&c, &without, &Map::new()),
            Err(IdentityError::ClaimMissing(claim)) if claim == "birthdate"
        ));
    }
}
