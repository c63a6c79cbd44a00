//! The PostgreSQL backend: a connection pool shared by any number of server and worker
//! processes. Writes run in READ COMMITTED transactions whose first statement locks what they
//! compare (the envelope row's version, the job rows being claimed); reads that span several
//! statements run in one REPEATABLE READ, READ ONLY transaction so they see one snapshot.

use std::time::Duration;

use async_trait::async_trait;
use signet_core::port::StoreError;
use sqlx::postgres::{PgPoolOptions, PgRow};
use sqlx::{PgPool, Postgres, Row, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::engine::{Engine, Rows, Tx, inconsistent, unique_violation};
use crate::param::Param;
use crate::query::impl_store;
use crate::row::Columns;

/// Connections per process.
const MAX_CONNECTIONS: u32 = 10;
/// How long a caller waits for a free connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// The PostgreSQL implementation of [`Store`](signet_core::port::Store).
#[derive(Clone, Debug)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to a `postgres://` or `postgresql://` URL and runs pending migrations (under
    /// sqlx's advisory lock, so processes starting together do not race).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await
            .map_err(map_error)?;
        Self::from_pool(pool).await
    }

    /// Uses an existing pool (for callers that configure their own) and runs pending migrations.
    pub async fn from_pool(pool: PgPool) -> Result<Self, StoreError> {
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "PostgreSQL migration failed");
                StoreError::Backend("the database migration failed (see the log)".into())
            })?;
        Ok(Self { pool })
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl_store!(PostgresStore);

#[async_trait]
impl Engine for PostgresStore {
    async fn read(&self) -> Result<Box<dyn Tx>, StoreError> {
        let tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .map_err(map_error)?;
        Ok(Box::new(PgTx(tx)))
    }

    async fn write(&self) -> Result<Box<dyn Tx>, StoreError> {
        Ok(Box::new(PgTx(self.pool.begin().await.map_err(map_error)?)))
    }

    async fn fetch(&self, sql: &'static str, params: Vec<Param>) -> Result<Rows, StoreError> {
        let rows = bind(sqlx::query(sql), params)
            .fetch_all(&self.pool)
            .await
            .map_err(map_error)?;
        Ok(boxed(rows))
    }

    fn claim_sql(&self) -> &'static str {
        // SKIP LOCKED: concurrent claimers in other transactions or processes pass over rows
        // being claimed instead of waiting for them, and FOR UPDATE re-checks the lease
        // condition on the newest row version, so a job just claimed elsewhere is not taken.
        "UPDATE jobs SET locked_by = $1, locked_until = $3, attempts = attempts + 1, updated_at = $2 \
         WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $2 \
         AND (locked_until IS NULL OR locked_until <= $2) ORDER BY run_at, id LIMIT $4 \
         FOR UPDATE SKIP LOCKED) \
         RETURNING *"
    }

    fn webhook_fanout_sql(&self) -> &'static str {
        "INSERT INTO webhook_deliveries (id, account_id, endpoint_id, envelope_id, event_type, \
         payload, status, attempts, created_at, updated_at, fanout_id) \
         SELECT gen_random_uuid(), e.account_id, e.id, $2, $3, $4, 'pending', 0, $5, $5, $6 \
         FROM webhook_endpoints e \
         WHERE e.account_id = $1 AND e.enabled AND (e.event_types = '*' OR strpos(e.event_types, $7) > 0)"
    }
}

struct PgTx(Transaction<'static, Postgres>);

#[async_trait]
impl Tx for PgTx {
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

type Query = sqlx::query::Query<'static, Postgres, <Postgres as sqlx::Database>::Arguments>;

/// Binds parameters in PostgreSQL's native types (`uuid`, `timestamptz`, ...).
fn bind(mut query: Query, params: Vec<Param>) -> Query {
    for param in params {
        query = match param {
            Param::Id(v) => query.bind(v),
            Param::Text(v) => query.bind(v),
            Param::Int(v) => query.bind(v),
            Param::Real(v) => query.bind(v),
            Param::Bytes(v) => query.bind(v),
            Param::Bool(v) => query.bind(v),
            Param::Time(v) => query.bind(v),
        };
    }
    query
}

fn boxed(rows: Vec<PgRow>) -> Rows {
    rows.into_iter()
        .map(|row| Box::new(row) as Box<dyn Columns>)
        .collect()
}

fn get<'r, T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>>(
    row: &'r PgRow,
    column: &str,
) -> Result<Option<T>, StoreError> {
    row.try_get::<Option<T>, _>(column)
        .map_err(|e| StoreError::Corrupt(format!("column {column} cannot be read: {e}")))
}

impl Columns for PgRow {
    fn id(&self, column: &str) -> Result<Option<Uuid>, StoreError> {
        get(self, column)
    }
    fn time(&self, column: &str) -> Result<Option<OffsetDateTime>, StoreError> {
        get(self, column)
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

/// Maps a PostgreSQL error to the port's error, by SQLSTATE and constraint name. The details
/// (which may quote values) are logged, never returned.
fn map_error(error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &error {
        if db.is_unique_violation() {
            return unique_violation(db.constraint().unwrap_or_default());
        }
        if db.is_foreign_key_violation() || db.is_check_violation() {
            tracing::warn!(error = %db, constraint = db.constraint(), "PostgreSQL refused an inconsistent change");
            return inconsistent("it refers to a row that does not exist in this account");
        }
        // serialization_failure, deadlock_detected: the transaction lost a race with another
        // writer, which is what VersionConflict tells the caller (re-read and retry).
        if matches!(db.code().as_deref(), Some("40001" | "40P01")) {
            tracing::warn!(error = %db, "PostgreSQL transaction lost a race");
            return StoreError::VersionConflict;
        }
    }
    tracing::error!(error = %error, "PostgreSQL operation failed");
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => StoreError::Backend("the database is not available".into()),
        _ => StoreError::Backend("the database operation failed".into()),
    }
}
