//! The cloud platform's two calls before the notary API: the data-center lookup
//! (`GET /api/1/accounts?login=`) and the password grant (`POST /api/2/idp/token`).

use axum::Json;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use signet_core::usecase::oauth::OAuthError;

use super::error::AcronisError;
use crate::AppState;
use crate::error::OAuthFailure;

/// The lookup's query.
#[derive(Deserialize)]
pub struct AccountsQuery {
    login: Option<String>,
}

/// `GET /api/1/accounts?login=`: the data center serving a login. Signet is one data center,
/// so every login (known or not, which this does not reveal) gets the same `server_url`.
pub async fn lookup_account(
    State(state): State<AppState>,
    query: Result<Query<AccountsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, AcronisError> {
    let login = query.ok().and_then(|Query(q)| q.login).unwrap_or_default();
    if login.trim().is_empty() {
        return Err(AcronisError::new(
            StatusCode::BAD_REQUEST,
            "missing_login",
            "the login query parameter is required",
        ));
    }
    let server_url = format!("{}/acronis", state.signet.config().public_url);
    Ok(Json(json!({"server_url": server_url})))
}

/// The password grant's form (`application/x-www-form-urlencoded`).
#[derive(Deserialize, Default)]
pub struct PasswordForm {
    grant_type: Option<String>,
    username: Option<String>,
    password: Option<String>,
    scope: Option<String>,
}

/// The token response: the core's (`access_token`, `token_type`, `expires_in`, `scope`) plus
/// the platform's `expires_on` (Unix time).
#[derive(Serialize)]
struct PasswordTokenBody {
    #[serde(flatten)]
    token: signet_core::usecase::oauth::token::TokenResponse,
    expires_on: i64,
}

/// `POST /api/2/idp/token` with `grant_type=password`: RFC 6749 §4.3, errors in RFC 6749's
/// shape (`invalid_grant` for a wrong login or password, whoever it names).
pub async fn password_token(
    State(state): State<AppState>,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> Response {
    let result = async {
        let Form(form) = form.map_err(|_| {
            OAuthError::invalid_request("send the grant as application/x-www-form-urlencoded")
        })?;
        match form.grant_type.as_deref() {
            Some("password") => {}
            None => return Err(OAuthError::invalid_request("grant_type is missing")),
            Some(_) => {
                return Err(OAuthError::new(
                    "unsupported_grant_type",
                    "this endpoint answers grant_type=password only",
                ));
            }
        }
        let username = form
            .username
            .filter(|u| !u.is_empty())
            .ok_or_else(|| OAuthError::invalid_request("username is missing"))?;
        let password = form
            .password
            .filter(|p| !p.is_empty())
            .ok_or_else(|| OAuthError::invalid_request("password is missing"))?;
        let token = state
            .signet
            .password_grant(&username, &password, form.scope.as_deref())
            .await?;
        let expires_on = state.signet.now().unix_timestamp() + token.expires_in;
        Ok(PasswordTokenBody { token, expires_on })
    }
    .await;
    match result {
        Ok(body) => {
            let mut response = Json(body).into_response();
            let headers = response.headers_mut();
            headers.insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(err) => OAuthFailure(err).into_response(),
    }
}
