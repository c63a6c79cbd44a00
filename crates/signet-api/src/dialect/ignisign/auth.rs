//! The Ignisign credential: `Authorization: Bearer <API key>`, and the dialect's JSON and path
//! extractors, whose rejections are Ignisign errors.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use signet_core::usecase::account::Principal;

use super::error::IgnisignError;
use crate::AppState;
use crate::extract::{CredentialIn, dialect_principal};

/// The caller, from `Authorization: Bearer <API key>` (any Signet credential works).
pub(crate) struct IgnisignAuth(pub Principal);

impl FromRequestParts<AppState> for IgnisignAuth {
    type Rejection = IgnisignError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        dialect_principal(parts, state, CredentialIn::Bearer)
            .await
            .map(Self)
            .map_err(IgnisignError::from)
    }
}

/// A JSON body; malformed or ill-typed JSON is 400 `INPUT_VALIDATION_FAILED`. An empty body
/// is `{}`.
pub(crate) struct IgnisignJson<T>(pub T);

impl<S, T> FromRequest<S> for IgnisignJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = IgnisignError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|err| IgnisignError::invalid(err.body_text()))?;
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        serde_json::from_slice(text)
            .map(Self)
            .map_err(|err| IgnisignError::invalid(format!("the body does not fit: {err}")))
    }
}

/// One path parameter; the dialect resolves it itself (unknown ids are its not-found).
pub(crate) struct IgnisignPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IgnisignPath {
    type Rejection = IgnisignError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|_| IgnisignError::not_found("signature request"))
    }
}

/// The `{appId}/{appEnv}` pair of the application-scoped routes; `appEnv` must be one of
/// `DEVELOPMENT`, `STAGING`, `PRODUCTION`.
pub(crate) struct AppPath {
    pub app_id: String,
    pub app_env: String,
}

impl<S: Send + Sync> FromRequestParts<S> for AppPath {
    type Rejection = IgnisignError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((app_id, app_env)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| IgnisignError::invalid("appId and appEnv are required"))?;
        if !super::json::APP_ENVS.contains(&app_env.as_str()) {
            return Err(IgnisignError::invalid(
                "appEnv must be one of DEVELOPMENT, STAGING, PRODUCTION",
            ));
        }
        if app_id.trim().is_empty() || app_id.len() > 100 {
            return Err(IgnisignError::invalid("appId is invalid"));
        }
        Ok(Self { app_id, app_env })
    }
}
