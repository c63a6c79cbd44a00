//! The orphan-blob sweep, on the file store and on S3 (moto): a blob whose row never committed
//! is deleted once it is older than the grace period (by the test clock); referenced blobs,
//! young orphans and keys outside an account's folder are kept.

use serde_json::json;
use signet_server::blobs::ORPHAN_GRACE;

use crate::support::TestApp;

#[tokio::test]
async fn an_orphan_blob_on_files_is_swept_after_the_grace_period() {
    sweeps_orphans_only(TestApp::spawn().await).await;
}

#[tokio::test]
async fn an_orphan_blob_in_s3_is_swept_after_the_grace_period() {
    sweeps_orphans_only(TestApp::spawn_on_s3().await).await;
}

async fn sweeps_orphans_only(app: TestApp) {
    let account = app.account("Acme").await;
    let (id, document) = app
        .draft_with_contract(&account.api_key, json!({"title": "Kept"}))
        .await;
    let referenced = app.blob_keys().await;
    assert_eq!(referenced.len(), 1, "the upload: {referenced:?}");
    // A crash between writing a blob and committing its row, and a key the core never writes.
    let orphan = format!(
        "{}/{id}/0193a8e0-dead-7000-8000-000000000000.pdf",
        account.account_id
    );
    app.write_blob(&orphan, b"%PDF-1.7 never referenced").await;
    app.write_blob("stray/folder.pdf", b"not ours").await;

    let sweep = app
        .app
        .signet
        .sweep_orphan_blobs(ORPHAN_GRACE)
        .await
        .unwrap();
    assert_eq!(
        sweep.deleted, 0,
        "a young orphan may still be waiting for its row"
    );
    assert!(app.blob_keys().await.contains(&orphan));

    app.clock.advance(time::Duration::hours(2));
    let sweep = app
        .app
        .signet
        .sweep_orphan_blobs(ORPHAN_GRACE)
        .await
        .unwrap();
    assert_eq!((sweep.examined, sweep.deleted), (3, 1), "{sweep:?}");
    let mut left = app.blob_keys().await;
    left.sort();
    let mut expected = vec![referenced[0].clone(), "stray/folder.pdf".to_owned()];
    expected.sort();
    assert_eq!(left, expected);

    // The referenced document still downloads whole.
    let document_id = document["id"].as_str().unwrap();
    let (status, bytes) = app
        .get_bytes(
            &account.api_key,
            &format!("/api/v1/envelopes/{id}/documents/{document_id}/original.pdf"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(bytes, crate::support::fixtures::contract_pdf());
    app.finish().await;
}
