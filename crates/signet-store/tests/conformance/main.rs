//! The store conformance story: one suite written against `&dyn Store`, run on SQLite (a temp
//! file) always and on PostgreSQL (a fresh database per test) when `DATABASE_URL` is set. Each
//! scenario becomes two tests, `<module>::sqlite::<name>` and `<module>::postgres::<name>`.
//! The file-system blob store and the migration layout are checked here too.

// A failed unwrap is how a test reports an unexpected error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixture;
mod harness;

mod account;
mod auth_pass;
mod blob;
mod blob_suite;
mod credential;
mod dialect_key;
mod download_link;
mod draft;
mod envelope;
mod event;
mod frame_ancestors;
mod isolation;
mod job;
mod listing;
mod lookup;
mod migration;
mod notarization;
mod oidc;
mod open;
mod password_reset;
mod purge;
mod reminder;
mod retention;
mod webhook;
