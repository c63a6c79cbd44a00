//! The OKdokument credential: the API key in `x-api-key`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use signet_core::usecase::account::Principal;

use super::error::OkError;
use crate::AppState;
use crate::extract::{CredentialIn, dialect_principal};

/// The caller, from `x-api-key: <API key>`.
pub(super) struct OkAuth(pub Principal);

impl FromRequestParts<AppState> for OkAuth {
    type Rejection = OkError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        dialect_principal(parts, state, CredentialIn::Header("x-api-key"))
            .await
            .map(Self)
            .map_err(OkError::from_api)
    }
}
