//! The Acronis credential form: `Authorization: Bearer <access token>`, the token from the
//! dialect's password grant (any Signet credential a Bearer header may carry works too).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use signet_core::usecase::account::Principal;

use super::error::AcronisError;
use crate::AppState;
use crate::extract::{CredentialIn, dialect_principal};

/// The authenticated caller of a notary route: `read` for `GET`, `write` otherwise.
pub struct AcronisAuth(pub Principal);

impl FromRequestParts<AppState> for AcronisAuth {
    type Rejection = AcronisError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let principal = dialect_principal(parts, state, CredentialIn::Bearer).await?;
        Ok(Self(principal))
    }
}
