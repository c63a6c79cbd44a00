//! The Auco credential: the bare private key in `Authorization` (no scheme).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use signet_core::usecase::account::Principal;

use super::error::AucoError;
use crate::AppState;
use crate::extract::{method_scope, principal_holding};

/// The caller, from `Authorization: <API key>`.
pub(super) struct AucoAuth(pub Principal);

impl FromRequestParts<AppState> for AucoAuth {
    type Rejection = AucoError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .unwrap_or("");
        if key.is_empty() || key.contains(' ') {
            return Err(AucoError::unauthorized());
        }
        let scope = method_scope(&parts.method);
        principal_holding(parts, state, key, scope)
            .await
            .map(Self)
            .map_err(AucoError::from_api)
    }
}
