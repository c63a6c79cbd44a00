//! [`JobExecutor`]: what the runner needs from the application. [`Signet`] is the production
//! implementation; the seam lets the runner's state machine be tested with a fake handler.

use async_trait::async_trait;
use signet_core::Signet;
use signet_core::model::JobPayload;
use signet_core::port::Store;
use signet_core::usecase::job::JobError;
use time::OffsetDateTime;

/// Runs job payloads against a store and a clock.
#[async_trait]
pub trait JobExecutor: Send + Sync + 'static {
    /// The store holding the job queue.
    fn store(&self) -> &dyn Store;
    /// "Now" for leases and retry times (the application's clock, so tests control it).
    fn now(&self) -> OffsetDateTime;
    /// Executes one payload.
    async fn execute(&self, payload: &JobPayload) -> Result<(), JobError>;
    /// Told once a job was marked dead (a permanent failure or its last attempt), so the
    /// application can record what that means (an e-mail that will never arrive).
    async fn gave_up(&self, _payload: &JobPayload, _error: &str) {}
}

#[async_trait]
impl JobExecutor for Signet {
    fn store(&self) -> &dyn Store {
        Signet::store(self).as_ref()
    }

    fn now(&self) -> OffsetDateTime {
        Signet::now(self)
    }

    async fn execute(&self, payload: &JobPayload) -> Result<(), JobError> {
        self.run_job(payload).await
    }

    async fn gave_up(&self, payload: &JobPayload, error: &str) {
        if let Err(err) = self.job_gave_up(payload, error).await {
            tracing::warn!(kind = payload.kind(), error = %err, "recording a dead job's outcome failed");
        }
    }
}
