use axum::extract::State;
use signet_core::id::EnvelopeId;
use signet_core::port::EnvelopeFilter;

use crate::AppState;
use crate::envelope::json::{EnvelopeList, EnvelopeSummary, ListQuery};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

/// List your envelopes, newest first, with cursor pagination.
#[utoipa::path(
    get, path = "/api/v1/envelopes", tag = "envelopes",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of envelopes", body = EnvelopeList),
        (status = 400, description = "Malformed query (e.g. an unknown cursor or status)", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn list_envelopes(
    State(state): State<AppState>,
    Auth(who): Auth,
    Query(query): Query<ListQuery>,
) -> ApiResult<axum::Json<EnvelopeList>> {
    let before = query
        .cursor
        .as_deref()
        .map(|c| {
            c.parse::<EnvelopeId>().map_err(|_| {
                ApiError::new(
                    http::StatusCode::BAD_REQUEST,
                    "invalid_cursor",
                    "cursor is not one this API returned",
                )
            })
        })
        .transpose()?;
    let filter = EnvelopeFilter {
        status: query.status.map(Into::into),
        external_key: query.external_key,
        ..Default::default()
    };
    let page = state
        .signet
        .list_envelopes(&who, filter, before, query.limit.unwrap_or(20))
        .await?;
    Ok(axum::Json(EnvelopeList {
        data: page.items.iter().map(EnvelopeSummary::from).collect(),
        next_cursor: page.next_cursor.map(|id| id.to_string()),
    }))
}
