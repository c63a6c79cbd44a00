//! ID tokens signed with freshly generated RSA and P-256 keys, and every way one is refused.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Expected, TokenError, validate};
use crate::oidc::jwks::JwkSet;

const ISSUER: &str = "https://idp.example";
const CLIENT: &str = "signet-client";
const NONCE: &str = "n-0S6_WzA2Mj";

struct Keys {
    rsa: rsa::pkcs1v15::SigningKey<sha2::Sha256>,
    p256: p256::ecdsa::SigningKey,
    jwks: Value,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        use p256::elliptic_curve::Generate;
        use rsa::traits::PublicKeyParts;
        let mut rng = getrandom::SysRng;
        let private = rsa::PrivateKey::new(&mut rng, 2048).unwrap();
        let public = private.to_public_key();
        let ec = p256::ecdsa::SigningKey::try_generate_from_rng(&mut rng).unwrap();
        let point = ec.verifying_key().to_sec1_point(false);
        let b = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
        let jwks = json!({"keys": [
            {"kty": "RSA", "kid": "r1", "use": "sig", "alg": "RS256",
             "n": b(&public.n_bytes()), "e": b(&public.e_bytes())},
            {"kty": "EC", "kid": "e1", "crv": "P-256",
             "x": b(&point.as_bytes()[1..33]), "y": b(&point.as_bytes()[33..])},
            {"kty": "oct", "kid": "h1", "k": b(b"shared secret")},
        ]});
        Keys {
            rsa: rsa::pkcs1v15::SigningKey::new(private),
            p256: ec,
            jwks,
        }
    })
}

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

fn claims() -> Value {
    let t = now().unix_timestamp();
    json!({"iss": ISSUER, "aud": CLIENT, "sub": "248289761001", "nonce": NONCE,
        "iat": t, "exp": t + 300, "name": "Ada Lovelace", "birthdate": "1815-12-10"})
}

fn sign(alg: &str, kid: &str, claims: &Value) -> String {
    let b = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    let input = format!(
        "{}.{}",
        b(&json!({"alg": alg, "kid": kid, "typ": "JWT"})),
        b(claims)
    );
    let signature = match alg {
        "RS256" => {
            use rsa::signature::{SignatureEncoding, Signer};
            keys().rsa.sign(input.as_bytes()).to_vec()
        }
        "ES256" => {
            use p256::ecdsa::signature::Signer;
            let s: p256::ecdsa::Signature = keys().p256.sign(input.as_bytes());
            s.to_bytes().to_vec()
        }
        _ => b"not a signature".to_vec(),
    };
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

fn check(token: &str) -> Result<serde_json::Map<String, Value>, TokenError> {
    let expected = Expected {
        issuer: ISSUER,
        client_id: CLIENT,
        nonce: NONCE,
        now: now(),
    };
    validate(token, &JwkSet::parse(&keys().jwks), &expected)
}

fn with(change: impl FnOnce(&mut Value)) -> Value {
    let mut c = claims();
    change(&mut c);
    c
}

#[test]
fn rs256_and_es256_tokens_of_the_providers_keys_are_accepted() {
    let verified = check(&sign("RS256", "r1", &claims())).unwrap();
    assert_eq!(verified["sub"], "248289761001");
    assert_eq!(verified["birthdate"], "1815-12-10");
    check(&sign("ES256", "e1", &claims())).unwrap();
    let aud_list = with(|c| c["aud"] = json!(["other", CLIENT]));
    check(&sign("RS256", "r1", &aud_list)).unwrap();
}

#[test]
fn a_tampered_token_is_refused() {
    let token = sign("RS256", "r1", &claims());
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let forged = with(|c| c["sub"] = json!("someone-else"));
    parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
    assert_eq!(check(&parts.join(".")), Err(TokenError::Signature));
    // The right signature under the other key's id.
    let swapped = sign("RS256", "r1", &claims()).replacen(
        token.split('.').next().unwrap(),
        &URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"e1"}"#),
        1,
    );
    assert_eq!(check(&swapped), Err(TokenError::Signature));
}

#[test]
fn none_hmac_and_unknown_keys_are_refused() {
    assert_eq!(
        check(&sign("none", "r1", &claims())),
        Err(TokenError::Algorithm("none".into()))
    );
    assert_eq!(
        check(&sign("HS256", "h1", &claims())),
        Err(TokenError::Algorithm("HS256".into()))
    );
    assert_eq!(
        check(&sign("RS256", "gone", &claims())),
        Err(TokenError::UnknownKey)
    );
    assert_eq!(check("a.b"), Err(TokenError::Malformed));
    assert_eq!(check("a.b.c.d"), Err(TokenError::Malformed));
}

#[test]
fn each_claim_is_checked() {
    let t = now().unix_timestamp();
    let cases = [
        (
            with(|c| c["iss"] = json!("https://evil.example")),
            TokenError::Issuer,
        ),
        (
            with(|c| c["aud"] = json!("another-client")),
            TokenError::Audience,
        ),
        (
            with(|c| c["azp"] = json!("another-client")),
            TokenError::Audience,
        ),
        (with(|c| c["exp"] = json!(t - 61)), TokenError::Expired),
        (
            with(|c| drop(c.as_object_mut().unwrap().remove("exp"))),
            TokenError::Expired,
        ),
        (with(|c| c["iat"] = json!(t + 120)), TokenError::IssuedAt),
        (
            with(|c| c["nonce"] = json!("another nonce")),
            TokenError::Nonce,
        ),
        (
            with(|c| drop(c.as_object_mut().unwrap().remove("nonce"))),
            TokenError::Nonce,
        ),
        (with(|c| c["sub"] = json!("")), TokenError::Subject),
    ];
    for (claims, error) in cases {
        assert_eq!(
            check(&sign("ES256", "e1", &claims)),
            Err(error.clone()),
            "{claims}"
        );
    }
    // Within the leeway.
    check(&sign("ES256", "e1", &with(|c| c["exp"] = json!(t - 30)))).unwrap();
    check(&sign("ES256", "e1", &with(|c| c["iat"] = json!(t + 30)))).unwrap();
}
