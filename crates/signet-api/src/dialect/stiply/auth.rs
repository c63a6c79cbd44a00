//! Stiply's credential: `Authorization: Bearer <token>`, an OAuth2 access token, a personal
//! access token or an API key. Reading needs the `read` scope, anything else `write`.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use signet_core::CoreError;
use signet_core::usecase::account::Principal;

use super::error::StiplyError;
use crate::AppState;
use crate::extract::{method_scope, principal_holding};

/// The authenticated Stiply caller.
pub(crate) struct StiplyAuth(pub Principal);

impl FromRequestParts<AppState> for StiplyAuth {
    type Rejection = StiplyError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| StiplyError::from(CoreError::Unauthenticated))?;
        let scope = method_scope(&parts.method);
        Ok(Self(principal_holding(parts, state, token, scope).await?))
    }
}
