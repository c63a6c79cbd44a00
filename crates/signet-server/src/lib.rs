//! The `signet` binary's library half: configuration, wiring of concrete implementations
//! (store, blobs, mail, callbacks, clock) into the core, and the server and worker loops.
//! This is the only crate that reads the environment and picks implementations.

pub mod admin_cli;
pub mod backup;
pub mod blobs;
pub mod config;
mod keys;
pub mod logging;
pub mod metrics;
pub mod oauth_cli;
mod oidc_config;
pub mod ops;
pub mod restore;
pub mod retention;
pub mod seal_import;
pub mod verify_cli;
mod wiring;

pub use blobs::BlobConfig;
pub use config::{Config, JobConfig, RateConfig, SmsConfig};
pub use wiring::{App, SystemClock, serve, warn_if_mail_goes_to_the_outbox};
