//! `/api/v1/account`: the caller's account settings (the PAdES level of its sealed documents,
//! whether the password grant works for its users, how long a reactivated envelope stays open,
//! the default language of its recipients, the sites that may embed its signing pages, when
//! its finished envelopes are deleted, when its pending signers are reminded, whether the
//! completed e-mail attaches the signed documents or links to them).

mod reminders;
mod retention;

use axum::extract::State;
use serde::{Deserialize, Deserializer, Serialize};
use signet_core::CoreError;
use signet_core::model::{CompletedDocuments, PadesLevel};
use signet_core::usecase::settings::AccountSettings;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};
use crate::json::Language;
use reminders::RemindersJson;
use retention::RetentionJson;

/// The account routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_account, patch_account))
}

/// The caller's account.
#[derive(Serialize, ToSchema)]
pub struct AccountResponse {
    /// Account id.
    pub id: Uuid,
    /// Account name.
    pub name: String,
    /// The PAdES level set for this account (`B-B`, `B-T`, `B-LT`, `B-LTA`), or null for the
    /// instance default.
    pub pades_level: Option<String>,
    /// The level this account's envelopes are sealed at now.
    pub effective_pades_level: String,
    /// Whether users of this account may get tokens with their login and password (the
    /// Acronis dialect's token endpoint).
    pub password_grant: bool,
    /// Days a reactivated envelope stays open, as set for this account, or null for the
    /// default.
    pub reactivation_days: Option<i32>,
    /// The days in use now (default 30).
    pub effective_reactivation_days: i32,
    /// The language of recipients added without one (their e-mails and signing page), or
    /// null for English.
    pub default_language: Option<Language>,
    /// The origins that may embed this account's signing pages in an iframe (the page's CSP
    /// `frame-ancestors`); empty: no site may.
    pub frame_ancestors: Vec<String>,
    /// When the account's completed, declined and expired envelopes are deleted, or null
    /// (never, the default).
    pub retention: Option<RetentionJson>,
    /// When pending e-mail signers get scheduled reminders, or null (never, the default).
    pub reminders: Option<RemindersJson>,
    /// How the completed e-mail delivers the signed documents: `attach` (the default; a link
    /// instead when they exceed 10 MiB) or `link` (a download link per recipient).
    pub completed_documents: String,
}

impl From<AccountSettings> for AccountResponse {
    fn from(s: AccountSettings) -> Self {
        Self {
            id: s.account_id.as_uuid(),
            name: s.name,
            pades_level: s.pades_level.map(|l| l.as_str().to_string()),
            effective_pades_level: s.effective_pades_level.as_str().to_string(),
            password_grant: s.password_grant,
            reactivation_days: s.reactivation_days,
            effective_reactivation_days: s.effective_reactivation_days,
            default_language: s.default_language.map(Into::into),
            frame_ancestors: s.frame_ancestors.origins().to_vec(),
            retention: s.retention.map(Into::into),
            reminders: s.reminders.map(Into::into),
            completed_documents: s
                .completed_documents
                .unwrap_or(CompletedDocuments::Attach)
                .as_str()
                .to_string(),
        }
    }
}

/// Changes to the account's settings; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchAccountRequest {
    /// `B-B`, `B-T`, `B-LT` or `B-LTA`; null returns to the instance default.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub pades_level: Option<Option<String>>,
    /// Turns the password grant on or off.
    #[serde(default)]
    pub password_grant: Option<bool>,
    /// Days (1 to 3650) a reactivated envelope stays open; null returns to the default (30).
    #[serde(default, deserialize_with = "present_days")]
    #[schema(value_type = Option<i32>)]
    pub reactivation_days: Option<Option<i32>>,
    /// `nl`, `de`, `es`, `en`, `da`, `pl`, `it`, `fr` or `sv`: the language of recipients added
    /// without one; null returns to English.
    #[serde(default, deserialize_with = "present_language")]
    #[schema(value_type = Option<Language>)]
    pub default_language: Option<Option<Language>>,
    /// `{"days": N}` (1 to 36500) or `"end_of_month_after_one_month"`: when finished envelopes
    /// are deleted; null turns deletion off (the default).
    #[serde(default, deserialize_with = "retention::present_retention")]
    #[schema(value_type = Option<RetentionJson>)]
    pub retention: Option<Option<serde_json::Value>>,
    /// `{"first_after_days": N, "every_days": N, "max": N}` (days 1 to 365, max 1 to 50): remind
    /// pending e-mail signers N days after their turn began, then every N days, at most max
    /// times; null turns scheduled reminders off (the default).
    #[serde(default, deserialize_with = "reminders::present_reminders")]
    #[schema(value_type = Option<RemindersJson>)]
    pub reminders: Option<Option<serde_json::Value>>,
    /// `attach` or `link`: whether the completed e-mail attaches the signed documents or
    /// carries a download link per recipient (30 days); null returns to `attach`.
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<String>)]
    pub completed_documents: Option<Option<serde_json::Value>>,
    /// Origins (at most 10) that may embed the signing pages in an iframe, replacing the list:
    /// `https://host[:port]` (`http` only for localhost), optionally `https://*.example.com`
    /// for its subdomains; no path. `[]` or null: no site may.
    #[serde(default, deserialize_with = "present_origins")]
    #[schema(value_type = Option<Vec<String>>)]
    pub frame_ancestors: Option<Option<Vec<String>>>,
}

