//! `/api/v1/api-keys` (the account's API keys, for owners and admins) and
//! `/api/v1/personal-access-tokens` (each user's own tokens): their shared wire types.

mod api_key;
mod personal;

use serde::{Deserialize, Serialize};
use signet_core::CoreError;
use signet_core::model::{ApiKey, Scope, Scopes};
use signet_core::usecase::credential::{CreatedCredential, NewCredential};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::AppState;
use crate::json::{ts, ts_opt};

/// The credential routes.
pub fn routes() -> OpenApiRouter<AppState> {
    api_key::routes().merge(personal::routes())
}

/// A new API key or personal access token.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCredentialRequest {
    /// A label for people (1 to 200 characters).
    pub name: String,
    /// Scopes (`read`, `write`, `admin`), all of which the caller must hold; default: every
    /// scope of the caller's credential. More than that is 422 `invalid_scope`.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// When it stops working (RFC 3339, in the future). Default: never for API keys; after
    /// `SIGNET_PAT_TTL_DAYS` (30 days) for personal access tokens.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<OffsetDateTime>,
}

impl CreateCredentialRequest {
    fn into_new(self) -> Result<NewCredential, CoreError> {
        let scopes = self.scopes.map(|names| parse_scopes(&names)).transpose()?;
        Ok(NewCredential {
            name: self.name,
            scopes,
            expires_at: self.expires_at,
        })
    }
}

/// Each name must be exactly one scope (`read`, `write`, `admin`).
fn parse_scopes(names: &[String]) -> Result<Scopes, CoreError> {
    names
        .iter()
        .map(|name| Scope::parse(name))
        .collect::<Option<Vec<_>>>()
        .map(|scopes| Scopes::of(&scopes))
        .ok_or_else(|| {
            CoreError::invalid(
                "invalid_scope",
                format!("unknown scope in {names:?}; use read, write and admin"),
            )
        })
}

/// An API key or personal access token, without its secret.
#[derive(Serialize, ToSchema)]
pub struct CredentialResponse {
    /// Its id (for revoking).
    pub id: Uuid,
    /// Its label.
    pub name: String,
    /// The public start of the key text (`sk_` or `pat_` and the lookup id), to recognise it.
    pub prefix: String,
    /// Its scopes.
    pub scopes: Vec<String>,
    /// The user who created it, and whom it acts as.
    pub created_by: Uuid,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// When it stops working, if ever.
    pub expires_at: Option<String>,
    /// When it last authenticated a request (recorded at most once a minute).
    pub last_used_at: Option<String>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

impl From<&ApiKey> for CredentialResponse {
    fn from(key: &ApiKey) -> Self {
        Self {
            id: key.id.as_uuid(),
            name: key.name.clone(),
            prefix: format!("{}{}", prefix_of(key), key.lookup_id),
            scopes: key.scopes.iter().map(|s| s.as_str().to_string()).collect(),
            created_by: key.user_id.as_uuid(),
            created_at: ts(key.created_at),
            expires_at: ts_opt(key.expires_at),
            last_used_at: ts_opt(key.last_used_at),
            revoked_at: ts_opt(key.revoked_at),
        }
    }
}

fn prefix_of(key: &ApiKey) -> &'static str {
    use signet_core::secret::api_key::{API_KEY_PREFIX, PERSONAL_TOKEN_PREFIX};
    match key.kind {
        signet_core::model::KeyKind::ApiKey => API_KEY_PREFIX,
        signet_core::model::KeyKind::Personal => PERSONAL_TOKEN_PREFIX,
    }
}

/// A new credential with its secret text, which is shown only in this response.
#[derive(Serialize, ToSchema)]
pub struct CreatedCredentialResponse {
    /// The credential.
    #[serde(flatten)]
    pub credential: CredentialResponse,
    /// The full key: use it as `Authorization: Bearer <key>`. Signet stores only its hash.
    pub key: String,
}

impl From<CreatedCredential> for CreatedCredentialResponse {
    fn from(created: CreatedCredential) -> Self {
        Self {
            credential: CredentialResponse::from(&created.key),
            key: created.text,
        }
    }
}

/// A list of credentials, oldest first.
#[derive(Serialize, ToSchema)]
pub struct CredentialList {
    /// The credentials, revoked and expired ones included.
    pub data: Vec<CredentialResponse>,
}

impl CredentialList {
    fn of(keys: &[ApiKey]) -> Self {
        Self {
            data: keys.iter().map(CredentialResponse::from).collect(),
        }
    }
}
