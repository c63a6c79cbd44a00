//! The Acronis credential form: `Authorization: Bearer <access token>`, the token from the
//! dialect's password grant (any Signet credential a Bearer header may carry works too).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use signet_core::CoreError;
use signet_core::usecase::account::Principal;

use super::error::AcronisError;
use crate::AppState;
use crate::extract::{method_scope, principal_holding};

/// The authenticated caller of a notary route: `read` for `GET`, `write` otherwise.
pub struct AcronisAuth(pub Principal);

impl FromRequestParts<AppState> for AcronisAuth {
    type Rejection = AcronisError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| AcronisError::from(CoreError::Unauthenticated))?;
        let scope = method_scope(&parts.method);
        Ok(Self(principal_holding(parts, state, token, scope).await?))
    }
}
