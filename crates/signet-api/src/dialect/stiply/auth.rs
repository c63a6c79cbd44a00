//! Stiply's credential: `Authorization: Bearer <token>`, an OAuth2 access token, a personal
//! access token or an API key. Reading needs the `read` scope, anything else `write`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use signet_core::usecase::account::Principal;

use super::error::StiplyError;
use crate::AppState;
use crate::extract::{CredentialIn, dialect_principal};

/// The authenticated Stiply caller.
pub(crate) struct StiplyAuth(pub Principal);

impl FromRequestParts<AppState> for StiplyAuth {
    type Rejection = StiplyError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let principal = dialect_principal(parts, state, CredentialIn::Bearer).await?;
        Ok(Self(principal))
    }
}
