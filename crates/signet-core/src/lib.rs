//! Signet's domain core: envelopes, documents, signers, fields, the hash-chained audit trail,
//! the state machine, the use cases, and the ports (traits) they need from the outside world.
//!
//! This crate must not depend on axum, sqlx, lettre, reqwest, environment variables, the file
//! system or the wall clock: storage, blobs, mail, callbacks and time arrive through the
//! traits in [`port`], so that every behaviour here can be tested with plain values.

pub mod consent;
pub mod error;
mod flow;
pub mod frame_ancestors;
pub mod id;
pub mod instance;
pub mod locale;
pub mod message;
pub mod model;
mod mutation;
pub mod otp;
pub mod port;
mod remote_tsa;
mod revocation;
pub mod secret;
pub mod service;
pub mod stiply;
pub mod time;
pub mod usecase;

pub use error::CoreError;
pub use mutation::ClientInfo;
pub use service::{CoreConfig, Deps, Signet};
