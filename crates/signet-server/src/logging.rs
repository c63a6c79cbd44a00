//! The log output: human-readable lines filtered by `SIGNET_LOG` (default `info`). The binary
//! writes them to stderr; the integration tests install the same format over a buffer and scan
//! it for every secret they created, so what they check is what production writes.

use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// The filter the binary logs with: `SIGNET_LOG` when set, else `info`.
pub fn env_filter() -> EnvFilter {
    EnvFilter::try_from_env("SIGNET_LOG").unwrap_or_else(|_| "info".into())
}

/// The log subscriber: `filter` decides what is written, `writer` where; `ansi` colours it.
pub fn subscriber<W>(filter: EnvFilter, writer: W, ansi: bool) -> impl Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(ansi)
        .finish()
}
