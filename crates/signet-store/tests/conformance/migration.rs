//! Migrations: the same file names for both backends, embedded in the same order.

use std::path::Path;

fn file_names(backend: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn both_backends_have_the_same_migration_files() {
    let sqlite = file_names("sqlite");
    let postgres = file_names("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must hold the same file names"
    );
    assert!(
        sqlite.iter().all(|name| name.ends_with(".sql")),
        "{sqlite:?}"
    );

    let (embedded_sqlite, embedded_postgres) = signet_store::migration_names();
    assert_eq!(embedded_sqlite, embedded_postgres);
    assert_eq!(
        embedded_sqlite.len(),
        sqlite.len(),
        "every file is an embedded migration"
    );
}
