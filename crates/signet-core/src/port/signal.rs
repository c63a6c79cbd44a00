/// Told when jobs were committed, so a worker in the same process can start at once instead
/// of at its next poll. Purely an optimisation: workers poll anyway.
pub trait JobSignal: Send + Sync {
    /// Jobs were just committed.
    fn jobs_enqueued(&self);
}

/// A signal nobody listens to (processes without a worker, tests that drive jobs by hand).
pub struct NoSignal;

impl JobSignal for NoSignal {
    fn jobs_enqueued(&self) {}
}
