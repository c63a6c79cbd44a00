//! What an online backup of a SQLite deployment needs from the database: a consistent
//! snapshot file (`VACUUM INTO`, which reads one transaction's view while the server keeps
//! writing), the blob keys that snapshot references, and an integrity check for a restored
//! file. Blob columns are found by name (`…blob_key`), so a new one is backed up too.

use std::path::Path;

use signet_core::port::StoreError;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, Connection, Row, SqliteConnection};

/// Writes a consistent copy of the live database at `live` to `dest` (which must not exist)
/// and returns every blob key the copy references, sorted and without duplicates.
pub async fn snapshot_sqlite(live: &Path, dest: &Path) -> Result<Vec<String>, StoreError> {
    let options = SqliteConnectOptions::new()
        .filename(live)
        .read_only(true)
        .busy_timeout(std::time::Duration::from_secs(30));
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(backend("opening the live database"))?;
    let dest_text = dest
        .to_str()
        .ok_or_else(|| StoreError::Backend("the backup path is not valid UTF-8".into()))?;
    sqlx::query("VACUUM INTO $1")
        .bind(dest_text)
        .execute(&mut conn)
        .await
        .map_err(backend("writing the database snapshot"))?;
    conn.close()
        .await
        .map_err(backend("closing the live database"))?;
    referenced_blobs(dest).await
}

/// The blob keys a database file references.
pub async fn referenced_blobs(db: &Path) -> Result<Vec<String>, StoreError> {
    let options = SqliteConnectOptions::new().filename(db).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(backend("opening the snapshot"))?;
    let columns = sqlx::query(
        "SELECT m.name AS tbl, p.name AS col FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND p.name LIKE '%blob_key' ORDER BY 1, 2",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(backend("listing the blob columns"))?;
    let mut keys = Vec::new();
    for row in columns {
        let (table, column): (String, String) = (row.get("tbl"), row.get("col"));
        if table.contains('"') || column.contains('"') {
            return Err(StoreError::Corrupt(format!(
                "unexpected name {table}.{column}"
            )));
        }
        let sql = format!(
            "SELECT DISTINCT \"{column}\" AS k FROM \"{table}\" WHERE \"{column}\" IS NOT NULL"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&mut conn)
            .await
            .map_err(backend("reading blob keys"))?;
        keys.extend(rows.iter().map(|row| row.get::<String, _>("k")));
    }
    conn.close()
        .await
        .map_err(backend("closing the snapshot"))?;
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// Runs `PRAGMA integrity_check` on a database file; `Ok` only when SQLite answers `ok`.
pub async fn check_sqlite_integrity(db: &Path) -> Result<(), StoreError> {
    let options = SqliteConnectOptions::new().filename(db).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(backend("opening the restored database"))?;
    let answer: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(backend("checking the restored database"))?
        .get(0);
    conn.close()
        .await
        .map_err(backend("closing the restored database"))?;
    if answer == "ok" {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!("integrity_check: {answer}")))
    }
}

/// Clears every job lease in a restored database file: the workers that held them belong to
/// the instance the backup was taken from, so the restored instance runs those jobs at once
/// instead of waiting for leases nobody will renew. Returns how many were cleared.
pub async fn clear_job_leases(db: &Path) -> Result<u64, StoreError> {
    let options = SqliteConnectOptions::new().filename(db);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(backend("opening the restored database"))?;
    let cleared = sqlx::query(
        "UPDATE jobs SET locked_by = NULL, locked_until = NULL WHERE locked_by IS NOT NULL",
    )
    .execute(&mut conn)
    .await
    .map_err(backend("clearing job leases"))?
    .rows_affected();
    conn.close()
        .await
        .map_err(backend("closing the restored database"))?;
    Ok(cleared)
}

fn backend(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |err| StoreError::Backend(format!("{what}: {err}"))
}
