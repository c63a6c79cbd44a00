//! The production path: `Worker::new` with a full `Signet` (SQLite store, file blobs, the
//! outbox mailer and the HTTP callback sender from this crate) and a fixed clock.

use std::sync::Arc;
use std::time::Duration;

use signet_core::id::{AccountId, EnvelopeId, JobId, SignerId};
use signet_core::instance::{InstanceKeys, PkiSettings};
use signet_core::model::{JobPayload, JobStatus, NewJob};
use signet_core::port::Store;
use signet_core::time::Clock;
use signet_core::{CoreConfig, Deps, Signet};
use signet_store::{FsBlobStore, SqliteStore};
use signet_worker::{
    CallbackConfig, HttpCallbackSender, OutboxMailer, RunStats, Worker, WorkerConfig,
};
use time::OffsetDateTime;
use time::macros::datetime;

struct FixedClock(OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

#[tokio::test]
async fn jobs_run_through_signet_with_its_store_and_clock() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(dir.path().join("signet.db"))
            .await
            .unwrap(),
    );
    // Far from the wall clock: the runner must take "now" from Signet's clock to see these jobs.
    let now = datetime!(2031-05-01 09:00 UTC);
    let keys =
        InstanceKeys::load_or_create(store.as_ref(), &[7; 32], &PkiSettings::new("Test"), now)
            .await
            .unwrap();
    let signet = Signet::new(Deps {
        store: Arc::clone(&store),
        blobs: Arc::new(FsBlobStore::new(dir.path().join("blobs"))),
        mailer: Arc::new(
            OutboxMailer::new(dir.path().join("outbox"), "signet@example.test").unwrap(),
        ),
        callbacks: Arc::new(HttpCallbackSender::new(CallbackConfig::default()).unwrap()),
        clock: Arc::new(FixedClock(now)),
        keys: Arc::new(keys),
        job_signal: Arc::new(signet_core::port::NoSignal),
        remote_tsa: None,
        converter: None,
        crl_client: None,
        sms: None,
        identity: None,
        config: CoreConfig::default(),
    });
    // Jobs about envelopes that no longer exist are moot: run_job succeeds without effect.
    let (account_id, envelope_id) = (AccountId::generate(), EnvelopeId::generate());
    let payloads = [
        JobPayload::SendInvitation {
            account_id,
            envelope_id,
            signer_id: SignerId::generate(),
            generation: 1,
        },
        JobPayload::DeliverCallback {
            account_id,
            envelope_id,
            event: "envelope.completed".into(),
            delivery_id: uuid::Uuid::new_v4(),
        },
    ];
    let jobs: Vec<NewJob> = payloads
        .into_iter()
        .map(|payload| NewJob {
            id: JobId::generate(),
            payload,
            run_at: now,
            max_attempts: 5,
            dedupe_key: None,
        })
        .collect();
    store.enqueue_jobs(&jobs).await.unwrap();

    let worker = Worker::new(
        signet,
        WorkerConfig {
            lease: Duration::from_secs(60),
            ..WorkerConfig::default()
        },
    );
    assert_eq!(
        worker.run_until_idle().await.unwrap(),
        RunStats {
            done: 2,
            ..RunStats::default()
        }
    );
    let done = store.list_jobs(Some(JobStatus::Done), 10).await.unwrap();
    assert_eq!(done.len(), 2);
    assert!(done.iter().all(|job| job.updated_at == now));
}
