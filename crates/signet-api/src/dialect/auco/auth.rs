//! The Auco credential: the bare private key in `Authorization` (no scheme).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use signet_core::usecase::account::Principal;

use super::error::AucoError;
use crate::AppState;
use crate::extract::{CredentialIn, dialect_principal};

/// The caller, from `Authorization: <API key>`.
pub(super) struct AucoAuth(pub Principal);

impl FromRequestParts<AppState> for AucoAuth {
    type Rejection = AucoError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        dialect_principal(parts, state, CredentialIn::BareAuthorization)
            .await
            .map(Self)
            .map_err(AucoError::from_api)
    }
}
