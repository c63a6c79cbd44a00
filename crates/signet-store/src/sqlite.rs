//! The SQLite backend: one database file in WAL mode.
//!
//! Two pools on the same file. Writes go through a pool of exactly one connection and start with
//! `BEGIN IMMEDIATE`: in-process writers queue fairly for that connection instead of spinning on
//! `SQLITE_BUSY`, and the immediate transaction takes the write lock up front, so a writer never
//! deadlocks upgrading a read lock against another process (the CLI next to the server), which
//! `busy_timeout` then simply waits for. Reads use a separate pool of read-only connections,
//! which WAL lets run alongside the writer.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use signet_core::port::StoreError;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::engine::{Engine, Rows, Tx, unique_violation};
use crate::param::{Param, from_unix_micros, unix_micros};
use crate::query::impl_store;
use crate::row::Columns;

/// How long a statement waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Read connections (WAL readers do not block the writer or each other).
const READ_CONNECTIONS: u32 = 4;

/// The SQLite implementation of [`Store`](signet_core::port::Store).
#[derive(Clone, Debug)]
pub struct SqliteStore {
    write: SqlitePool,
    read: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating it and its directory if needed) the database file at `path`, applies the
    /// durability settings (WAL, `synchronous=FULL`, foreign keys, busy timeout) and runs
    /// pending migrations.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                tracing::error!(error = %e, path = %parent.display(), "cannot create the database directory");
                StoreError::Backend("the database directory cannot be created".into())
            })?;
        }
        let base = SqliteConnectOptions::new()
            .filename(path)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(base.clone().create_if_missing(true))
            .await
            .map_err(map_error)?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&write)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "SQLite migration failed");
                StoreError::Backend("the database migration failed (see the log)".into())
            })?;
        let read = SqlitePoolOptions::new()
            .max_connections(READ_CONNECTIONS)
            .connect_with(base.read_only(true))
            .await
            .map_err(map_error)?;
        Ok(Self { write, read })
    }

    /// Opens the database named by a `sqlite://path` or `sqlite:path` URL (see [`Self::open`]).
    /// In-memory databases and URL parameters are refused: the store needs a real file.
    pub async fn open_url(url: &str) -> Result<Self, StoreError> {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path.contains('?') || path.contains(":memory:") {
            return Err(StoreError::Backend(
                "a SQLite URL must name a database file, without parameters (sqlite://path/to/signet.db)"
                    .into(),
            ));
        }
        Self::open(path).await
    }

    /// Closes both pools, checkpointing the WAL.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

impl_store!(SqliteStore);

#[async_trait]
impl Engine for SqliteStore {
    async fn read(&self) -> Result<Box<dyn Tx>, StoreError> {
        Ok(Box::new(SqliteTx(
            self.read.begin().await.map_err(map_error)?,
        )))
    }

    async fn write(&self) -> Result<Box<dyn Tx>, StoreError> {
        Ok(Box::new(SqliteTx(
            self.write
                .begin_with("BEGIN IMMEDIATE")
                .await
                .map_err(map_error)?,
        )))
    }

    async fn fetch(&self, sql: &'static str, params: Vec<Param>) -> Result<Rows, StoreError> {
        let rows = bind(sqlx::query(sql), params)
            .fetch_all(&self.read)
            .await
            .map_err(map_error)?;
        Ok(boxed(rows))
    }

    fn claim_sql(&self) -> &'static str {
        // Runs inside BEGIN IMMEDIATE on the single write connection: nothing else writes while
        // the due jobs are selected and leased, so no job can be claimed twice.
        "UPDATE jobs SET locked_by = $1, locked_until = $3, attempts = attempts + 1, updated_at = $2 \
         WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $2 \
         AND (locked_until IS NULL OR locked_until <= $2) ORDER BY run_at, id LIMIT $4) \
         RETURNING *"
    }

    fn webhook_fanout_sql(&self) -> &'static str {
        // A version-4 UUID in text form, drawn per row. `instr`, not `LIKE $7`: a bound LIKE
        // pattern makes SQLite re-prepare the statement on every run (~150 µs instead of ~10).
        "INSERT INTO webhook_deliveries (id, account_id, endpoint_id, envelope_id, event_type, \
         payload, status, attempts, created_at, updated_at, fanout_id) \
         SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || \
         substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || \
         substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), \
         e.account_id, e.id, $2, $3, $4, 'pending', 0, $5, $5, $6 FROM webhook_endpoints e \
         WHERE e.account_id = $1 AND e.enabled AND (e.event_types = '*' OR instr(e.event_types, $7) > 0)"
    }
}

