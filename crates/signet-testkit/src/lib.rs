//! Test support for Signet (a dev-dependency only): a real server spawned on port 0 with a
//! fresh database, an SMTP sink, an HTTP sink, an S3-compatible server (moto) and an
//! RFC 3161 time-stamping authority (OpenSSL) on loopback, and the external validators.

pub mod http_sink;
pub mod s3;
pub mod smtp;
pub mod tsa;
