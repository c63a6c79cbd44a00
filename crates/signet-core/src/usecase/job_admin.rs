//! Job administration: an account's owners and admins list their own jobs and put a dead one
//! back in the queue; the operator does the same instance-wide from the command line. Jobs are
//! scoped by the account their payload names.

use crate::CoreError;
use crate::id::JobId;
use crate::model::{Job, JobStatus};
use crate::service::Signet;
use crate::usecase::account::Principal;

/// Most jobs one listing returns.
pub const MAX_JOB_LIST: u32 = 500;

/// Which of an account's jobs to list.
#[derive(Clone, Debug, Default)]
pub struct JobFilter {
    /// Only jobs in this status.
    pub status: Option<JobStatus>,
    /// Only jobs of this kind (`seal_envelope`, `send_invitation`, …).
    pub kind: Option<String>,
    /// At most this many (default 100, at most [`MAX_JOB_LIST`]).
    pub limit: Option<u32>,
}

impl Signet {
    /// The caller's account's jobs, newest first (owners and admins only).
    pub async fn list_account_jobs(
        &self,
        who: &Principal,
        filter: &JobFilter,
    ) -> Result<Vec<Job>, CoreError> {
        who.require_admin()?;
        let limit = match filter.limit {
            None => 100,
            Some(n @ 1..=MAX_JOB_LIST) => n,
            Some(_) => {
                return Err(CoreError::invalid(
                    "invalid_limit",
                    format!("limit must be between 1 and {MAX_JOB_LIST}"),
                ));
            }
        };
        let kind = filter.kind.as_deref().filter(|k| !k.is_empty());
        Ok(self
            .store_ref()
            .list_account_jobs(who.account_id, filter.status, kind, limit)
            .await?)
    }

    /// Puts one of the caller's account's dead jobs back in the queue (owners and admins only):
    /// due now, with a fresh set of attempts. 404 for a job of another account, 409 for a job
    /// that is not dead.
    pub async fn retry_account_job(&self, who: &Principal, id: JobId) -> Result<Job, CoreError> {
        who.require_admin()?;
        self.requeue(Some(who), id).await
    }

    /// The operator's retry (`signet jobs retry ID`): any account's dead job.
    pub async fn retry_job_as_operator(&self, id: JobId) -> Result<Job, CoreError> {
        self.requeue(None, id).await
    }

    async fn requeue(&self, who: Option<&Principal>, id: JobId) -> Result<Job, CoreError> {
        let account = who.map(|p| p.account_id);
        let store = self.store_ref();
        if let Some(job) = store.requeue_dead_job(account, id, self.now()).await? {
            self.deps.job_signal.jobs_enqueued();
            return Ok(job);
        }
        match store.job(account, id).await? {
            None => Err(CoreError::NotFound("job")),
            Some(job) => Err(CoreError::conflict(
                "job_not_dead",
                format!(
                    "only a dead job can be retried; this one is {}",
                    job.status.as_str()
                ),
            )),
        }
    }
}
