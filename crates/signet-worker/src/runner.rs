//! [`Worker`]: claims due jobs with a lease, runs them (concurrently in [`Worker::run`], one by
//! one in [`Worker::run_until_idle`]), keeps the lease alive while they run, and records the
//! outcome: done, retried later with backoff, or buried after the last attempt.

mod attempt;
mod backoff;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use signet_core::Signet;
use signet_core::id::JobId;
use signet_core::model::Job;
use signet_core::port::StoreError;
use tokio::sync::Notify;
use tokio::task::{self, JoinSet};
use tokio_util::sync::CancellationToken;

pub use backoff::retry_delay;

use crate::error::WorkerError;
use crate::executor::JobExecutor;
use attempt::{Outcome, later, with_store_retries};

/// How many jobs [`Worker::run_until_idle`] runs before it decides the queue never drains.
const RUNAWAY_LIMIT: u64 = 10_000;

/// How a [`Worker`] claims and runs jobs.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Names this worker in the lease; must be unique among live workers.
    pub worker_id: String,
    /// How often to look for due jobs when idle (a [`Worker::wake`] looks at once).
    pub poll_interval: Duration,
    /// How long a claimed job stays reserved; renewed every third of it while the job runs.
    pub lease: Duration,
    /// Most jobs claimed at once.
    pub batch: u32,
    /// Most jobs running at once in [`Worker::run`].
    pub concurrency: usize,
    /// After shutdown is requested, how long running jobs may take to finish; jobs still running
    /// then are aborted and their leases released, so another worker re-runs them at once.
    pub shutdown_grace: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        let host = hostname::get()
            .ok()
            .and_then(|h| h.into_string().ok())
            .unwrap_or_else(|| "signet".into());
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        Self {
            worker_id: format!("{host}-{}", &suffix[..8]),
            poll_interval: Duration::from_secs(1),
            lease: Duration::from_secs(5 * 60),
            batch: 8,
            concurrency: 4,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// What [`Worker::run_until_idle`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Jobs that succeeded.
    pub done: u64,
    /// Jobs that failed and were scheduled for another attempt.
    pub retried: u64,
    /// Jobs marked dead (last attempt failed, or a permanent error).
    pub buried: u64,
    /// Jobs whose outcome was not recorded (lease lost to another worker, or the store failed);
    /// they run again once their lease expires.
    pub lost: u64,
}

impl RunStats {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Done => self.done += 1,
            Outcome::Retried => self.retried += 1,
            Outcome::Buried => self.buried += 1,
            Outcome::Lost => self.lost += 1,
        }
    }
}

/// The durable job runner. One per process; cheap to share by reference.
pub struct Worker {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    exec: Arc<dyn JobExecutor>,
    config: WorkerConfig,
    wake: Notify,
}

impl Worker {
    /// A worker running jobs through `signet`.
    pub fn new(signet: Signet, config: WorkerConfig) -> Self {
        Self::with_executor(Arc::new(signet), config)
    }

    /// A worker running jobs through any [`JobExecutor`] (tests use a fake one).
    pub fn with_executor(exec: Arc<dyn JobExecutor>, config: WorkerConfig) -> Self {
        Self {
            shared: Arc::new(Shared {
                exec,
                config,
                wake: Notify::new(),
            }),
        }
    }

    /// The settings in use.
    pub fn config(&self) -> &WorkerConfig {
        &self.shared.config
    }

    /// Makes [`Worker::run`] look for due jobs now instead of at its next poll (call it after
    /// enqueueing). A wake with no loop waiting is kept for the next wait.
    pub fn wake(&self) {
        self.shared.wake.notify_one();
    }

