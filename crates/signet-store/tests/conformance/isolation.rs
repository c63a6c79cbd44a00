//! Tenant isolation: an id of another account behaves exactly like an id that does not exist.

use serde_json::json;
use signet_core::model::{Document, EnvelopeRecord, EnvelopeStatus, EventKind, FieldKind, Signer};
use signet_core::port::{EnvelopeChange, EnvelopeFilter, StoreError};

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    another_accounts_id_reads_nothing,
    another_accounts_id_changes_nothing
);

/// Tenant A with an envelope holding a document, a signer, a field and an event; tenant B.
async fn two_tenants(db: &TestDb) -> (Tenant, Tenant, EnvelopeRecord) {
    let store = &*db.store;
    let a = create_tenant(store).await;
    let b = create_tenant(store).await;
    let e = create_envelope(store, &a, |_| {}).await;
    let doc = document(&e, 0);
    let s = signer(&e, 1);
    let (_, mut change) = next_version(&e);
    change.documents = vec![doc.clone()];
    change.signers = vec![s.clone()];
    change.fields = vec![field(&s, &doc, FieldKind::Signature, None)];
    store.save_envelope(&change).await.unwrap();
    let record = load(store, &a, e.id).await;
    (a, b, record)
}

async fn another_accounts_id_reads_nothing(db: &TestDb) {
    let store = &*db.store;
    let (a, b, record) = two_tenants(db).await;
    let id = record.envelope.id;
    assert_eq!(store.load_envelope(b.account.id, id).await.unwrap(), None);
    assert!(store.events(b.account.id, id).await.unwrap().is_empty());
    let all = EnvelopeFilter::default();
    assert!(
        store
            .list_envelopes(b.account.id, &all, None, 50)
            .await
            .unwrap()
            .is_empty()
    );
    let drafts = EnvelopeFilter {
        status: Some(EnvelopeStatus::Draft),
        ..Default::default()
    };
    assert!(
        store
            .list_envelopes(b.account.id, &drafts, None, 50)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.user(b.account.id, a.owner.id).await.unwrap(), None);
    // A sees its own.
    assert_eq!(
        store
            .list_envelopes(a.account.id, &all, None, 50)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn another_accounts_id_changes_nothing(db: &TestDb) {
    let store = &*db.store;
    let (a, b, before) = two_tenants(db).await;
    let id = before.envelope.id;
    let events_before = store.events(a.account.id, id).await.unwrap();
    let mut hijack = before.envelope.clone();
    hijack.account_id = b.account.id;
    hijack.created_by = b.owner.id;
    hijack.title = "hijacked".into();
    hijack.version = 3;

    // An update of A's envelope under B's account id finds no row.
    let signer = Signer {
        name: "Mallory".into(),
        ..before.signers[0].clone()
    };
    let update = EnvelopeChange {
        envelope: Some(hijack.clone()),
        expected_version: Some(2),
        signers: vec![signer],
        ..Default::default()
    };
    assert!(matches!(
        store.save_envelope(&update).await,
        Err(StoreError::VersionConflict)
    ));
    // Nor can B insert under A's envelope id, append to A's chain, or purge A's draft.
    let document = Document {
        filename: "evil.pdf".into(),
        ..before.documents[0].clone()
    };
    let insert = EnvelopeChange {
        envelope: Some(hijack.clone()),
        documents: vec![document],
        ..Default::default()
    };
    assert!(store.save_envelope(&insert).await.is_err());
    let forged = event(&hijack, before.chain_head, EventKind::Signed, json!({}));
    let append = EnvelopeChange {
        events: vec![forged],
        ..Default::default()
    };
    assert!(store.save_envelope(&append).await.is_err());
    store.purge_envelope(b.account.id, id, 2).await.unwrap();

    assert_eq!(
        load(store, &a, id).await,
        before,
        "A's envelope is untouched"
    );
    assert_eq!(store.events(a.account.id, id).await.unwrap(), events_before);
}
