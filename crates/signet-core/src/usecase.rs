//! The use cases, one file per concern. Each takes a principal (or a signing token), loads
//! what it needs scoped by account, applies the domain rules and commits one [`Mutation`].
//!
//! [`Mutation`]: crate::mutation::Mutation

pub mod account;
pub mod auth_pass;
pub mod blob_sweep;
pub mod cancel;
pub mod complete;
pub mod completed_link;
pub mod contact;
mod convert;
pub mod credential;
pub mod dialect_key;
pub mod document;
pub mod download;
pub mod draft;
pub mod envelope;
mod expiry;
pub mod identity;
pub mod job;
pub mod job_admin;
pub mod notarize;
mod notify;
pub mod oauth;
pub mod otp;
pub mod password_reset;
pub mod proof;
mod query_keys;
pub mod reactivate;
pub mod remind;
mod reminder_schedule;
pub mod retention;
mod revisions;
pub mod seal;
pub mod send;
pub mod settings;
mod signatures;
pub mod signer;
pub mod signer_change;
pub mod signing;
pub mod statement;
pub mod term;
pub mod urls;
pub mod user;
mod validate;
pub mod verify;
pub mod webhook;
