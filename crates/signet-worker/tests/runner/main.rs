//! The job runner's state machine against a real SQLite store: claim, lease renewal, finish,
//! retry with backoff, bury, lost leases, concurrency, wake and graceful shutdown. Jobs run
//! through a fake `JobExecutor` (the seam `Signet` implements), with a controllable clock.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod fake;
mod real;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use fake::{Behaviour, Harness, LEASE};
use signet_core::model::JobStatus;
use signet_worker::{JobExecutor, RunStats, WorkerConfig};
use tokio_util::sync::CancellationToken;

fn config() -> WorkerConfig {
    WorkerConfig {
        worker_id: "worker-1".into(),
        lease: LEASE,
        poll_interval: Duration::from_millis(20),
        ..WorkerConfig::default()
    }
}

fn stats(done: u64, retried: u64, buried: u64, lost: u64) -> RunStats {
    RunStats {
        done,
        retried,
        buried,
        lost,
    }
}

#[tokio::test]
async fn a_successful_job_is_marked_done() {
    let h = Harness::new().await;
    let worker = h.worker(config());
    let id = h.enqueue(Behaviour::Succeed, 5).await;
    assert_eq!(worker.run_until_idle().await.unwrap(), stats(1, 0, 0, 0));
    let job = h.job(id).await;
    assert_eq!(job.status, JobStatus::Done);
    assert_eq!(job.attempts, 1);
    assert_eq!(job.locked_by, None);
    assert_eq!(worker.run_until_idle().await.unwrap(), RunStats::default());
}

#[tokio::test]
async fn a_failed_job_is_retried_after_a_backoff_then_succeeds() {
    let h = Harness::new().await;
    let worker = h.worker(config());
    let id = h.enqueue(Behaviour::FailTimes(1), 5).await;
    let start = h.app.now();
    assert_eq!(worker.run_until_idle().await.unwrap(), stats(0, 1, 0, 0));
    let job = h.job(id).await;
    assert_eq!(
        (job.status, job.attempts, job.locked_by.clone()),
        (JobStatus::Pending, 1, None)
    );
    assert_eq!(job.last_error.as_deref(), Some("boom 1"));
    let delay = job.run_at - start;
    assert!(
        delay >= time::Duration::seconds(8) && delay <= time::Duration::seconds(12),
        "{delay}"
    );
    // Not due yet at the same instant.
    assert_eq!(worker.run_until_idle().await.unwrap(), RunStats::default());
    h.app.advance(Duration::from_secs(13));
    assert_eq!(worker.run_until_idle().await.unwrap(), stats(1, 0, 0, 0));
    let job = h.job(id).await;
    assert_eq!((job.status, job.attempts), (JobStatus::Done, 2));
}

#[tokio::test]
async fn a_job_is_buried_after_its_last_attempt() {
    let h = Harness::new().await;
    let worker = h.worker(config());
    let id = h.enqueue(Behaviour::AlwaysRetry, 2).await;
    assert_eq!(worker.run_until_idle().await.unwrap(), stats(0, 1, 0, 0));
    h.app.advance(Duration::from_secs(60));
    assert_eq!(worker.run_until_idle().await.unwrap(), stats(0, 0, 1, 0));
    let job = h.job(id).await;
    assert_eq!((job.status, job.attempts), (JobStatus::Dead, 2));
    assert!(job.last_error.unwrap().contains("after 2 attempts"));
    h.app.advance(Duration::from_secs(3600 * 24));
    assert_eq!(worker.run_until_idle().await.unwrap(), RunStats::default());
}

#[tokio::test]
async fn a_permanent_error_buries_the_job_at_once() {
    let h = Harness::new().await;
    let worker = h.worker(config());
    let id = h.enqueue(Behaviour::Permanent, 5).await;
    assert_eq!(worker.run_until_idle().await.unwrap(), stats(0, 0, 1, 0));
    let job = h.job(id).await;
    assert_eq!((job.status, job.attempts), (JobStatus::Dead, 1));
    assert_eq!(job.last_error.as_deref(), Some("cannot ever work"));
}

#[tokio::test]
async fn a_panicking_job_is_retried_and_the_worker_carries_on() {
    let h = Harness::new().await;
    let worker = h.worker(config());
    let bad = h.enqueue(Behaviour::Panic, 5).await;
    let good = h.enqueue(Behaviour::Succeed, 5).await;
    assert_eq!(worker.run_until_idle().await.unwrap(), stats(1, 1, 0, 0));
    let job = h.job(bad).await;
    assert_eq!(job.status, JobStatus::Pending);
    assert!(job.last_error.unwrap().contains("handler bug"));
    assert_eq!(h.job(good).await.status, JobStatus::Done);
}

