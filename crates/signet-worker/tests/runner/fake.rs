//! A fake application for the runner tests: jobs whose behaviour is scripted per envelope id,
//! a clock the test moves, and a real SQLite store.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use signet_core::id::{AccountId, EnvelopeId, JobId};
use signet_core::model::{Job, JobPayload, JobStatus, NewJob};
use signet_core::port::Store;
use signet_core::usecase::job::JobError;
use signet_store::SqliteStore;
use signet_worker::{JobExecutor, Worker, WorkerConfig};
use time::OffsetDateTime;
use time::macros::datetime;

/// What a fake job does when it runs.
#[derive(Clone, Copy)]
pub enum Behaviour {
    Succeed,
    /// Fails with `Retry` this many times, then succeeds.
    FailTimes(usize),
    AlwaysRetry,
    Permanent,
    Panic,
    /// Sleeps (real time), then succeeds.
    Sleep(Duration),
    /// Moves the clock past the lease and lets another worker claim the job, then succeeds.
    LoseLease,
    /// Moves the clock an hour on, sleeps past several renewals, then checks that another
    /// worker cannot claim the job.
    OutliveTheFirstLease,
}

pub struct FakeApp {
    pub store: Arc<dyn Store>,
    clock: Mutex<OffsetDateTime>,
    behaviours: Mutex<HashMap<EnvelopeId, Behaviour>>,
    pub runs: Mutex<HashMap<EnvelopeId, usize>>,
    pub running: AtomicUsize,
    pub max_running: AtomicUsize,
    pub stolen: AtomicBool,
}

pub const LEASE: Duration = Duration::from_secs(60);

impl FakeApp {
    pub fn advance(&self, by: Duration) {
        let mut clock = self.clock.lock().unwrap();
        *clock += by;
    }

    async fn run(&self, envelope: EnvelopeId) -> Result<(), JobError> {
        let behaviour = self.behaviours.lock().unwrap()[&envelope];
        let run = {
            let mut runs = self.runs.lock().unwrap();
            let n = runs.entry(envelope).or_default();
            *n += 1;
            *n
        };
        match behaviour {
            Behaviour::Succeed => Ok(()),
            Behaviour::FailTimes(n) if run <= n => Err(JobError::Retry(format!("boom {run}"))),
            Behaviour::FailTimes(_) => Ok(()),
            Behaviour::AlwaysRetry => Err(JobError::Retry("still failing".into())),
            Behaviour::Permanent => Err(JobError::Permanent("cannot ever work".into())),
            Behaviour::Panic => panic!("handler bug"),
            Behaviour::Sleep(d) => {
                tokio::time::sleep(d).await;
                Ok(())
            }
            Behaviour::LoseLease => {
                self.advance(LEASE * 2);
                let now = self.now();
                let stolen = self
                    .store
                    .claim_jobs("thief", now, now + LEASE, 10)
                    .await
                    .unwrap();
                self.stolen.store(!stolen.is_empty(), Ordering::SeqCst);
                Ok(())
            }
            Behaviour::OutliveTheFirstLease => {
                self.advance(Duration::from_secs(3600));
                tokio::time::sleep(Duration::from_millis(400)).await;
                let now = self.now();
                let stolen = self
                    .store
                    .claim_jobs("thief", now, now + LEASE, 10)
                    .await
                    .unwrap();
                self.stolen.store(!stolen.is_empty(), Ordering::SeqCst);
                Ok(())
            }
        }
    }
}

#[async_trait]
impl JobExecutor for FakeApp {
    fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    fn now(&self) -> OffsetDateTime {
        *self.clock.lock().unwrap()
    }

    async fn execute(&self, payload: &JobPayload) -> Result<(), JobError> {
        let JobPayload::SealEnvelope { envelope_id, .. } = payload else {
            panic!("unexpected payload")
        };
        let now_running = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_running.fetch_max(now_running, Ordering::SeqCst);
        let result = self.run(*envelope_id).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        result
    }
}

pub struct Harness {
    pub app: Arc<FakeApp>,
    _dir: tempfile::TempDir,
}

impl Harness {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("signet.db"))
            .await
            .unwrap();
        let app = Arc::new(FakeApp {
            store: Arc::new(store),
            clock: Mutex::new(datetime!(2026-11-23 12:00 UTC)),
            behaviours: Mutex::new(HashMap::new()),
            runs: Mutex::new(HashMap::new()),
            running: AtomicUsize::new(0),
            max_running: AtomicUsize::new(0),
            stolen: AtomicBool::new(false),
        });
        Self { app, _dir: dir }
    }

    pub fn worker(&self, config: WorkerConfig) -> Worker {
        Worker::with_executor(Arc::clone(&self.app) as Arc<dyn JobExecutor>, config)
    }

    pub async fn enqueue(&self, behaviour: Behaviour, max_attempts: i32) -> JobId {
        let envelope_id = EnvelopeId::generate();
        self.app
            .behaviours
            .lock()
            .unwrap()
            .insert(envelope_id, behaviour);
        let id = JobId::generate();
        let job = NewJob {
            id,
            payload: JobPayload::SealEnvelope {
                account_id: AccountId::generate(),
                envelope_id,
            },
            run_at: self.app.now(),
            max_attempts,
            dedupe_key: None,
        };
        self.app.store.enqueue_jobs(&[job]).await.unwrap();
        id
    }

    pub async fn job(&self, id: JobId) -> Job {
        let jobs = self.app.store.list_jobs(None, 1000).await.unwrap();
        jobs.into_iter().find(|j| j.id == id).unwrap()
    }

    pub async fn count(&self, status: JobStatus) -> usize {
        self.app
            .store
            .list_jobs(Some(status), 1000)
            .await
            .unwrap()
            .len()
    }
}
