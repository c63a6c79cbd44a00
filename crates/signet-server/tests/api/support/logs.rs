//! The server's log output, captured for the whole test binary: one process-wide subscriber
//! (the production format, [`signet_server::logging::subscriber`]) writing into a buffer that
//! [`super::secrets`] scans for every secret the tests created.
//!
//! The level is `SIGNET_LOG` or `RUST_LOG` when set; otherwise debug, which is what an operator
//! turns on to troubleshoot and must not leak either, except for crates whose debug lines are
//! SQL text or connection chatter without values (they stay at info, as in production).

use std::io::Write;
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;

const DEFAULT_FILTER: &str = "debug,sqlx=info,hyper=info,hyper_util=info,h2=info,rustls=info,\
                              reqwest=info,tokio_postgres=info,mio=info,tokio_util=info";

static CAPTURED: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Installs the capturing subscriber once per process (later calls do nothing).
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let filter = ["SIGNET_LOG", "RUST_LOG"]
            .iter()
            .find_map(|var| EnvFilter::try_from_env(var).ok())
            .unwrap_or_else(|| EnvFilter::new(DEFAULT_FILTER));
        let subscriber = signet_server::logging::subscriber(filter, Capture, false);
        // Another subscriber (installed by a test) would make the scan blind: fail loudly.
        subscriber
            .try_init()
            .expect("the log-capturing subscriber must be the process's only one");
    });
}

/// The captured output so far.
pub fn captured() -> MutexGuard<'static, Vec<u8>> {
    CAPTURED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The captured lines that mention `needle` (e.g. a request id), as text.
pub fn lines_with(needle: &str) -> Vec<String> {
    String::from_utf8_lossy(&captured())
        .lines()
        .filter(|line| line.contains(needle))
        .map(str::to_string)
        .collect()
}

/// Appends every formatted event to [`CAPTURED`]; the formatter writes an event in one call,
/// so lines never interleave.
struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        captured().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'w> MakeWriter<'w> for Capture {
    type Writer = Capture;

    fn make_writer(&'w self) -> Self::Writer {
        Capture
    }
}
