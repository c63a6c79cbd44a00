//! Finding an envelope by the SHA-256 of its sealed document or proof (the verifier's
//! lookup): within the account only, never for a deleted envelope.

use signet_core::model::Document;
use signet_core::model::StoredFile;

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(sealed_hashes_find_their_envelope_in_their_account_only);

async fn sealed_hashes_find_their_envelope_in_their_account_only(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    let e = create_envelope(store, &a, |_| {}).await;
    let (signed_hash, proof_hash) = (random_hash(), random_hash());
    let stored = |sha256| StoredFile {
        blob_key: "blobs/x.pdf".into(),
        sha256,
        size: 10,
    };
    let (mut sealed, mut change) = next_version(&e);
    sealed.proof = Some(stored(proof_hash));
    change.envelope = Some(sealed.clone());
    change.documents = vec![Document {
        signed: Some(stored(signed_hash)),
        source: None,
        revision: None,
        ..document(&e, 0)
    }];
    store.save_envelope(&change).await.unwrap();
    let find = |account, hash| async move {
        store
            .envelope_by_sealed_sha256(account, &hash)
            .await
            .unwrap()
    };
    assert_eq!(find(a.account.id, signed_hash).await, Some((e.id, false)));
    assert_eq!(find(a.account.id, proof_hash).await, Some((e.id, true)));
    assert_eq!(find(b.account.id, signed_hash).await, None);
    assert_eq!(find(a.account.id, random_hash()).await, None);
    let (mut deleted, mut change) = next_version(&sealed);
    deleted.deleted_at = Some(later(10));
    change.envelope = Some(deleted);
    store.save_envelope(&change).await.unwrap();
    assert_eq!(find(a.account.id, signed_hash).await, None);
    assert_eq!(find(a.account.id, proof_hash).await, None);
}
