//! The integration tests: one binary that starts the real server on port 0 with a fresh
//! database (SQLite, or PostgreSQL when `DATABASE_URL` is set) and drives it over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic with the cause

mod support;

mod account;
mod account_page;
mod admin_jobs;
mod auth;
mod auth_pass;
mod backup;
mod blob_sweep;
mod browser;
mod chain;
mod cli_admin;
mod completed_link;
mod credentials;
mod dialect;
mod draft_update;
mod embedding;
mod isolation;
mod lifecycle;
mod logs;
mod mail;
mod multinode;
mod oauth;
mod oidc;
mod openapi;
mod ops;
mod otp;
mod password_reset;
mod rate_limit;
mod reactivate;
mod reminders;
mod rerun;
mod retention;
mod seal_import;
mod shutdown;
mod signing;
mod statements;
mod story;
mod trust;
mod uploads;
mod users;
mod verify;
mod webhooks;
