//! The worker crate's errors: one enum per concern a caller handles differently.

use signet_core::port::StoreError;

/// Why [`Worker::run_until_idle`](crate::Worker::run_until_idle) stopped.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The store kept failing while claiming jobs; check the database.
    #[error("the job store failed: {0}")]
    Store(#[from] StoreError),
    /// More jobs ran than any test or command should need: a job keeps enqueueing jobs that
    /// are due at once.
    #[error("stopped after {0} jobs without the queue becoming idle")]
    Runaway(u64),
}

/// Why a mailer could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    /// The SMTP URL is not `smtp://[user:pass@]host[:port][?tls=starttls]` or `smtps://…`.
    #[error("invalid SMTP URL: {0}")]
    InvalidUrl(String),
    /// The configured sender address is not a valid e-mail address.
    #[error("invalid sender address {address:?}: {reason}")]
    InvalidFrom {
        /// The address as given.
        address: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The TLS settings for the SMTP server could not be built.
    #[error("cannot set up TLS for the SMTP server: {0}")]
    Tls(String),
    /// The SMTP mailer was built outside a Tokio runtime (its connection pool needs one).
    #[error("the SMTP mailer must be created inside a Tokio runtime")]
    NoRuntime,
    /// The outbox directory could not be created.
    #[error("cannot create the mail outbox directory {path}: {source}")]
    Outbox {
        /// The directory.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Why the callback HTTP client could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    /// TLS or the HTTP client failed to initialise.
    #[error("cannot build the callback HTTP client: {0}")]
    Client(String),
}
