//! A small OpenID Connect provider on loopback, for the signer-identity tests: discovery, a
//! JWKS with a freshly generated RSA key, an authorize endpoint that redirects back with a
//! code (or `access_denied`), a token endpoint that checks the client secret (HTTP Basic),
//! the redirect URI and the PKCE verifier and returns an RS256 ID token carrying the nonce, and
//! a userinfo endpoint with one more claim.
//! `set_token` makes the next tokens wrong on purpose (tampered, expired, another nonce).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "signet-test-client";
pub const CLIENT_SECRET: &str = "s3cret-of-the-test-client";
pub const SUBJECT: &str = "idin-subject-8812";

/// What the next ID token gets wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenFault {
    None,
    /// The payload changed after signing.
    Tampered,
    /// `exp` an hour ago.
    Expired,
    /// A nonce other than the login's.
    WrongNonce,
}

struct Login {
    nonce: String,
    challenge: String,
    redirect_uri: String,
}

struct Shared {
    issuer: String,
    deny: bool,
    fault: TokenFault,
    codes: HashMap<String, Login>,
    /// Every authorize request's query.
    pub authorizations: Vec<HashMap<String, String>>,
}

/// The running provider.
pub struct OidcProvider {
    pub issuer: String,
    shared: Arc<Mutex<Shared>>,
}

type Shared_ = Arc<Mutex<Shared>>;

fn key() -> &'static rsa::pkcs1v15::SigningKey<Sha256> {
    static KEY: OnceLock<rsa::pkcs1v15::SigningKey<Sha256>> = OnceLock::new();
    KEY.get_or_init(|| {
        let mut rng = getrandom::SysRng;
        let private = rsa::PrivateKey::new(&mut rng, 2048).unwrap();
        rsa::pkcs1v15::SigningKey::new(private)
    })
}

fn jwks() -> Value {
    use rsa::traits::PublicKeyParts;
    let public = key().as_ref().to_public_key();
    json!({"keys": [{"kty": "RSA", "kid": "test-1", "use": "sig", "alg": "RS256",
        "n": URL_SAFE_NO_PAD.encode(public.n_bytes()), "e": URL_SAFE_NO_PAD.encode(public.e_bytes())}]})
}

fn sign(claims: &Value) -> String {
    use rsa::signature::{SignatureEncoding, Signer};
    let b = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    let input = format!(
        "{}.{}",
        b(&json!({"alg": "RS256", "kid": "test-1", "typ": "JWT"})),
        b(claims)
    );
    let signature = key().sign(input.as_bytes()).to_vec();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

impl OidcProvider {
    pub async fn start() -> OidcProvider {
        // The log scan at the end of each test checks the client secret never reaches the log.
        super::secrets::remember_as("oidc client secret", CLIENT_SECRET);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Mutex::new(Shared {
            issuer: issuer.clone(),
            deny: false,
            fault: TokenFault::None,
            codes: HashMap::new(),
            authorizations: Vec::new(),
        }));
        let router = axum::Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(|| async { axum::Json(jwks()) }))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .with_state(Arc::clone(&shared));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        OidcProvider { issuer, shared }
    }

    /// `SIGNET_OIDC_PROVIDERS` naming this provider `name`.
    pub fn setting(&self, name: &str) -> String {
        json!([{"name": name, "issuer": self.issuer, "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET, "scopes": ["profile"], "required_claim": "birthdate",
            "userinfo": true}])
        .to_string()
    }

    pub fn set_token(&self, fault: TokenFault) {
        self.shared.lock().unwrap().fault = fault;
    }

    pub fn set_deny(&self, deny: bool) {
        self.shared.lock().unwrap().deny = deny;
    }

    pub fn authorizations(&self) -> Vec<HashMap<String, String>> {
        self.shared.lock().unwrap().authorizations.clone()
    }
}

async fn discovery(State(shared): State<Shared_>) -> axum::Json<Value> {
    let issuer = shared.lock().unwrap().issuer.clone();
    axum::Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn authorize(
    State(shared): State<Shared_>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut s = shared.lock().unwrap();
    s.authorizations.push(q.clone());
    let redirect = &q["redirect_uri"];
    let state = url::form_urlencoded::byte_serialize(q["state"].as_bytes()).collect::<String>();
    if s.deny {
        return Redirect::to(&format!("{redirect}?error=access_denied&state={state}"))
            .into_response();
    }
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(q["scope"].split(' ').any(|s| s == "openid"));
    let code = format!("code-{}", uuid::Uuid::new_v4());
    s.codes.insert(
        code.clone(),
        Login {
            nonce: q["nonce"].clone(),
            challenge: q["code_challenge"].clone(),
            redirect_uri: redirect.clone(),
        },
    );
    Redirect::to(&format!("{redirect}?code={code}&state={state}")).into_response()
}

/// Userinfo for the access token the token endpoint hands out: a claim the ID token lacks.
async fn userinfo(headers: HeaderMap) -> Response {
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some("Bearer at-1")
    {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    axum::Json(json!({"sub": SUBJECT, "phone_number": "+31612345678"})).into_response()
}

fn token_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, axum::Json(json!({"error": error}))).into_response()
}

async fn token(
    State(shared): State<Shared_>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(&expected)
    {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let mut s = shared.lock().unwrap();
    let Some(login) = s
        .codes
        .remove(form.get("code").map(String::as_str).unwrap_or(""))
    else {
        return token_error("invalid_grant");
    };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if challenge != login.challenge || form.get("redirect_uri") != Some(&login.redirect_uri) {
        return token_error("invalid_grant");
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut claims = json!({"iss": s.issuer, "aud": CLIENT_ID, "sub": SUBJECT,
        "nonce": login.nonce, "iat": now, "exp": now + 300,
        "name": "Ada van der Meer", "family_name": "van der Meer", "birthdate": "1982-09-01",
        "email": "s0@example.test"});
    match s.fault {
        TokenFault::Expired => {
            claims["iat"] = json!(now - 7200);
            claims["exp"] = json!(now - 3600);
        }
        TokenFault::WrongNonce => claims["nonce"] = json!("another-nonce"),
        _ => {}
    }
    let mut id_token = sign(&claims);
    if s.fault == TokenFault::Tampered {
        let parts: Vec<&str> = id_token.split('.').collect();
        claims["sub"] = json!("someone-else");
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
        id_token = format!("{}.{body}.{}", parts[0], parts[2]);
    }
    axum::Json(json!({"access_token": "at-1", "token_type": "Bearer", "id_token": id_token}))
        .into_response()
}
