//! A provider's metadata from `{issuer}/.well-known/openid-configuration` (OpenID Connect
//! Discovery §4): the endpoints Signet uses, checked to belong to the configured issuer.

use serde::Deserialize;

/// The metadata Signet uses.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Discovery {
    /// Must equal the configured issuer exactly.
    pub(crate) issuer: String,
    /// Where the signer's browser is sent.
    pub(crate) authorization_endpoint: String,
    /// Where codes are exchanged.
    pub(crate) token_endpoint: String,
    /// The signing keys.
    pub(crate) jwks_uri: String,
    /// Extra claims, when the provider offers them and the operator wants them.
    #[serde(default)]
    pub(crate) userinfo_endpoint: Option<String>,
    /// PKCE methods; when listed, `S256` must be among them.
    #[serde(default)]
    pub(crate) code_challenge_methods_supported: Option<Vec<String>>,
}

/// The discovery document's URL for `issuer`.
pub(crate) fn url_for(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    )
}

impl Discovery {
    /// Refuses metadata of another issuer, or of a provider without PKCE S256.
    pub(crate) fn check(self, issuer: &str) -> Result<Self, String> {
        if self.issuer != issuer {
            return Err(format!(
                "the discovery document names the issuer {:?}, not {issuer:?}",
                self.issuer
            ));
        }
        if let Some(methods) = &self.code_challenge_methods_supported
            && !methods.iter().any(|m| m == "S256")
        {
            return Err("the provider does not support PKCE S256".into());
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(issuer: &str, pkce: Option<&[&str]>) -> Discovery {
        Discovery {
            issuer: issuer.into(),
            authorization_endpoint: format!("{issuer}/authorize"),
            token_endpoint: format!("{issuer}/token"),
            jwks_uri: format!("{issuer}/jwks"),
            userinfo_endpoint: None,
            code_challenge_methods_supported: pkce
                .map(|m| m.iter().map(|s| s.to_string()).collect()),
        }
    }

    #[test]
    fn metadata_must_be_the_issuers_own_and_offer_s256() {
        assert_eq!(
            url_for("https://idp.example/"),
            "https://idp.example/.well-known/openid-configuration"
        );
        assert!(
            doc("https://idp.example", None)
                .check("https://idp.example")
                .is_ok()
        );
        assert!(
            doc("https://idp.example", Some(&["plain", "S256"]))
                .check("https://idp.example")
                .is_ok()
        );
        assert!(
            doc("https://evil.example", None)
                .check("https://idp.example")
                .is_err()
        );
        assert!(
            doc("https://idp.example", Some(&["plain"]))
                .check("https://idp.example")
                .is_err()
        );
    }
}
