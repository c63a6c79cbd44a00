//! The file-system blob store: atomic commit, nothing visible before it, no path traversal.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use signet_core::port::{BlobError, BlobStore};
use signet_store::FsBlobStore;

fn staged_files(root: &Path) -> usize {
    std::fs::read_dir(root.join(".staging")).map_or(0, |dir| dir.count())
}

fn read_all(store: &FsBlobStore, key: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    store.open(key).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

#[test]
fn committed_blobs_can_be_read_replaced_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsBlobStore::new(dir.path());
    let mut staged = store.stage().unwrap();
    staged.write_all(b"%PDF-1.7 first").unwrap();
    staged.commit("acct/env/original.pdf").unwrap();
    assert_eq!(read_all(&store, "acct/env/original.pdf"), b"%PDF-1.7 first");

    let mut reader = store.open("acct/env/original.pdf").unwrap();
    reader.seek(SeekFrom::Start(9)).unwrap();
    let mut tail = String::new();
    reader.read_to_string(&mut tail).unwrap();
    assert_eq!(tail, "first");

    let mut staged = store.stage().unwrap();
    staged.write_all(b"second").unwrap();
    staged.commit("acct/env/original.pdf").unwrap();
    assert_eq!(read_all(&store, "acct/env/original.pdf"), b"second");
    assert_eq!(staged_files(dir.path()), 0, "commit leaves no temp file");

    store.delete("acct/env/original.pdf").unwrap();
    assert!(matches!(
        store.open("acct/env/original.pdf"),
        Err(BlobError::NotFound(_))
    ));
    store.delete("acct/env/original.pdf").unwrap();
}

#[test]
fn a_dropped_staged_blob_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsBlobStore::new(dir.path());
    let mut staged = store.stage().unwrap();
    staged.write_all(&[0u8; 100_000]).unwrap();
    assert_eq!(staged_files(dir.path()), 1);
    drop(staged);
    assert_eq!(staged_files(dir.path()), 0);

    // A refused commit discards the bytes too.
    let mut staged = store.stage().unwrap();
    staged.write_all(b"x").unwrap();
    assert!(matches!(
        staged.commit("../escape"),
        Err(BlobError::InvalidKey(_))
    ));
    assert_eq!(staged_files(dir.path()), 0);
}

#[test]
fn keys_outside_the_generated_form_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("blobs");
    let store = FsBlobStore::new(&root);
    std::fs::write(dir.path().join("secret.txt"), b"outside").unwrap();
    let bad = [
        "../secret.txt",
        "a/../../secret.txt",
        "/etc/passwd",
        "",
        "a//b",
        "A/b",
        "a\\b",
        ".staging/x.tmp",
    ];
    for key in bad {
        assert!(
            matches!(store.open(key), Err(BlobError::InvalidKey(_))),
            "open {key:?}"
        );
        assert!(
            matches!(store.delete(key), Err(BlobError::InvalidKey(_))),
            "delete {key:?}"
        );
        let staged = store.stage().unwrap();
        assert!(
            matches!(staged.commit(key), Err(BlobError::InvalidKey(_))),
            "commit {key:?}"
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("secret.txt")).unwrap(),
        b"outside"
    );
}

#[test]
fn an_uncommitted_blob_is_invisible_after_a_crash_and_swept_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsBlobStore::new(dir.path());
    let mut staged = store.stage().unwrap();
    staged.write_all(b"half a document").unwrap();
    // A crash: the process dies before commit, so no destructor runs.
    std::mem::forget(staged);
    assert!(matches!(
        store.open("acct/env/signed.pdf"),
        Err(BlobError::NotFound(_))
    ));
    assert_eq!(staged_files(dir.path()), 1);

    // After a restart: a fresh temp file is kept, a stale one is removed.
    let restarted = FsBlobStore::new(dir.path());
    assert_eq!(
        restarted.sweep_staging(Duration::from_secs(3600)).unwrap(),
        0
    );
    assert_eq!(restarted.sweep_staging(Duration::ZERO).unwrap(), 1);
    assert_eq!(staged_files(dir.path()), 0);
    assert!(matches!(
        restarted.open("acct/env/signed.pdf"),
        Err(BlobError::NotFound(_))
    ));
    assert_eq!(
        FsBlobStore::new(dir.path().join("never-used"))
            .sweep_staging(Duration::ZERO)
            .unwrap(),
        0
    );
}
