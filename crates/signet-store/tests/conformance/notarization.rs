//! Documents by id and by the SHA-256 of their upload, notarizations (stored once per account
//! and hash, found by either hash, scoped by account), and the password-grant switch.

use signet_core::id::AccountId;
use signet_core::model::{Document, Notarization, StoredFile};

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    documents_are_found_by_id_and_by_upload_hash_in_their_account_only,
    a_notarization_is_stored_once_per_account_and_hash,
    the_password_grant_switch_is_per_account,
);

async fn documents_are_found_by_id_and_by_upload_hash_in_their_account_only(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    let hash = random_hash();
    let with_hash = |e: &signet_core::model::Envelope| Document {
        original: StoredFile {
            blob_key: "blobs/o.pdf".into(),
            sha256: hash,
            size: 10,
        },
        ..document(e, 0)
    };
    let older = create_envelope(store, &a, |_| {}).await;
    let newer = create_envelope(store, &a, |_| {}).await;
    let mut ids = Vec::new();
    for e in [&older, &newer] {
        let (_, mut change) = next_version(e);
        let doc = with_hash(e);
        ids.push(doc.id);
        change.documents = vec![doc];
        store.save_envelope(&change).await.unwrap();
    }
    let (acc_a, acc_b) = (a.account.id, b.account.id);
    assert_eq!(
        store
            .envelope_by_original_sha256(acc_a, &hash)
            .await
            .unwrap(),
        Some((newer.id, ids[1])),
        "the newest"
    );
    assert_eq!(
        store
            .envelope_by_original_sha256(acc_b, &hash)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store.envelope_of_document(acc_a, ids[0]).await.unwrap(),
        Some(older.id)
    );
    assert_eq!(
        store.envelope_of_document(acc_b, ids[0]).await.unwrap(),
        None
    );
}

async fn a_notarization_is_stored_once_per_account_and_hash(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    let hash = random_hash();
    let notarization = |account: AccountId, key: &str| Notarization {
        account_id: account,
        document_sha256: hash,
        certificate: StoredFile {
            blob_key: key.into(),
            sha256: random_hash(),
            size: 1234,
        },
        created_at: now(),
    };
    let first = notarization(a.account.id, "n/first.pdf");
    assert_eq!(store.put_notarization(&first).await.unwrap(), first);
    let second = notarization(a.account.id, "n/second.pdf");
    assert_eq!(
        store.put_notarization(&second).await.unwrap(),
        first,
        "the first stays"
    );
    assert_eq!(
        store.notarization(a.account.id, &hash).await.unwrap(),
        Some(first.clone())
    );
    let cert = first.certificate.sha256;
    assert_eq!(
        store
            .notarization_by_certificate(a.account.id, &cert)
            .await
            .unwrap(),
        Some(first.clone())
    );
    assert_eq!(store.notarization(b.account.id, &hash).await.unwrap(), None);
    assert_eq!(
        store
            .notarization_by_certificate(b.account.id, &cert)
            .await
            .unwrap(),
        None
    );
    let theirs = notarization(b.account.id, "n/b.pdf");
    assert_eq!(
        store.put_notarization(&theirs).await.unwrap(),
        theirs,
        "B has its own"
    );
}

async fn the_password_grant_switch_is_per_account(db: &TestDb) {
    let store = &*db.store;
    let (t, other) = (create_tenant(store).await, create_tenant(store).await);
    let on = |id| async move { store.account(id).await.unwrap().unwrap().password_grant };
    assert!(on(t.account.id).await);
    assert!(
        store
            .set_account_password_grant(t.account.id, false)
            .await
            .unwrap()
    );
    assert!(!on(t.account.id).await);
    assert!(on(other.account.id).await);
    assert!(
        store
            .set_account_password_grant(t.account.id, true)
            .await
            .unwrap()
    );
    assert!(on(t.account.id).await);
    assert!(
        !store
            .set_account_password_grant(AccountId::generate(), false)
            .await
            .unwrap()
    );
}
