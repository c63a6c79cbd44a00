//! The job queue: dedupe, leases, lease ownership, retries, burial, concurrent claimers.

use std::collections::HashSet;
use std::sync::Arc;

use signet_core::id::JobId;
use signet_core::model::{Job, JobPayload, JobStatus};
use signet_core::port::Store;

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    a_dedupe_key_admits_one_job,
    a_live_lease_keeps_other_workers_out,
    an_expired_lease_is_reclaimed_and_the_old_holder_loses_it,
    a_job_is_not_claimed_before_it_is_due,
    a_retry_releases_the_job_until_its_new_run_at,
    bury_marks_the_job_dead_for_its_holder_only,
    concurrent_claimers_never_share_a_job,
);

/// Claims for `worker` at `later(at)` with a lease until `later(until)`.
async fn claim(store: &dyn Store, worker: &str, at: i64, until: i64) -> Vec<Job> {
    store
        .claim_jobs(worker, later(at), later(until), 10)
        .await
        .unwrap()
}

/// Jobs in a status.
async fn jobs(store: &dyn Store, status: JobStatus) -> Vec<Job> {
    store.list_jobs(Some(status), 100).await.unwrap()
}

/// Enqueues one job due now and lets `w1` claim it until `later(60)`.
async fn claimed_job(store: &dyn Store) -> JobId {
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let new = job(&e, now(), None);
    store
        .enqueue_jobs(std::slice::from_ref(&new))
        .await
        .unwrap();
    let claimed = store.claim_jobs("w1", now(), later(60), 1).await.unwrap();
    assert_eq!(
        claimed.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![new.id]
    );
    new.id
}

async fn a_dedupe_key_admits_one_job(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let first = job(&e, now(), Some("seal:1"));
    store
        .enqueue_jobs(std::slice::from_ref(&first))
        .await
        .unwrap();
    let more = [job(&e, now(), Some("seal:1")), job(&e, now(), None)];
    store.enqueue_jobs(&more).await.unwrap();
    let (_, mut change) = next_version(&e);
    change.jobs = vec![job(&e, now(), Some("seal:1"))];
    store.save_envelope(&change).await.unwrap();

    let all = store.list_jobs(None, 10).await.unwrap();
    assert_eq!(all.len(), 2, "{all:?}");
    let stored = &all[0];
    assert_eq!((stored.id, &stored.payload), (first.id, &first.payload));
    assert_eq!(
        (stored.status, stored.attempts, stored.max_attempts),
        (JobStatus::Pending, 0, 5)
    );
    assert_eq!(
        (
            stored.run_at,
            stored.locked_by.as_deref(),
            stored.locked_until
        ),
        (now(), None, None)
    );
    assert_eq!(stored.last_error, None);
    // The envelope change that carried the duplicate went through.
    assert_eq!(load(store, &t, e.id).await.envelope.version, 2);
}

async fn a_live_lease_keeps_other_workers_out(db: &TestDb) {
    let store = &*db.store;
    let id = claimed_job(store).await;
    let held = &jobs(store, JobStatus::Pending).await[0];
    assert_eq!(
        (held.attempts, held.locked_by.as_deref(), held.locked_until),
        (1, Some("w1"), Some(later(60)))
    );

    assert!(claim(store, "w2", 1, 100).await.is_empty());
    assert!(claim(store, "w2", 59, 100).await.is_empty());
    // The holder may extend its lease; nobody else may.
    assert!(store.extend_lease(id, "w1", later(90)).await.unwrap());
    assert!(!store.extend_lease(id, "w2", later(200)).await.unwrap());
    assert!(claim(store, "w2", 89, 200).await.is_empty());
    assert_eq!(
        jobs(store, JobStatus::Pending).await[0].locked_until,
        Some(later(90))
    );
}

async fn an_expired_lease_is_reclaimed_and_the_old_holder_loses_it(db: &TestDb) {
    let store = &*db.store;
    let id = claimed_job(store).await;
    let reclaimed = claim(store, "w2", 60, 120).await;
    assert_eq!(reclaimed.len(), 1);
    assert_eq!(
        (reclaimed[0].attempts, reclaimed[0].locked_by.as_deref()),
        (2, Some("w2"))
    );

    assert!(!store.finish_job(id, "w1", later(61)).await.unwrap());
    assert!(!store.extend_lease(id, "w1", later(300)).await.unwrap());
    assert!(
        !store
            .retry_job(id, "w1", "late", later(70), later(61))
            .await
            .unwrap()
    );
    assert!(!store.bury_job(id, "w1", "late", later(61)).await.unwrap());
    assert!(store.finish_job(id, "w2", later(62)).await.unwrap());
    assert!(
        !store.finish_job(id, "w2", later(63)).await.unwrap(),
        "finishing twice is refused"
    );

    let done = jobs(store, JobStatus::Done).await;
    assert_eq!(done.len(), 1);
    assert_eq!(
        (done[0].locked_by.as_deref(), done[0].locked_until),
        (None, None)
    );
    assert_eq!(
        (done[0].updated_at, done[0].last_error.as_deref()),
        (later(62), None)
    );
    assert!(jobs(store, JobStatus::Pending).await.is_empty());
    assert!(
        claim(store, "w3", 1000, 2000).await.is_empty(),
        "a done job is never claimed again"
    );
}

