//! The retention sweep's schedule. Every worker process asks for the sweep of the current hour
//! when it starts and every [`SCHEDULE_EVERY`]; the job's dedupe key (one per hour) makes that
//! one `retention_sweep` job an hour however many nodes ask, and the job queue runs it on one.

use std::time::Duration;

use signet_core::Signet;
use tokio_util::sync::CancellationToken;

/// How often a worker makes sure the current hour's sweep is queued.
pub const SCHEDULE_EVERY: Duration = Duration::from_secs(10 * 60);

/// Queues the retention sweep of the current hour now and every [`SCHEDULE_EVERY`] until
/// `shutdown`. A failure is logged and tried again next time.
pub async fn schedule_retention_sweeps(signet: Signet, shutdown: CancellationToken) {
    loop {
        if let Err(err) = signet.schedule_retention_sweep().await {
            tracing::warn!(%err, "could not queue the retention sweep; trying again later");
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(SCHEDULE_EVERY) => {}
        }
    }
}
