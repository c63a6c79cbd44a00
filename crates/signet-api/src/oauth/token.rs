//! `POST /oauth/token` (and Stiply's alias `/stiply/oauth/token`) and `POST /oauth/revoke`:
//! form-encoded, the client authenticated by `client_secret_basic` or `client_secret_post`.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use signet_core::usecase::oauth::OAuthError;
use signet_core::usecase::oauth::token::{ClientAuth, TokenParams, TokenResponse};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{OAuthErrorBody, OAuthFailure};

/// A token request (`application/x-www-form-urlencoded`).
#[derive(Deserialize, ToSchema, Default)]
pub struct TokenForm {
    /// `authorization_code`, `refresh_token` or `client_credentials`.
    pub grant_type: Option<String>,
    /// The authorization code (`authorization_code`).
    pub code: Option<String>,
    /// The redirect URI of the authorization request (`authorization_code`).
    pub redirect_uri: Option<String>,
    /// The PKCE verifier (`authorization_code`, when a challenge was sent).
    pub code_verifier: Option<String>,
    /// The refresh token (`refresh_token`).
    pub refresh_token: Option<String>,
    /// A narrower scope, space-separated.
    pub scope: Option<String>,
    /// The client, unless it authenticates with HTTP Basic.
    pub client_id: Option<String>,
    /// The client secret (`client_secret_post`).
    pub client_secret: Option<String>,
}

/// A revocation request (`application/x-www-form-urlencoded`).
#[derive(Deserialize, ToSchema, Default)]
pub struct RevokeForm {
    /// The access or refresh token to revoke.
    pub token: Option<String>,
    /// `access_token` or `refresh_token` (a hint; Signet finds the token either way).
    #[allow(dead_code)] // part of the documented form; the lookup does not need it
    pub token_type_hint: Option<String>,
    /// The client, unless it authenticates with HTTP Basic.
    pub client_id: Option<String>,
    /// The client secret (`client_secret_post`).
    pub client_secret: Option<String>,
}

/// The successful token response.
#[derive(serde::Serialize, ToSchema)]
pub struct TokenResponseBody {
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds the access token works (1800 by default).
    pub expires_in: i64,
    /// The access token (`sat_…`).
    pub access_token: String,
    /// The refresh token (`srt_…`); not for client credentials.
    pub refresh_token: Option<String>,
    /// The granted scopes.
    pub scope: String,
}

/// Exchange a grant for tokens (RFC 6749 §3.2).
#[utoipa::path(
    post, path = "/oauth/token", tag = "oauth",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Tokens", body = TokenResponseBody),
        (status = 400, description = "`invalid_request`, `invalid_grant`, `unauthorized_client`, `unsupported_grant_type`, `invalid_scope`", body = OAuthErrorBody),
        (status = 401, description = "`invalid_client`", body = OAuthErrorBody),
    )
)]
pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Result<Response, OAuthFailure> {
    let Form(form) = form.map_err(malformed)?;
    let auth = client_auth(&headers, form.client_id.clone(), form.client_secret.clone())?;
    let params = TokenParams {
        grant_type: form.grant_type,
        code: form.code,
        redirect_uri: form.redirect_uri,
        code_verifier: form.code_verifier,
        refresh_token: form.refresh_token,
        scope: form.scope,
        client_id: form.client_id,
        client_secret: form.client_secret,
    };
    let tokens = state.signet.token(&auth, &params).await?;
    Ok(no_store(
        axum::Json::<TokenResponse>(tokens).into_response(),
    ))
}

/// Stiply's path for the token endpoint (same behaviour as `/oauth/token`).
#[utoipa::path(
    post, path = "/stiply/oauth/token", tag = "oauth",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Tokens", body = TokenResponseBody),
        (status = 400, description = "An OAuth2 error", body = OAuthErrorBody),
        (status = 401, description = "`invalid_client`", body = OAuthErrorBody),
    )
)]
pub async fn stiply_token(
    state: State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Result<Response, OAuthFailure> {
    token(state, headers, form).await
}

/// Revoke a token (RFC 7009). Unknown tokens are not an error; revoking a refresh token
/// revokes every token issued from the same grant.
#[utoipa::path(
    post, path = "/oauth/revoke", tag = "oauth",
    request_body(content = RevokeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Revoked (or unknown)"),
        (status = 400, description = "`invalid_request`", body = OAuthErrorBody),
        (status = 401, description = "`invalid_client`", body = OAuthErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<RevokeForm>, FormRejection>,
) -> Result<Response, OAuthFailure> {
    let Form(form) = form.map_err(malformed)?;
    let auth = client_auth(&headers, form.client_id, form.client_secret)?;
    let token = form
        .token
        .ok_or_else(|| OAuthError::invalid_request("token is missing"))?;
    state.signet.revoke_token(&auth, &token).await?;
    Ok(no_store(().into_response()))
}

fn malformed(rejection: FormRejection) -> OAuthFailure {
    OAuthError::invalid_request(format!("the form is malformed: {}", rejection.body_text())).into()
}

fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The client's identity from HTTP Basic (RFC 6749 §2.3.1: both parts form-urlencoded) or
/// the form. Using both methods at once is refused.
fn client_auth(
    headers: &HeaderMap,
    form_id: Option<String>,
    form_secret: Option<String>,
) -> Result<ClientAuth, OAuthFailure> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        });
    let Some(encoded) = basic else {
        let client_id = form_id.ok_or_else(OAuthError::invalid_client)?;
        return Ok(ClientAuth {
            client_id,
            secret: form_secret,
        });
    };
    if form_secret.is_some() {
        return Err(OAuthError::invalid_request("use one client authentication method").into());
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(OAuthError::invalid_client)?;
    let (id, secret) = decoded
        .split_once(':')
        .ok_or_else(OAuthError::invalid_client)?;
    let (id, secret) = (form_decode(id), form_decode(secret));
    if form_id.is_some_and(|form_id| form_id != id) {
        return Err(
            OAuthError::invalid_request("client_id differs from the Basic credentials").into(),
        );
    }
    Ok(ClientAuth {
        client_id: id,
        secret: Some(secret),
    })
}

fn form_decode(part: &str) -> String {
    url::form_urlencoded::parse(format!("v={part}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}
