//! The OKdokument credential: the API key in `x-api-key`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use signet_core::usecase::account::Principal;

use super::error::OkError;
use crate::AppState;
use crate::extract::{method_scope, principal_holding};

/// The caller, from `x-api-key: <API key>`.
pub(super) struct OkAuth(pub Principal);

impl FromRequestParts<AppState> for OkAuth {
    type Rejection = OkError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .unwrap_or("");
        if key.is_empty() {
            return Err(OkError::unauthorized());
        }
        let scope = method_scope(&parts.method);
        principal_holding(parts, state, key, scope)
            .await
            .map(Self)
            .map_err(OkError::from_api)
    }
}
