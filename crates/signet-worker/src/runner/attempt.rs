//! One attempt at one claimed job: run it while renewing the lease, then record the outcome
//! (only while this worker still holds the lease) and log it once.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use futures::FutureExt;
use signet_core::id::JobId;
use signet_core::model::Job;
use signet_core::port::StoreError;
use signet_core::usecase::job::JobError;
use time::OffsetDateTime;

use super::Shared;
use super::backoff::retry_delay_for;

/// Longest error text stored with a job.
const MAX_ERROR_LEN: usize = 2000;

/// How an attempt ended, as recorded in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Done,
    Retried,
    Buried,
    /// Not recorded: the lease was lost, or the store failed.
    Lost,
}

/// What to write to the store after an attempt.
enum Decision {
    Finish,
    Retry { error: String, delay: Duration },
    Bury { error: String },
}

impl Shared {
    /// Runs `job` and records its outcome; never fails (problems are logged).
    pub(crate) async fn attempt(&self, job: Job) -> Outcome {
        let started = Instant::now();
        if job.attempts > job.max_attempts {
            // Every allowed attempt was started and none recorded an outcome: the job keeps
            // taking its worker down (a crash or an abort). Do not run it again.
            let decision = Decision::Bury {
                error: format!(
                    "abandoned: {} attempts started, none finished",
                    job.max_attempts
                ),
            };
            let recorded = self.record(&job, &decision).await;
            report(&job, started.elapsed(), &decision, &recorded);
            return if matches!(recorded, Ok(true)) {
                Outcome::Buried
            } else {
                Outcome::Lost
            };
        }
        let result = tokio::select! {
            result = run_catching_panics(self, &job) => Some(result),
            () = self.keep_lease(job.id) => None,
        };
        let elapsed = started.elapsed();
        let Some(result) = result else {
            log_lost(
                &job,
                elapsed,
                "lease lost to another worker; attempt abandoned",
            );
            return Outcome::Lost;
        };
        let decision = decide(&job, result);
        let recorded = self.record(&job, &decision).await;
        report(&job, elapsed, &decision, &recorded);
        if let (Ok(true), Decision::Bury { error }) = (&recorded, &decision) {
            self.exec.gave_up(&job.payload, error).await;
        }
        match (recorded, decision) {
            (Ok(true), Decision::Finish) => Outcome::Done,
            (Ok(true), Decision::Retry { .. }) => Outcome::Retried,
            (Ok(true), Decision::Bury { .. }) => Outcome::Buried,
            _ => Outcome::Lost,
        }
    }

    /// Renews the lease every third of its length; returns only once the lease is lost.
    async fn keep_lease(&self, id: JobId) {
        let lease = self.config.lease;
        let every = (lease / 3).max(Duration::from_millis(10));
        loop {
            tokio::time::sleep(every).await;
            let until = later(self.exec.now(), lease);
            match self
                .exec
                .store()
                .extend_lease(id, &self.config.worker_id, until)
                .await
            {
                Ok(true) => {}
                Ok(false) => return,
                Err(err) => {
                    tracing::warn!(job_id = %id, error = %err, "renewing a job lease failed; will retry")
                }
            }
        }
    }

    async fn record(&self, job: &Job, decision: &Decision) -> Result<bool, StoreError> {
        let store = self.exec.store();
        let worker = self.config.worker_id.as_str();
        with_store_retries("record a job outcome", || {
            let now = self.exec.now();
            async move {
                match decision {
                    Decision::Finish => store.finish_job(job.id, worker, now).await,
                    Decision::Retry { error, delay } => {
                        store
                            .retry_job(job.id, worker, error, later(now, *delay), now)
                            .await
                    }
                    Decision::Bury { error } => store.bury_job(job.id, worker, error, now).await,
                }
            }
        })
        .await
    }
}

