//! The database as bytes, to look for secrets in it, and a direct write no use case offers.

use sqlx::Connection;

use crate::support::TestApp;

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Everything the database holds: the SQLite files' bytes, or every PostgreSQL row as text.
pub async fn database_bytes(app: &TestApp) -> Vec<u8> {
    if !app.database_url.starts_with("postgres") {
        let mut bytes = Vec::new();
        for entry in std::fs::read_dir(app.data_path()).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                bytes.extend(std::fs::read(path).unwrap());
            }
        }
        return bytes;
    }
    let mut conn = sqlx::PgConnection::connect(&app.database_url)
        .await
        .unwrap();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut bytes = Vec::new();
    for (table,) in tables {
        let sql = format!("SELECT row_to_json(t)::text FROM \"{table}\" t");
        let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        for (row,) in rows {
            bytes.extend(row.into_bytes());
        }
    }
    bytes
}

/// Disables a user directly in the database (no use case does it yet).
pub async fn disable(app: &TestApp, email: &str) {
    let key = email.to_lowercase();
    if app.database_url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(&app.database_url)
            .await
            .unwrap();
        sqlx::query("UPDATE users SET disabled_at = now() WHERE email_key = $1")
            .bind(key)
            .execute(&mut conn)
            .await
            .unwrap();
    } else {
        let mut conn = sqlx::SqliteConnection::connect(&app.database_url)
            .await
            .unwrap();
        sqlx::query("UPDATE users SET disabled_at = 1 WHERE email_key = $1")
            .bind(key)
            .execute(&mut conn)
            .await
            .unwrap();
    }
}
