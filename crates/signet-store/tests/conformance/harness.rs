//! Fresh databases for each test: a temp SQLite file always, and a PostgreSQL database named by a
//! uuid (created through `DATABASE_URL`, dropped afterwards) when `DATABASE_URL` is set.

use std::sync::Arc;

use signet_core::port::Store;
use signet_store::open_store;
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use tempfile::TempDir;

/// One test's database and the URL that opens it again (a second store instance has its own
/// connections, like a second process).
pub struct TestDb {
    pub store: Arc<dyn Store>,
    pub url: String,
    _dir: Option<TempDir>,
    _postgres: Option<PgCleanup>,
}

struct PgCleanup {
    admin_url: String,
    database: String,
}

impl TestDb {
    /// A new SQLite database in a temp directory.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("signet.db").display());
        let store = open_store(&url).await.unwrap();
        Self {
            store,
            url,
            _dir: Some(dir),
            _postgres: None,
        }
    }

    /// A new PostgreSQL database, or `None` (with a note) when `DATABASE_URL` is not set.
    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var("DATABASE_URL") else {
            eprintln!("DATABASE_URL is not set: skipping the PostgreSQL run of this test");
            return None;
        };
        let database = format!("signet_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&admin_url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let url = with_database(&admin_url, &database);
        let cleanup = PgCleanup {
            admin_url,
            database,
        };
        let store = open_store(&url).await.unwrap();
        Some(Self {
            store,
            url,
            _dir: None,
            _postgres: Some(cleanup),
        })
    }

    /// Another store instance on the same database, with its own connections.
    pub async fn another(&self) -> Arc<dyn Store> {
        open_store(&self.url).await.unwrap()
    }
}

/// `url` with its database name replaced.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (server, _) = base.rsplit_once('/').unwrap();
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

impl Drop for PgCleanup {
    /// Drops the test database even when the test panicked. Runs on its own thread and runtime
    /// because Drop cannot await.
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.database);
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut admin)
                    .await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.database);
        }
    }
}

/// Declares each scenario `async fn name(db: &TestDb)` of the calling module as two tests,
/// `sqlite::name` and `postgres::name`.
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let db = crate::harness::TestDb::sqlite().await;
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    if let Some(db) = crate::harness::TestDb::postgres().await {
                        super::$name(&db).await;
                    }
                }
            )*
        }
    };
}
pub(crate) use conformance;
