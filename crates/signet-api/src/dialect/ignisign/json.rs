//! Ignisign's request shapes and enum values.

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::error::{IgnisignError, IgnisignResult};

/// `IGNISIGN_APPLICATION_ENV`.
pub(crate) const APP_ENVS: [&str; 3] = ["DEVELOPMENT", "STAGING", "PRODUCTION"];
/// `IGNISIGN_SIGNATURE_LANGUAGES`.
pub(crate) const LANGUAGES: [&str; 3] = ["EN", "FR", "DE"];
/// `IGNISIGN_SIGNATURE_REQUEST_DIFFUSION_MODE`.
pub(crate) const DIFFUSION_MODES: [&str; 2] = ["WHEN_READY", "SCHEDULED"];
/// `IGNISIGN_SIGNATURE_REQUEST_STATEMENT_TARGET`.
pub(crate) const STATEMENT_TARGETS: [&str; 2] = ["SIGNATURE_REQUEST", "DOCUMENT"];

/// A field that may be absent (`None`), `null` (`Some(None)`) or set.
fn some<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The body of `PUT /v3/signature-requests/{signatureRequestId}` (every field optional).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdateRequest {
    #[serde(default, deserialize_with = "some")]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub expiration_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub expiration_date_is_activated: Option<Option<bool>>,
    #[serde(default, deserialize_with = "some")]
    pub language: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub document_ids: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "some")]
    pub external_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub diffusion_mode: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub diffusion_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub statements: Option<Option<Vec<StatementRequest>>>,
    #[serde(default, deserialize_with = "some")]
    pub signer_ids: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "some")]
    pub extended_auth_session_enabled: Option<Option<bool>>,
    #[serde(default, deserialize_with = "some")]
    pub initial_signature_request_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub signers_as_approver: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "some")]
    pub recipients: Option<Option<Vec<String>>>,
}

/// A statement of the update body.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatementRequest {
    #[serde(rename = "_id")]
    pub id: Option<String>,
    pub app_id: String,
    pub app_env: String,
    pub signature_request_id: String,
    pub document_id: Option<String>,
    pub target: String,
    pub label_md: Option<String>,
}

/// The body of the init call: `{signatureProfileId}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InitRequest {
    pub signature_profile_id: Option<String>,
    pub title: Option<String>,
}

/// The body of `init-documents`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InitDocumentRequest {
    pub signature_request_id: Option<String>,
    pub label: Option<String>,
    pub description: Option<String>,
    pub external_id: Option<String>,
}

/// The body of the signer creation.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateSignerRequest {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub external_id: Option<String>,
}

/// Checks that `value` is one of `allowed`, naming `field` in the 400.
pub(crate) fn one_of(field: &str, value: &str, allowed: &[&str]) -> IgnisignResult<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(IgnisignError::invalid(format!(
            "{field} must be one of {}",
            allowed.join(", ")
        )))
    }
}

/// Parses an ISO 8601 date-time (`2025-01-31T12:00:00.000Z`).
pub(crate) fn date_time(field: &str, value: &str) -> IgnisignResult<OffsetDateTime> {
    OffsetDateTime::parse(value, &Rfc3339)
        .map_err(|_| IgnisignError::invalid(format!("{field} must be an ISO 8601 date-time")))
}

/// Formats a time the way Ignisign does (`2025-01-31T12:00:00.000Z`).
pub(crate) fn iso(at: OffsetDateTime) -> Value {
    let at = at.to_offset(time::UtcOffset::UTC);
    Value::String(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    ))
}