struct SqliteTx(Transaction<'static, Sqlite>);

#[async_trait]
impl Tx for SqliteTx {
    async fn execute(&mut self, sql: &'static str, params: Vec<Param>) -> Result<u64, StoreError> {
        let done = bind(sqlx::query(sql), params)
            .execute(&mut *self.0)
            .await
            .map_err(map_error)?;
        Ok(done.rows_affected())
    }

    async fn fetch(&mut self, sql: &'static str, params: Vec<Param>) -> Result<Rows, StoreError> {
        let rows = bind(sqlx::query(sql), params)
            .fetch_all(&mut *self.0)
            .await
            .map_err(map_error)?;
        Ok(boxed(rows))
    }

    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.0.commit().await.map_err(map_error)
    }
}

type Query = sqlx::query::Query<'static, Sqlite, <Sqlite as sqlx::Database>::Arguments>;

/// Binds parameters in SQLite's representation: ids as hyphenated text, times as integer
/// microseconds since the epoch.
fn bind(mut query: Query, params: Vec<Param>) -> Query {
    for param in params {
        query = match param {
            Param::Id(v) => query.bind(v.map(|id| id.hyphenated().to_string())),
            Param::Text(v) => query.bind(v),
            Param::Int(v) => query.bind(v),
            Param::Real(v) => query.bind(v),
            Param::Bytes(v) => query.bind(v),
            Param::Bool(v) => query.bind(v),
            Param::Time(v) => query.bind(v.map(unix_micros)),
        };
    }
    query
}

fn boxed(rows: Vec<SqliteRow>) -> Rows {
    rows.into_iter()
        .map(|row| Box::new(row) as Box<dyn Columns>)
        .collect()
}

fn get<'r, T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>>(
    row: &'r SqliteRow,
    column: &str,
) -> Result<Option<T>, StoreError> {
    row.try_get::<Option<T>, _>(column)
        .map_err(|e| StoreError::Corrupt(format!("column {column} cannot be read: {e}")))
}

impl Columns for SqliteRow {
    fn id(&self, column: &str) -> Result<Option<Uuid>, StoreError> {
        get::<String>(self, column)?
            .map(|text| {
                Uuid::parse_str(&text)
                    .map_err(|_| StoreError::Corrupt(format!("column {column} is not a UUID")))
            })
            .transpose()
    }
    fn time(&self, column: &str) -> Result<Option<OffsetDateTime>, StoreError> {
        get::<i64>(self, column)?.map(from_unix_micros).transpose()
    }
    fn text(&self, column: &str) -> Result<Option<String>, StoreError> {
        get(self, column)
    }
    fn int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        get(self, column)
    }
    fn real(&self, column: &str) -> Result<Option<f32>, StoreError> {
        get(self, column)
    }
    fn bytes(&self, column: &str) -> Result<Option<Vec<u8>>, StoreError> {
        get(self, column)
    }
    fn boolean(&self, column: &str) -> Result<Option<bool>, StoreError> {
        get(self, column)
    }
}

/// Maps a SQLite error to the port's error. Uniqueness violations are recognised from the
/// `table.column` list in SQLite's message (SQLite reports no constraint name); the details of
/// anything else are logged, never returned.
fn map_error(error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &error {
        if db.is_unique_violation() {
            let columns = db
                .message()
                .trim_start_matches("UNIQUE constraint failed:")
                .trim();
            return unique_violation(columns);
        }
        if db.is_foreign_key_violation() || db.is_check_violation() {
            tracing::warn!(error = %db, "SQLite refused an inconsistent change");
            return crate::engine::inconsistent(
                "it refers to a row that does not exist in this account",
            );
        }
        if db.code().as_deref() == Some("5") || db.message().contains("database is locked") {
            tracing::warn!(error = %db, "SQLite stayed busy past the busy timeout");
            return StoreError::Backend("the database is busy; try again".into());
        }
    }
    tracing::error!(error = %error, "SQLite operation failed");
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
            StoreError::Backend("the database is not available".into())
        }
        sqlx::Error::Io(_) => StoreError::Backend("the database file cannot be accessed".into()),
        _ => StoreError::Backend("the database operation failed".into()),
    }
}
