//! Purging draft envelopes: everything that belongs to them goes, nothing else.

use signet_core::model::{ChainHead, Envelope, EnvelopeStatus, FieldKind};
use signet_core::port::{Store, StoreError};

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(purge_removes_a_draft_and_everything_in_it);

async fn purge_removes_a_draft_and_everything_in_it(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let doc = document(&e, 0);
    let mut s = signer(&e, 1);
    let token = random_hash();
    s.token_hash = Some(token);
    let (v2, mut change) = next_version(&e);
    change.documents = vec![doc.clone()];
    change.signers = vec![s.clone()];
    change.fields = vec![field(&s, &doc, FieldKind::Signature, None)];
    change.events = events(&v2, Some(head(store, &t, &e).await), 2);
    store.save_envelope(&change).await.unwrap();

    let err = store
        .purge_envelope(t.account.id, e.id, 1)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::VersionConflict), "{err:?}");
    assert!(
        store
            .load_envelope(t.account.id, e.id)
            .await
            .unwrap()
            .is_some()
    );

    store
        .purge_envelope(t.account.id, e.id, v2.version)
        .await
        .unwrap();
    assert_eq!(store.load_envelope(t.account.id, e.id).await.unwrap(), None);
    assert!(store.events(t.account.id, e.id).await.unwrap().is_empty());
    assert_eq!(store.signer_by_token(&token).await.unwrap(), None);
    // Purging what is gone is not an error.
    store
        .purge_envelope(t.account.id, e.id, v2.version)
        .await
        .unwrap();

    // Only drafts are purged.
    let sent = create_envelope(store, &t, |e| e.status = EnvelopeStatus::InProgress).await;
    assert!(matches!(
        store.purge_envelope(t.account.id, sent.id, 1).await,
        Err(StoreError::VersionConflict)
    ));
    assert!(
        store
            .load_envelope(t.account.id, sent.id)
            .await
            .unwrap()
            .is_some()
    );
}

async fn head(store: &dyn Store, t: &Tenant, e: &Envelope) -> ChainHead {
    store
        .load_envelope(t.account.id, e.id)
        .await
        .unwrap()
        .unwrap()
        .chain_head
        .unwrap()
}
