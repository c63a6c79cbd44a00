//! Signet's storage: the core's [`Store`] port on SQLite ([`SqliteStore`]) and PostgreSQL
//! ([`PostgresStore`]) through sqlx, and its [`BlobStore`](signet_core::port::BlobStore) port on
//! the local file system ([`FsBlobStore`]) or an S3-compatible object store ([`S3BlobStore`]).
//!
//! The store logic and its portable SQL are written once (`query`) and run on either backend;
//! SQL that differs between the dialects stays in `sqlite.rs` and `postgres.rs`. Every query
//! about envelope data is scoped by account inside the SQL. Migrations are embedded and run
//! when a store is opened.
//!
//! This crate depends on `signet-core` and plain libraries only: never on the HTTP layer, the
//! worker, the dialects or the server, and it reads no configuration or environment.

pub mod backup;
mod blob_fs;
mod blob_s3;
mod decode;
mod engine;
mod param;
mod postgres;
mod query;
mod row;
mod sqlite;

use std::sync::Arc;

use signet_core::port::{Store, StoreError};

pub use blob_fs::FsBlobStore;
pub use blob_s3::{PART_SIZE, PARTS_IN_FLIGHT, S3BlobStore, S3Config};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// Opens the store a database URL names: `sqlite://path` or `sqlite:path` (the file is created
/// if missing), or `postgres://…` / `postgresql://…`. Pending migrations run before it returns.
pub async fn open_store(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open_url(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url).await?))
    } else {
        // Only the scheme is echoed: the rest of a URL may hold a password.
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        Err(StoreError::Backend(format!(
            "unsupported database URL scheme {scheme:?}: use sqlite://path or postgres://…"
        )))
    }
}

/// The names of the embedded migrations for SQLite and PostgreSQL, in order (they must match).
pub fn migration_names() -> (Vec<String>, Vec<String>) {
    let names = |migrator: sqlx::migrate::Migrator| {
        migrator
            .iter()
            .map(|m| format!("{}_{}", m.version, m.description))
            .collect()
    };
    (
        names(sqlx::migrate!("./migrations/sqlite")),
        names(sqlx::migrate!("./migrations/postgres")),
    )
}
