//! The durable job queue. A lease belongs to the worker named in `locked_by`: finishing,
//! retrying, burying and extending all require it, so a worker whose job was reclaimed by
//! another (after its lease expired) can no longer touch it. Expiry matters only for claiming.

use signet_core::id::JobId;
use signet_core::model::{Job, JobPayload, JobStatus, NewJob};
use signet_core::port::StoreError;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::decode;
use crate::engine::{Engine, Tx};
use crate::param::{json, params};

/// Inserts a pending job; a job whose `dedupe_key` exists already is skipped.
pub(crate) async fn insert_job(
    tx: &mut dyn Tx,
    job: &NewJob,
    created_at: OffsetDateTime,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, dedupe_key, \
         created_at, updated_at, account_id) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $8, $9) \
         ON CONFLICT (dedupe_key) DO NOTHING",
        params![
            job.id,
            job.payload.kind(),
            json(&job.payload, "job payload")?,
            JobStatus::Pending.as_str(),
            job.run_at,
            job.max_attempts,
            job.dedupe_key.as_ref(),
            created_at,
            payload_account(&job.payload),
        ],
    )
    .await
    .map(drop)
}

/// The account a payload names: every kind carries `account_id`, read from its JSON form so a
/// new kind needs no change here (the admin API lists and retries jobs by this column).
fn payload_account(payload: &JobPayload) -> Option<Uuid> {
    let value = serde_json::to_value(payload).ok()?;
    value.get("account_id")?.as_str()?.parse().ok()
}

/// See [`signet_core::port::Store::enqueue_jobs`]. All or none, in one transaction.
/// `created_at` is the job's `run_at`: the port passes no current time.
pub(crate) async fn enqueue_jobs(engine: &dyn Engine, jobs: &[NewJob]) -> Result<(), StoreError> {
    if jobs.is_empty() {
        return Ok(());
    }
    let mut tx = engine.write().await?;
    for job in jobs {
        insert_job(&mut *tx, job, job.run_at).await?;
    }
    tx.commit().await
}

/// See [`signet_core::port::Store::claim_jobs`]; the statement is the backend's.
pub(crate) async fn claim_jobs(
    engine: &dyn Engine,
    worker: &str,
    now: OffsetDateTime,
    lease_until: OffsetDateTime,
    limit: u32,
) -> Result<Vec<Job>, StoreError> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let mut tx = engine.write().await?;
    let mut jobs = tx
        .all(
            engine.claim_sql(),
            params![worker, now, lease_until, limit],
            decode::job,
        )
        .await?;
    tx.commit().await?;
    // RETURNING gives no order; hand jobs out in the order they became due.
    jobs.sort_by_key(|job| (job.run_at, job.id));
    Ok(jobs)
}

/// See [`signet_core::port::Store::extend_lease`].
pub(crate) async fn extend_lease(
    engine: &dyn Engine,
    id: JobId,
    worker: &str,
    lease_until: OffsetDateTime,
) -> Result<bool, StoreError> {
    let changed = engine
        .execute(
            "UPDATE jobs SET locked_until = $3 WHERE id = $1 AND locked_by = $2 AND status = $4",
            params![id, worker, lease_until, JobStatus::Pending.as_str()],
        )
        .await?;
    Ok(changed == 1)
}

/// Ends the worker's lease, setting the status, `run_at` and `last_error` given; false if the
/// worker does not hold the lease.
async fn release(
    engine: &dyn Engine,
    id: JobId,
    worker: &str,
    status: JobStatus,
    run_at: Option<OffsetDateTime>,
    error: Option<&str>,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let changed = engine
        .execute(
            "UPDATE jobs SET status = $3, run_at = COALESCE($4, run_at), \
             last_error = COALESCE($5, last_error), locked_by = NULL, locked_until = NULL, \
             updated_at = $6 WHERE id = $1 AND locked_by = $2 AND status = $7",
            params![
                id,
                worker,
                status.as_str(),
                run_at,
                error,
                now,
                JobStatus::Pending.as_str()
            ],
        )
        .await?;
    Ok(changed == 1)
}

/// See [`signet_core::port::Store::finish_job`].
pub(crate) async fn finish_job(
    engine: &dyn Engine,
    id: JobId,
    worker: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    release(engine, id, worker, JobStatus::Done, None, None, now).await
}

/// See [`signet_core::port::Store::retry_job`].
pub(crate) async fn retry_job(
    engine: &dyn Engine,
    id: JobId,
    worker: &str,
    error: &str,
    run_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    release(
        engine,
        id,
        worker,
        JobStatus::Pending,
        Some(run_at),
        Some(error),
        now,
    )
    .await
}

/// See [`signet_core::port::Store::bury_job`].
pub(crate) async fn bury_job(
    engine: &dyn Engine,
    id: JobId,
    worker: &str,
    error: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    release(engine, id, worker, JobStatus::Dead, None, Some(error), now).await
}

/// See [`signet_core::port::Store::list_jobs`]. Oldest first by id (UUIDv7).
pub(crate) async fn list_jobs(
    engine: &dyn Engine,
    status: Option<JobStatus>,
    limit: u32,
) -> Result<Vec<Job>, StoreError> {
    let rows = engine
        .fetch(
            "SELECT * FROM jobs WHERE ($1 IS NULL OR status = $1) ORDER BY id LIMIT $2",
            params![status.as_ref().map(JobStatus::as_str), limit],
        )
        .await?;
    rows.iter().map(|row| decode::job(row.as_ref())).collect()
}
