//! Signet's worker: the durable job runner ([`Worker`]) that claims jobs from the core's
//! `Store`, runs them through [`signet_core::Signet::run_job`] with leases, retries with
//! backoff and buries them after their last attempt; and the delivery adapters the core's
//! ports need: [`SmtpMailer`] (lettre), [`OutboxMailer`] (`.eml` files when no SMTP server is
//! configured), [`HttpCallbackSender`] (reqwest, with SSRF protection) and
//! [`HttpTimestampClient`] (a remote RFC 3161 TSA and its CRLs), [`HttpCrlClient`] (the CRLs
//! of an imported seal's chain), [`HttpSmsGateway`] (one-time codes through an HTTP SMS
//! gateway), [`HttpIdentityProviders`] (OpenID Connect logins of signers) and
//! [`LibreOfficeConverter`] (DOC and DOCX to PDF).
//!
//! This crate depends on `signet-core` and plain libraries only. It must not depend on
//! `signet-store`, `signet-api`, the dialects or the server (the server wires a concrete store
//! in), and it reads no configuration or environment: every setting arrives as a value.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod callback;
mod convert;
mod crl;
mod error;
mod executor;
mod ip;
mod message;
mod oidc;
mod outbox;
mod runner;
mod sms;
mod smtp;
mod tsa;

pub use callback::{CallbackConfig, HttpCallbackSender};
pub use convert::LibreOfficeConverter;
pub use crl::HttpCrlClient;
pub use error::{CallbackError, MailerError, WorkerError};
pub use executor::JobExecutor;
pub use oidc::{
    ClientAuth, HttpIdentityProviders, OidcConfig, OidcProviderConfig, RECORDED_CLAIMS,
};
pub use outbox::OutboxMailer;
pub use runner::{RunStats, Worker, WorkerConfig, retry_delay};
pub use sms::{HttpSmsGateway, SmsGatewayConfig};
pub use smtp::SmtpMailer;
pub use tsa::HttpTimestampClient;
