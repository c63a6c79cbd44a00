//! Test support for Signet (a dev-dependency only): a real server spawned on port 0 with a
//! fresh database, an SMTP sink and an HTTP sink on loopback, and the external validators.

pub mod http_sink;
pub mod smtp;