fn present_value<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<serde_json::Value>>, D::Error> {
    Option::<serde_json::Value>::deserialize(d).map(Some)
}

fn present_origins<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<Vec<String>>>, D::Error> {
    Option::<Vec<String>>::deserialize(d).map(Some)
}

fn present_language<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Language>>, D::Error> {
    Option::<Language>::deserialize(d).map(Some)
}

fn present_days<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i32>>, D::Error> {
    Option::<i32>::deserialize(d).map(Some)
}

/// Tells a field given as null (`Some(None)`) from an absent one (`None`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The caller's account and its settings.
#[utoipa::path(
    get, path = "/api/v1/account", tag = "account",
    responses(
        (status = 200, description = "The account", body = AccountResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn get_account(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> ApiResult<axum::Json<AccountResponse>> {
    let settings = state.signet.account_settings(&who).await?;
    Ok(axum::Json(settings.into()))
}

/// Change the account's settings (owners and admins). The PAdES level applies to envelopes
/// sealed from now on.
#[utoipa::path(
    patch, path = "/api/v1/account", tag = "account",
    request_body = PatchAccountRequest,
    responses(
        (status = 200, description = "The account", body = AccountResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 403, description = "Not an owner or admin", body = ErrorBody),
        (status = 422, description = "`invalid_pades_level`, `invalid_reactivation_days`, `invalid_frame_ancestors`, `invalid_retention`, `invalid_reminders`, `invalid_completed_documents`, or `invalid_body` (an unknown field)", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn patch_account(
    State(state): State<AppState>,
    Auth(who): Auth,
    Json(body): Json<PatchAccountRequest>,
) -> ApiResult<axum::Json<AccountResponse>> {
    let level = body
        .pades_level
        .map(|name| name.as_deref().map(parse_level).transpose())
        .transpose()?;
    let mut settings = None;
    if let Some(level) = level {
        settings = Some(state.signet.set_pades_level(&who, level).await?);
    }
    if let Some(enabled) = body.password_grant {
        settings = Some(state.signet.set_password_grant(&who, enabled).await?);
    }
    if let Some(days) = body.reactivation_days {
        settings = Some(state.signet.set_reactivation_days(&who, days).await?);
    }
    if let Some(language) = body.default_language {
        let language = language.map(Into::into);
        settings = Some(state.signet.set_default_language(&who, language).await?);
    }
    if let Some(origins) = body.frame_ancestors {
        let origins = origins.unwrap_or_default();
        settings = Some(state.signet.set_frame_ancestors(&who, &origins).await?);
    }
    if let Some(rule) = body.retention {
        let rule = retention::parse_retention(rule)?;
        settings = Some(state.signet.set_retention(&who, rule).await?);
    }
    if let Some(choice) = body.completed_documents {
        let choice = parse_completed_documents(choice)?;
        settings = Some(state.signet.set_completed_documents(&who, choice).await?);
    }
    if let Some(schedule) = body.reminders {
        let schedule = reminders::parse_reminders(schedule)?;
        settings = Some(state.signet.set_reminders(&who, schedule).await?);
    }
    let settings = match settings {
        Some(settings) => settings,
        None => state.signet.account_settings(&who).await?,
    };
    Ok(axum::Json(settings.into()))
}

fn parse_level(name: &str) -> Result<PadesLevel, CoreError> {
    PadesLevel::parse(name).ok_or_else(|| {
        CoreError::invalid(
            "invalid_pades_level",
            format!("pades_level {name:?} is not B-B, B-T, B-LT or B-LTA"),
        )
    })
}

/// `"attach"`, `"link"` or null (attach); anything else is 422 `invalid_completed_documents`.
fn parse_completed_documents(
    value: Option<serde_json::Value>,
) -> Result<Option<CompletedDocuments>, CoreError> {
    let Some(value) = value else {
        return Ok(None);
    };
    value
        .as_str()
        .and_then(CompletedDocuments::parse)
        .map(Some)
        .ok_or_else(|| {
            CoreError::invalid(
                "invalid_completed_documents",
                "completed_documents must be \"attach\", \"link\" or null",
            )
        })
}