async fn run_catching_panics(shared: &Shared, job: &Job) -> Result<(), JobError> {
    match AssertUnwindSafe(shared.exec.execute(&job.payload))
        .catch_unwind()
        .await
    {
        Ok(result) => result,
        Err(panic) => {
            let text = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(JobError::Retry(format!("the job panicked: {text}")))
        }
    }
}

fn decide(job: &Job, result: Result<(), JobError>) -> Decision {
    match result {
        Ok(()) => Decision::Finish,
        Err(JobError::Permanent(error)) => Decision::Bury {
            error: truncate(error),
        },
        Err(JobError::Retry(error)) if job.attempts >= job.max_attempts => Decision::Bury {
            error: truncate(format!("{error} (after {} attempts)", job.attempts)),
        },
        Err(JobError::Retry(error)) => Decision::Retry {
            error: truncate(error),
            delay: retry_delay_for(job.payload.kind(), job.attempts),
        },
    }
}

fn report(job: &Job, elapsed: Duration, decision: &Decision, recorded: &Result<bool, StoreError>) {
    let (id, kind, attempt, ms) = (job.id, job.payload.kind(), job.attempts, millis(elapsed));
    match (recorded, decision) {
        (Err(err), _) => tracing::error!(
            job_id = %id, kind, attempt, duration_ms = ms, store_error = %err, job_error = decision.error(),
            "could not record the job outcome; the job runs again after its lease expires"
        ),
        (Ok(false), _) => log_lost(
            job,
            elapsed,
            "lease lost to another worker; outcome not recorded",
        ),
        (Ok(true), Decision::Finish) => {
            tracing::info!(job_id = %id, kind, attempt, duration_ms = ms, "job done")
        }
        (Ok(true), Decision::Retry { error, delay }) => tracing::warn!(
            job_id = %id, kind, attempt, duration_ms = ms, retry_in_s = delay.as_secs(), error = error.as_str(),
            "job failed; will retry"
        ),
        (Ok(true), Decision::Bury { error }) => tracing::error!(
            job_id = %id, kind, attempt, duration_ms = ms, error = error.as_str(),
            "job failed for good; marked dead"
        ),
    }
}

fn log_lost(job: &Job, elapsed: Duration, what: &str) {
    let (id, kind, attempt, ms) = (job.id, job.payload.kind(), job.attempts, millis(elapsed));
    tracing::warn!(job_id = %id, kind, attempt, duration_ms = ms, "{what}");
}

impl Decision {
    fn error(&self) -> Option<&str> {
        match self {
            Decision::Finish => None,
            Decision::Retry { error, .. } | Decision::Bury { error } => Some(error),
        }
    }
}

fn millis(elapsed: Duration) -> u64 {
    u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
}

fn truncate(mut text: String) -> String {
    if text.len() > MAX_ERROR_LEN {
        let mut end = MAX_ERROR_LEN;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// `now + duration`, saturating instead of overflowing.
pub(crate) fn later(now: OffsetDateTime, duration: Duration) -> OffsetDateTime {
    now.saturating_add(time::Duration::try_from(duration).unwrap_or(time::Duration::MAX))
}

/// Runs a store operation, retrying twice after a short pause if it fails.
pub(crate) async fn with_store_retries<T, F, Fut>(what: &str, mut op: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, StoreError>>,
{
    let mut pause = Duration::from_millis(100);
    for _ in 0..2 {
        match op().await {
            Ok(value) => return Ok(value),
            Err(err) => tracing::warn!(error = %err, "{what} failed; retrying in {pause:?}"),
        }
        tokio::time::sleep(pause).await;
        pause *= 4;
    }
    op().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_errors_are_cut_at_a_character_boundary() {
        let cut = truncate("é".repeat(MAX_ERROR_LEN));
        assert!(cut.len() <= MAX_ERROR_LEN + '…'.len_utf8());
        assert!(cut.ends_with('…'));
        assert_eq!(truncate("short".into()), "short");
    }
}