    /// Runs until `shutdown` is cancelled: claims due jobs, runs up to `concurrency` at once,
    /// and records each outcome. Store errors are logged and retried; this never fails. On
    /// shutdown it stops claiming, waits up to `shutdown_grace` for running jobs, releases the
    /// leases of those still running, and returns.
    pub async fn run(&self, shutdown: CancellationToken) {
        let config = &self.shared.config;
        let concurrency = config.concurrency.max(1);
        let mut running: JoinSet<Outcome> = JoinSet::new();
        // Which job each task runs, so a job abandoned at shutdown can be released.
        let mut in_hand: HashMap<task::Id, JobId> = HashMap::new();
        let mut failures = 0u32;
        tracing::info!(worker = %config.worker_id, concurrency, "job worker started");
        while !shutdown.is_cancelled() {
            let free = concurrency.saturating_sub(running.len());
            let mut more_due = false;
            if free > 0 {
                let limit = u32::try_from(free)
                    .unwrap_or(u32::MAX)
                    .min(config.batch.max(1));
                match self.shared.claim(limit).await {
                    Ok(jobs) => {
                        failures = 0;
                        more_due = jobs.len() == limit as usize;
                        for job in jobs {
                            let (shared, id) = (Arc::clone(&self.shared), job.id);
                            let handle = running.spawn(async move { shared.attempt(job).await });
                            in_hand.insert(handle.id(), id);
                        }
                    }
                    Err(err) => {
                        failures = failures.saturating_add(1);
                        tracing::warn!(worker = %config.worker_id, error = %err, "claiming jobs failed; will retry");
                    }
                }
            }
            if more_due && running.len() < concurrency {
                continue;
            }
            let pause = pause_after(config.poll_interval, failures);
            tokio::select! {
                () = shutdown.cancelled() => {}
                Some(joined) = running.join_next_with_id(), if !running.is_empty() => {
                    in_hand.remove(&joined_id(&joined));
                    log_panic(joined.map(|(_, outcome)| outcome));
                }
                () = self.shared.wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
        self.drain(running, in_hand).await;
    }

    /// Waits up to `shutdown_grace` for running jobs; then aborts the rest and releases their
    /// leases, so another worker (or this one after a restart) runs them at once.
    async fn drain(&self, mut running: JoinSet<Outcome>, mut in_hand: HashMap<task::Id, JobId>) {
        let config = &self.shared.config;
        tracing::info!(worker = %config.worker_id, running = running.len(), "job worker stopping");
        let finished = tokio::time::timeout(config.shutdown_grace, async {
            while let Some(joined) = running.join_next_with_id().await {
                in_hand.remove(&joined_id(&joined));
                log_panic(joined.map(|(_, outcome)| outcome));
            }
        })
        .await;
        if finished.is_err() {
            tracing::warn!(
                worker = %config.worker_id,
                abandoned = running.len(),
                "shutdown grace period over; releasing the jobs still running"
            );
            running.abort_all();
            while let Some(joined) = running.join_next_with_id().await {
                if joined.is_ok() {
                    in_hand.remove(&joined_id(&joined));
                }
            }
            for id in in_hand.into_values() {
                self.release(id).await;
            }
        }
        tracing::info!(worker = %config.worker_id, "job worker stopped");
    }

    /// Gives back the lease of a job aborted at shutdown (logged; a failure leaves the lease to
    /// expire, as after a crash).
    async fn release(&self, id: JobId) {
        let worker = self.shared.config.worker_id.as_str();
        match self.shared.exec.store().release_job(id, worker).await {
            Ok(true) => tracing::info!(job_id = %id, "job released at shutdown"),
            Ok(false) => {}
            Err(err) => {
                tracing::warn!(job_id = %id, error = %err, "releasing a job failed; its lease will expire")
            }
        }
    }

    /// Claims and runs, one at a time, every job that is due at the executor's "now", until
    /// none is due (jobs enqueued by jobs included). For tests and one-shot commands.
    pub async fn run_until_idle(&self) -> Result<RunStats, WorkerError> {
        let mut stats = RunStats::default();
        let mut total = 0u64;
        loop {
            let shared = &self.shared;
            let jobs =
                with_store_retries("claim jobs", || shared.claim(shared.config.batch.max(1)))
                    .await?;
            if jobs.is_empty() {
                return Ok(stats);
            }
            for job in jobs {
                stats.add(shared.attempt(job).await);
                total += 1;
                if total >= RUNAWAY_LIMIT {
                    return Err(WorkerError::Runaway(total));
                }
            }
        }
    }
}

impl Shared {
    /// Claims up to `limit` jobs due now, leased for `lease`.
    async fn claim(&self, limit: u32) -> Result<Vec<Job>, StoreError> {
        let now = self.exec.now();
        let until = later(now, self.config.lease);
        self.exec
            .store()
            .claim_jobs(&self.config.worker_id, now, until, limit)
            .await
    }
}

/// The idle wait: the poll interval, or longer while the store keeps failing (up to 30 s).
fn pause_after(poll: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return poll;
    }
    poll.saturating_mul(2u32.saturating_pow(failures.min(6)))
        .min(Duration::from_secs(30))
        .max(poll)
}

fn joined_id(joined: &Result<(task::Id, Outcome), task::JoinError>) -> task::Id {
    match joined {
        Ok((id, _)) => *id,
        Err(err) => err.id(),
    }
}

fn log_panic(joined: Result<Outcome, tokio::task::JoinError>) {
    // `attempt` catches panics of the job itself; this is a bug in the runner.
    if let Err(err) = joined
        && err.is_panic()
    {
        tracing::error!(error = %err, "job task panicked outside the job");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_wait_grows_while_the_store_fails() {
        let poll = Duration::from_secs(1);
        assert_eq!(pause_after(poll, 0), poll);
        assert_eq!(pause_after(poll, 1), Duration::from_secs(2));
        assert_eq!(pause_after(poll, 20), Duration::from_secs(30));
        assert_eq!(
            pause_after(Duration::from_secs(60), 3),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn the_default_worker_id_names_the_host_and_is_unique() {
        let (a, b) = (WorkerConfig::default(), WorkerConfig::default());
        assert_ne!(a.worker_id, b.worker_id);
        assert!(a.worker_id.len() > 9);
    }
}
