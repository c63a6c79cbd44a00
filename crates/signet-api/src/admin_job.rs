//! `/api/v1/admin/jobs`: the caller's account's background jobs (invitations, seals,
//! callbacks, …) for its owners and admins, and re-queueing a dead one. Only that account's
//! jobs are ever visible; `signet jobs list` is the operator's instance-wide view.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use signet_core::id::JobId;
use signet_core::model::{Job, JobStatus};
use signet_core::usecase::job_admin::JobFilter;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Path, Query};
use crate::json::{ts, ts_opt};

/// The job administration routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_jobs))
        .routes(routes!(retry_job))
}

/// A job's status as the API names it.
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatusParam {
    /// Waiting to run (or running).
    Pending,
    /// Failed on its last attempt.
    Dead,
    /// Finished.
    Done,
}

/// Query of `GET /api/v1/admin/jobs`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobListQuery {
    /// Only jobs in this status.
    pub status: Option<JobStatusParam>,
    /// Only jobs of this kind, e.g. `seal_envelope`, `send_invitation`, `deliver_callback`.
    pub kind: Option<String>,
    /// At most this many, 1–500 (default 100).
    pub limit: Option<u32>,
}

/// A background job.
#[derive(Serialize, ToSchema)]
pub struct JobResponse {
    /// Job id.
    pub id: Uuid,
    /// What it does, e.g. `seal_envelope`.
    pub kind: String,
    /// `pending`, `dead` or `done`.
    pub status: String,
    /// The envelope it concerns, if any.
    pub envelope_id: Option<Uuid>,
    /// Attempts started so far.
    pub attempts: i32,
    /// Attempts allowed before it is marked dead.
    pub max_attempts: i32,
    /// Not before this time (RFC 3339).
    pub run_at: String,
    /// The error of the last failed attempt.
    pub last_error: Option<String>,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// When the current lease of a running job ends (RFC 3339).
    pub locked_until: Option<String>,
}

impl From<&Job> for JobResponse {
    fn from(job: &Job) -> Self {
        let payload = serde_json::to_value(&job.payload).unwrap_or_default();
        Self {
            id: job.id.as_uuid(),
            kind: job.payload.kind().to_string(),
            status: job.status.as_str().to_string(),
            envelope_id: payload["envelope_id"].as_str().and_then(|s| s.parse().ok()),
            attempts: job.attempts,
            max_attempts: job.max_attempts,
            run_at: ts(job.run_at),
            last_error: job.last_error.clone(),
            created_at: ts(job.created_at),
            updated_at: ts(job.updated_at),
            locked_until: ts_opt(job.locked_until),
        }
    }
}

/// The account's jobs, newest first.
#[derive(Serialize, ToSchema)]
pub struct JobList {
    /// The jobs.
    pub data: Vec<JobResponse>,
}

/// Your account's background jobs, newest first (owners and admins).
#[utoipa::path(
    get, path = "/api/v1/admin/jobs", tag = "admin",
    params(JobListQuery),
    responses(
        (status = 200, description = "The jobs", body = JobList),
        (status = 400, description = "Malformed query (e.g. an unknown status)", body = ErrorBody),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden` (members)", body = ErrorBody),
        (status = 422, description = "`invalid_limit`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn list_jobs(
    State(state): State<AppState>,
    Auth(who): Auth,
    Query(query): Query<JobListQuery>,
) -> ApiResult<axum::Json<JobList>> {
    let filter = JobFilter {
        status: query.status.map(|s| match s {
            JobStatusParam::Pending => JobStatus::Pending,
            JobStatusParam::Dead => JobStatus::Dead,
            JobStatusParam::Done => JobStatus::Done,
        }),
        kind: query.kind,
        limit: query.limit,
    };
    let jobs = state.signet.list_account_jobs(&who, &filter).await?;
    Ok(axum::Json(JobList {
        data: jobs.iter().map(JobResponse::from).collect(),
    }))
}

/// Put a dead job back in the queue: it runs again at once, with a fresh set of attempts.
#[utoipa::path(
    post, path = "/api/v1/admin/jobs/{id}/retry", tag = "admin",
    params(("id" = Uuid, Path, description = "Job id")),
    responses(
        (status = 200, description = "The re-queued job", body = JobResponse),
        (status = 401, description = "Missing or invalid credential", body = ErrorBody),
        (status = 403, description = "`insufficient_scope` or `forbidden` (members)", body = ErrorBody),
        (status = 404, description = "No such job in your account", body = ErrorBody),
        (status = 409, description = "`job_not_dead`", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn retry_job(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<JobResponse>> {
    let job = state
        .signet
        .retry_account_job(&who, JobId::from_uuid(id))
        .await?;
    Ok(axum::Json(JobResponse::from(&job)))
}