async fn a_job_is_not_claimed_before_it_is_due(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let soon = job(&e, later(10), None);
    let sooner = job(&e, later(5), None);
    store
        .enqueue_jobs(&[soon.clone(), sooner.clone()])
        .await
        .unwrap();
    assert!(claim(store, "w", 4, 100).await.is_empty());
    let due = store
        .claim_jobs("w", later(10), later(100), 1)
        .await
        .unwrap();
    assert_eq!(
        due.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![sooner.id],
        "earliest due first"
    );
    let rest = claim(store, "w", 10, 100).await;
    assert_eq!(rest.iter().map(|j| j.id).collect::<Vec<_>>(), vec![soon.id]);
    assert!(
        store
            .claim_jobs("w", later(10), later(100), 0)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_retry_releases_the_job_until_its_new_run_at(db: &TestDb) {
    let store = &*db.store;
    let id = claimed_job(store).await;
    assert!(
        !store
            .retry_job(id, "intruder", "nope", later(5), later(1))
            .await
            .unwrap()
    );
    assert!(
        store
            .retry_job(id, "w1", "smtp: 451 try later", later(30), later(1))
            .await
            .unwrap()
    );

    let pending = &jobs(store, JobStatus::Pending).await[0];
    assert_eq!(pending.last_error.as_deref(), Some("smtp: 451 try later"));
    assert_eq!(
        (
            pending.run_at,
            pending.locked_by.as_deref(),
            pending.attempts
        ),
        (later(30), None, 1)
    );
    assert_eq!(pending.updated_at, later(1));
    assert!(
        !store.finish_job(id, "w1", later(2)).await.unwrap(),
        "a released job is no longer held"
    );
    assert!(claim(store, "w2", 29, 90).await.is_empty());
    let again = claim(store, "w2", 30, 90).await;
    assert_eq!(
        (again[0].attempts, again[0].last_error.as_deref()),
        (2, Some("smtp: 451 try later"))
    );
}

async fn bury_marks_the_job_dead_for_its_holder_only(db: &TestDb) {
    let store = &*db.store;
    let id = claimed_job(store).await;
    assert!(
        !store
            .bury_job(id, "w2", "not mine", later(1))
            .await
            .unwrap()
    );
    assert!(
        store
            .bury_job(id, "w1", "smtp: 550 no such user", later(2))
            .await
            .unwrap()
    );

    let dead = jobs(store, JobStatus::Dead).await;
    assert_eq!(dead.len(), 1);
    assert_eq!(
        dead[0].last_error.as_deref(),
        Some("smtp: 550 no such user")
    );
    assert_eq!(
        (
            dead[0].attempts,
            dead[0].locked_by.as_deref(),
            dead[0].updated_at
        ),
        (1, None, later(2))
    );
    assert!(
        claim(store, "w3", 10_000, 20_000).await.is_empty(),
        "a dead job is never claimed"
    );
    assert!(
        !store
            .retry_job(id, "w1", "x", later(40), later(3))
            .await
            .unwrap()
    );
}

async fn concurrent_claimers_never_share_a_job(db: &TestDb) {
    const JOBS: usize = 60;
    let t = create_tenant(&*db.store).await;
    let e = create_envelope(&*db.store, &t, |_| {}).await;
    let jobs: Vec<_> = (0..JOBS).map(|_| job(&e, now(), None)).collect();
    let (_, mut change) = next_version(&e);
    change.jobs = jobs.clone();
    db.store.save_envelope(&change).await.unwrap();
    assert!(matches!(jobs[0].payload, JobPayload::SealEnvelope { .. }));

    // Three store instances (separate pools), four claimers each.
    let mut stores: Vec<Arc<dyn Store>> = vec![db.store.clone()];
    stores.push(db.another().await);
    stores.push(db.another().await);
    let mut tasks = Vec::new();
    for (s, store) in stores.iter().enumerate() {
        for w in 0..4 {
            let store = store.clone();
            let worker = format!("worker-{s}-{w}");
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let claimed = store
                        .claim_jobs(&worker, later(1), later(600), 2)
                        .await
                        .unwrap();
                    if claimed.is_empty() {
                        return mine;
                    }
                    for j in claimed {
                        assert_eq!(j.locked_by.as_deref(), Some(worker.as_str()));
                        assert!(store.finish_job(j.id, &worker, later(2)).await.unwrap());
                        mine.push(j.id);
                    }
                }
            }));
        }
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    for task in tasks {
        for id in task.await.unwrap() {
            total += 1;
            assert!(seen.insert(id), "job {id} was claimed twice");
        }
    }
    assert_eq!(total, JOBS);
    assert_eq!(
        db.store
            .list_jobs(Some(JobStatus::Done), 1000)
            .await
            .unwrap()
            .len(),
        JOBS
    );
}
