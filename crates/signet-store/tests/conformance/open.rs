//! Opening stores from URLs, and SQLite's durability settings.

use signet_core::port::StoreError;
use signet_store::{SqliteStore, open_store};
use sqlx::Connection;
use sqlx::sqlite::SqliteConnection;

use crate::fixture::create_tenant;

#[tokio::test]
async fn unsupported_urls_are_refused_without_echoing_them() {
    for url in [
        "mysql://root:hunter2@db/signet",
        "hunter2",
        "sqlite::memory:",
        "sqlite://x.db?mode=memory",
    ] {
        let Err(err) = open_store(url).await else {
            panic!("{url} must be refused")
        };
        assert!(matches!(err, StoreError::Backend(_)), "{err:?}");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}

#[tokio::test]
async fn sqlite_file_is_in_wal_mode_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("signet.db");
    let store = open_store(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let t = create_tenant(&*store).await;
    drop(store);

    // Reopening runs no migration twice and keeps the data.
    let store = SqliteStore::open(&path).await.unwrap();
    let reopened: &dyn signet_core::port::Store = &store;
    assert_eq!(
        reopened.account(t.account.id).await.unwrap(),
        Some(t.account)
    );
    reopened.ping().await.unwrap();
    store.close().await;

    let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(check, "ok");
}
