//! `SIGNET_OIDC_PROVIDERS`: the OpenID Connect identity providers signers may be sent to
//! (`auth_method` `oidc` with `identity_provider`, Stiply's `idin`, `pimid`, `emandate`), as
//! a JSON array, e.g.
//! `[{"name": "idin", "issuer": "https://broker.example", "client_id": "signet",
//! "client_secret": "…", "scopes": ["profile"], "required_claim": "birthdate"}]`.
//! Requests to providers follow the callbacks' outbound rules (`SIGNET_ALLOW_PRIVATE_CALLBACKS`
//! opens loopback and private networks and plain http, for tests and closed networks).

use std::time::Duration;

use anyhow::Context;
use serde::Deserialize;
use signet_worker::{ClientAuth, OidcConfig, OidcProviderConfig};

/// One provider as written in the setting.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderEntry {
    name: String,
    issuer: String,
    client_id: String,
    client_secret: String,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    required_claim: Option<String>,
    /// `client_secret_basic` (default) or `client_secret_post`.
    #[serde(default)]
    token_auth: Option<String>,
    #[serde(default)]
    userinfo: bool,
}

fn provider(entry: ProviderEntry) -> anyhow::Result<OidcProviderConfig> {
    let client_auth = match entry.token_auth.as_deref() {
        None | Some("client_secret_basic") => ClientAuth::Basic,
        Some("client_secret_post") => ClientAuth::Post,
        Some(other) => anyhow::bail!(
            "identity provider {}: token_auth must be client_secret_basic or client_secret_post, not {other:?}",
            entry.name
        ),
    };
    Ok(OidcProviderConfig {
        name: entry.name,
        issuer: entry.issuer,
        client_id: entry.client_id,
        client_secret: entry.client_secret,
        scopes: entry.scopes,
        required_claim: entry.required_claim,
        client_auth,
        userinfo: entry.userinfo,
    })
}

/// The providers of `json` (the setting's value), or `None` when it is unset or `[]`.
pub fn oidc_config(json: Option<&str>, allow_private: bool) -> anyhow::Result<Option<OidcConfig>> {
    let Some(json) = json.filter(|j| !j.trim().is_empty()) else {
        return Ok(None);
    };
    let entries: Vec<ProviderEntry> = serde_json::from_str(json)
        .context("SIGNET_OIDC_PROVIDERS must be a JSON array of providers")?;
    if entries.is_empty() {
        return Ok(None);
    }
    let providers = entries
        .into_iter()
        .map(provider)
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(OidcConfig {
        providers,
        allow_private,
        timeout: Duration::from_secs(15),
        cache_ttl: Duration::from_secs(3600),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_are_read_from_json() {
        assert!(oidc_config(None, false).unwrap().is_none());
        assert!(oidc_config(Some("[]"), false).unwrap().is_none());
        let json = r#"[{"name": "idin", "issuer": "https://idp.example", "client_id": "c",
            "client_secret": "s", "required_claim": "birthdate", "token_auth": "client_secret_post"}]"#;
        let config = oidc_config(Some(json), false).unwrap().unwrap();
        let p = &config.providers[0];
        assert_eq!((p.name.as_str(), p.client_auth), ("idin", ClientAuth::Post));
        assert_eq!(p.required_claim.as_deref(), Some("birthdate"));
        assert!(oidc_config(Some(r#"[{"name": "x"}]"#), false).is_err());
        let bad_auth = json.replace("client_secret_post", "private_key_jwt");
        assert!(oidc_config(Some(&bad_auth), false).is_err());
    }
}
