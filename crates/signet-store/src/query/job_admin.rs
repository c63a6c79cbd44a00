//! Job administration and queue figures: an account's jobs listed and a dead one re-queued
//! (scoped by the `account_id` column, filled from the payload when a job is inserted), a lease
//! given back on shutdown, the grouped counts the metrics read at scrape time, and whether the
//! schema is current (readiness).

use std::collections::BTreeSet;

use signet_core::id::{AccountId, JobId};
use signet_core::model::{Job, JobQueueCount, JobStatus};
use signet_core::port::StoreError;
use time::OffsetDateTime;

use crate::decode;
use crate::engine::Engine;
use crate::param::params;
use crate::row::Required;

/// See [`signet_core::port::Store::list_account_jobs`]. Newest first by id (UUIDv7).
pub(crate) async fn list_account_jobs(
    engine: &dyn Engine,
    account: AccountId,
    status: Option<JobStatus>,
    kind: Option<&str>,
    limit: u32,
) -> Result<Vec<Job>, StoreError> {
    let rows = engine
        .fetch(
            "SELECT * FROM jobs WHERE account_id = $1 AND ($2 IS NULL OR status = $2) \
             AND ($3 IS NULL OR kind = $3) ORDER BY id DESC LIMIT $4",
            params![account, status.as_ref().map(JobStatus::as_str), kind, limit],
        )
        .await?;
    rows.iter().map(|row| decode::job(row.as_ref())).collect()
}

/// See [`signet_core::port::Store::job`].
pub(crate) async fn job(
    engine: &dyn Engine,
    account: Option<AccountId>,
    id: JobId,
) -> Result<Option<Job>, StoreError> {
    engine
        .first(
            "SELECT * FROM jobs WHERE id = $1 AND ($2 IS NULL OR account_id = $2)",
            params![id, account],
            decode::job,
        )
        .await
}

/// See [`signet_core::port::Store::requeue_dead_job`].
pub(crate) async fn requeue_dead_job(
    engine: &dyn Engine,
    account: Option<AccountId>,
    id: JobId,
    now: OffsetDateTime,
) -> Result<Option<Job>, StoreError> {
    let mut tx = engine.write().await?;
    let job = tx
        .first(
            "UPDATE jobs SET status = $3, attempts = 0, run_at = $4, locked_by = NULL, \
             locked_until = NULL, updated_at = $4 \
             WHERE id = $1 AND ($2 IS NULL OR account_id = $2) AND status = $5 RETURNING *",
            params![
                id,
                account,
                JobStatus::Pending.as_str(),
                now,
                JobStatus::Dead.as_str()
            ],
            decode::job,
        )
        .await?;
    tx.commit().await?;
    Ok(job)
}

/// See [`signet_core::port::Store::release_job`].
pub(crate) async fn release_job(
    engine: &dyn Engine,
    id: JobId,
    worker: &str,
) -> Result<bool, StoreError> {
    let changed = engine
        .execute(
            "UPDATE jobs SET locked_by = NULL, locked_until = NULL, \
             attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END \
             WHERE id = $1 AND locked_by = $2 AND status = $3",
            params![id, worker, JobStatus::Pending.as_str()],
        )
        .await?;
    Ok(changed == 1)
}

/// See [`signet_core::port::Store::job_queue_counts`]. Done jobs are not read (the status
/// index keeps this cheap however many there are).
pub(crate) async fn job_queue_counts(
    engine: &dyn Engine,
    now: OffsetDateTime,
) -> Result<Vec<JobQueueCount>, StoreError> {
    let rows = engine
        .fetch(
            "SELECT kind, CASE WHEN status = 'dead' THEN 'dead' WHEN run_at <= $1 THEN 'due' \
             ELSE 'scheduled' END AS state, COUNT(*) AS n, MIN(run_at) AS oldest \
             FROM jobs WHERE status IN ('pending', 'dead') GROUP BY 1, 2 ORDER BY 1, 2",
            params![now],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(JobQueueCount {
                kind: row.req_text("kind")?,
                state: row.req_text("state")?,
                count: row.req_int("n")?,
                oldest_run_at: row.time("oldest")?,
            })
        })
        .collect()
}

/// See [`signet_core::port::Store::schema_current`]. Both backends embed migrations of the
/// same versions (a test checks the names), so one list serves both.
pub(crate) async fn schema_current(engine: &dyn Engine) -> Result<bool, StoreError> {
    let rows = engine
        .fetch(
            "SELECT version FROM _sqlx_migrations WHERE success = TRUE",
            Vec::new(),
        )
        .await?;
    let applied = rows
        .iter()
        .map(|row| row.req_int("version"))
        .collect::<Result<BTreeSet<i64>, _>>()?;
    let embedded: BTreeSet<i64> = sqlx::migrate!("./migrations/sqlite")
        .iter()
        .map(|m| m.version)
        .collect();
    Ok(applied == embedded)
}