#[tokio::test]
async fn a_job_that_keeps_taking_its_worker_down_is_buried_not_run_again() {
    let h = Harness::new().await;
    let id = h.enqueue(Behaviour::Succeed, 1).await;
    // A worker claims the job and dies without recording anything (a crash or an abort).
    let now = h.app.now();
    let claimed = h
        .app
        .store
        .claim_jobs("crashed", now, now + LEASE, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    h.app.advance(LEASE + Duration::from_secs(1));
    let worker = h.worker(config());
    assert_eq!(worker.run_until_idle().await.unwrap(), stats(0, 0, 1, 0));
    let job = h.job(id).await;
    assert_eq!(job.status, JobStatus::Dead);
    assert!(job.last_error.unwrap().contains("none finished"));
    assert!(
        h.app.runs.lock().unwrap().is_empty(),
        "the job must not run again"
    );
}

#[tokio::test]
async fn a_job_whose_lease_was_lost_is_not_finished_by_the_old_holder() {
    let h = Harness::new().await;
    let worker = h.worker(config());
    let id = h.enqueue(Behaviour::LoseLease, 5).await;
    assert_eq!(worker.run_until_idle().await.unwrap(), stats(0, 0, 0, 1));
    assert!(h.app.stolen.load(Ordering::SeqCst));
    let job = h.job(id).await;
    assert_eq!(job.status, JobStatus::Pending);
    assert_eq!(job.locked_by.as_deref(), Some("thief"));
}

#[tokio::test]
async fn a_long_job_keeps_renewing_its_lease() {
    let h = Harness::new().await;
    // A 150 ms lease renewed every 50 ms (real time), measured from the fake clock.
    let worker = h.worker(WorkerConfig {
        lease: Duration::from_millis(150),
        ..config()
    });
    let id = h.enqueue(Behaviour::OutliveTheFirstLease, 5).await;
    assert_eq!(worker.run_until_idle().await.unwrap(), stats(1, 0, 0, 0));
    assert!(
        !h.app.stolen.load(Ordering::SeqCst),
        "another worker claimed a job whose lease was being renewed"
    );
    assert_eq!(h.job(id).await.status, JobStatus::Done);
}

async fn wait_until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..500 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test]
async fn run_executes_jobs_concurrently_up_to_the_limit() {
    let h = Harness::new().await;
    let worker = Arc::new(h.worker(WorkerConfig {
        concurrency: 3,
        ..config()
    }));
    for _ in 0..7 {
        h.enqueue(Behaviour::Sleep(Duration::from_millis(150)), 5)
            .await;
    }
    let shutdown = CancellationToken::new();
    let task = tokio::spawn({
        let (worker, shutdown) = (Arc::clone(&worker), shutdown.clone());
        async move { worker.run(shutdown).await }
    });
    wait_until("all jobs are done", async || {
        h.count(JobStatus::Done).await == 7
    })
    .await;
    assert_eq!(h.app.max_running.load(Ordering::SeqCst), 3);
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn wake_starts_a_new_job_without_waiting_for_the_poll() {
    let h = Harness::new().await;
    let worker = Arc::new(h.worker(WorkerConfig {
        poll_interval: Duration::from_secs(3600),
        ..config()
    }));
    let shutdown = CancellationToken::new();
    let task = tokio::spawn({
        let (worker, shutdown) = (Arc::clone(&worker), shutdown.clone());
        async move { worker.run(shutdown).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await; // the loop has claimed nothing and waits
    let id = h.enqueue(Behaviour::Succeed, 5).await;
    worker.wake();
    wait_until("the woken worker ran the job", async || {
        h.job(id).await.status == JobStatus::Done
    })
    .await;
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn shutdown_lets_a_running_job_finish_within_the_grace_period() {
    let h = Harness::new().await;
    let worker = Arc::new(h.worker(WorkerConfig {
        shutdown_grace: Duration::from_secs(5),
        ..config()
    }));
    let id = h
        .enqueue(Behaviour::Sleep(Duration::from_millis(300)), 5)
        .await;
    let shutdown = CancellationToken::new();
    let task = tokio::spawn({
        let (worker, shutdown) = (Arc::clone(&worker), shutdown.clone());
        async move { worker.run(shutdown).await }
    });
    wait_until("the job is running", async || {
        h.app.running.load(Ordering::SeqCst) == 1
    })
    .await;
    let other = h.enqueue(Behaviour::Succeed, 5).await;
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(3), task)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(h.job(id).await.status, JobStatus::Done);
    // Nothing new is claimed after shutdown.
    assert_eq!(h.job(other).await.attempts, 0);
}

#[tokio::test]
async fn shutdown_releases_a_job_that_outlives_the_grace_period() {
    let h = Harness::new().await;
    let worker = Arc::new(h.worker(WorkerConfig {
        shutdown_grace: Duration::from_millis(100),
        ..config()
    }));
    let id = h
        .enqueue(Behaviour::Sleep(Duration::from_secs(30)), 5)
        .await;
    let shutdown = CancellationToken::new();
    let task = tokio::spawn({
        let (worker, shutdown) = (Arc::clone(&worker), shutdown.clone());
        async move { worker.run(shutdown).await }
    });
    wait_until("the job is running", async || {
        h.app.running.load(Ordering::SeqCst) == 1
    })
    .await;
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .unwrap()
        .unwrap();
    // The job is aborted and its lease released, the unfinished attempt not counted.
    let job = h.job(id).await;
    assert_eq!(job.status, JobStatus::Pending);
    assert_eq!(job.locked_by, None);
    assert_eq!(job.attempts, 0);
    // Another worker picks it up at once, without waiting for the lease to expire.
    let now = h.app.now();
    let reclaimed = h
        .app
        .store
        .claim_jobs("worker-2", now, now + LEASE, 10)
        .await
        .unwrap();
    assert_eq!(reclaimed.len(), 1);
    assert_eq!(reclaimed[0].attempts, 1);
}
