//! ID-token validation (OpenID Connect Core §3.1.3.7): a compact JWS signed with RS256 or
//! ES256 by a key of the provider's JWKS (never `none` or an HMAC), issued by the configured
//! issuer to this client, not expired, not issued in the future, carrying the login's nonce
//! and a subject. Times allow a small leeway for clock skew.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use signet_core::secret::constant_time_eq;
use time::OffsetDateTime;

use super::jwks::{Alg, JwkSet};

/// Clock skew tolerated on `exp` and `iat`, in seconds.
pub(crate) const LEEWAY_SECS: i64 = 60;

/// What the token must say.
pub(crate) struct Expected<'a> {
    /// The configured issuer (`iss` must equal it).
    pub(crate) issuer: &'a str,
    /// This client's id (`aud` must hold it).
    pub(crate) client_id: &'a str,
    /// The login's nonce.
    pub(crate) nonce: &'a str,
    /// The time to check `exp` and `iat` against.
    pub(crate) now: OffsetDateTime,
}

/// Why an ID token was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TokenError {
    /// Not three base64url parts of JSON.
    #[error("the ID token is malformed")]
    Malformed,
    /// Signed with an algorithm other than RS256 or ES256.
    #[error("the ID token's algorithm {0:?} is not accepted")]
    Algorithm(String),
    /// No key of the provider's JWKS has the token's `kid`.
    #[error("no key of the provider has the ID token's key id")]
    UnknownKey,
    /// The signature does not verify.
    #[error("the ID token's signature is not valid")]
    Signature,
    /// `iss` is not the configured issuer.
    #[error("the ID token's issuer is not the configured issuer")]
    Issuer,
    /// `aud` does not hold this client (or `azp` names another).
    #[error("the ID token is not addressed to this client")]
    Audience,
    /// `exp` has passed (or is missing).
    #[error("the ID token has expired")]
    Expired,
    /// `iat` is in the future (or missing).
    #[error("the ID token's issue time is not acceptable")]
    IssuedAt,
    /// `nonce` is not the login's.
    #[error("the ID token's nonce is not this login's")]
    Nonce,
    /// `sub` is missing or empty.
    #[error("the ID token names no subject")]
    Subject,
}

fn part(text: &str) -> Result<Value, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| TokenError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| TokenError::Malformed)
}

/// The token's header `kid`, to decide whether the JWKS must be fetched again first.
pub(crate) fn key_id(token: &str) -> Option<String> {
    let header = part(token.split('.').next()?).ok()?;
    header.get("kid")?.as_str().map(str::to_owned)
}

/// The claims of `token` when its signature verifies with `keys` and its claims meet
/// `expected`.
pub(crate) fn validate(
    token: &str,
    keys: &JwkSet,
    expected: &Expected<'_>,
) -> Result<Map<String, Value>, TokenError> {
    let mut parts = token.split('.');
    let (Some(head), Some(body), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let header = part(head)?;
    let alg_name = header.get("alg").and_then(Value::as_str).unwrap_or("");
    let alg = Alg::parse(alg_name).ok_or_else(|| TokenError::Algorithm(alg_name.into()))?;
    let kid = header.get("kid").and_then(Value::as_str);
    if !keys.has(kid) {
        return Err(TokenError::UnknownKey);
    }
    let signature = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| TokenError::Malformed)?;
    let signed = &token[..head.len() + 1 + body.len()];
    if !keys.verify(alg, kid, signed.as_bytes(), &signature) {
        return Err(TokenError::Signature);
    }
    let Value::Object(claims) = part(body)? else {
        return Err(TokenError::Malformed);
    };
    check_claims(&claims, expected)?;
    Ok(claims)
}

fn check_claims(claims: &Map<String, Value>, expected: &Expected<'_>) -> Result<(), TokenError> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("iss") != Some(expected.issuer) {
        return Err(TokenError::Issuer);
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => aud == expected.client_id,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(expected.client_id)),
        _ => false,
    };
    let azp_ok = text("azp").is_none_or(|azp| azp == expected.client_id);
    if !audience_ok || !azp_ok {
        return Err(TokenError::Audience);
    }
    let now = expected.now.unix_timestamp();
    let exp = claims.get("exp").and_then(Value::as_i64);
    if exp.is_none_or(|exp| exp + LEEWAY_SECS <= now) {
        return Err(TokenError::Expired);
    }
    let iat = claims.get("iat").and_then(Value::as_i64);
    if iat.is_none_or(|iat| iat > now + LEEWAY_SECS) {
        return Err(TokenError::IssuedAt);
    }
    let nonce_ok =
        text("nonce").is_some_and(|n| constant_time_eq(n.as_bytes(), expected.nonce.as_bytes()));
    if !nonce_ok {
        return Err(TokenError::Nonce);
    }
    if text("sub").is_none_or(str::is_empty) {
        return Err(TokenError::Subject);
    }
    Ok(())
}

#[cfg(test)]
#[path = "id_token/tests.rs"]
mod tests;
