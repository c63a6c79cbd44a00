//! Saving and loading envelopes: round trips, optimistic concurrency, uniqueness, purge.

use std::sync::Arc;

use serde_json::json;
use signet_core::model::{ChainHead, EnvelopeStatus, EventKind, FieldKind};
use signet_core::port::{EnvelopeChange, EnvelopeFilter, Store, StoreError};

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    envelope_round_trips_every_field,
    an_update_replaces_rows_by_id_and_bumps_the_version,
    two_writers_from_the_same_version_exactly_one_wins,
    a_stale_change_writes_nothing,
    external_key_is_unique_per_account,
    signer_is_found_by_token_hash,
    rows_of_another_envelope_are_refused,
);

async fn envelope_round_trips_every_field(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let change = complete_envelope(&t);
    store.save_envelope(&change).await.unwrap();

    let e = change.envelope.clone().unwrap();
    let record = load(store, &t, e.id).await;
    assert_eq!(record.envelope, e);
    // Documents by position, signers by order, fields in creation (id) order.
    let mut documents = change.documents.clone();
    documents.sort_by_key(|d| d.position);
    let mut signers = change.signers.clone();
    signers.sort_by_key(|s| s.order);
    assert_eq!(record.documents, documents);
    assert_eq!(record.signers, signers);
    assert_eq!(record.fields, change.fields);
    let last = change.events.last().unwrap();
    assert_eq!(
        record.chain_head,
        Some(ChainHead {
            seq: last.seq,
            hash: last.hash
        })
    );

    // The all-empty envelope round-trips too.
    let bare = create_envelope(store, &t, |_| {}).await;
    let record = load(store, &t, bare.id).await;
    assert_eq!(record.envelope, bare);
    assert!(record.documents.is_empty() && record.signers.is_empty() && record.fields.is_empty());
}

async fn an_update_replaces_rows_by_id_and_bumps_the_version(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let doc = document(&e, 0);
    let mut s = signer(&e, 1);
    let (v2, mut change) = next_version(&e);
    change.documents = vec![doc.clone()];
    change.signers = vec![s.clone()];
    store.save_envelope(&change).await.unwrap();

    s.status = signet_core::model::SignerStatus::Declined;
    s.decline_reason = Some("wrong amount".into());
    s.declined_at = Some(later(99));
    let (mut v3, mut change) = next_version(&v2);
    v3.status = EnvelopeStatus::Declined;
    change.envelope = Some(v3.clone());
    change.signers = vec![s.clone()];
    store.save_envelope(&change).await.unwrap();

    let record = store
        .load_envelope(t.account.id, e.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.envelope, v3);
    assert_eq!(record.envelope.version, 3);
    assert_eq!(record.documents, vec![doc]);
    assert_eq!(record.signers, vec![s]);
}

async fn two_writers_from_the_same_version_exactly_one_wins(db: &TestDb) {
    let t = create_tenant(&*db.store).await;
    let other: Arc<dyn Store> = db.another().await;
    for round in 0..5 {
        let e = create_envelope(&*db.store, &t, |_| {}).await;
        let head = ChainHead {
            seq: 1,
            hash: db.store.events(t.account.id, e.id).await.unwrap()[0].hash,
        };
        let mut changes = Vec::new();
        for title in ["A", "B"] {
            let (mut next, mut change) = next_version(&e);
            next.title = format!("{title}{round}");
            change.envelope = Some(next.clone());
            change.events = vec![event(
                &next,
                Some(head),
                EventKind::EnvelopeSent,
                json!({ "by": title }),
            )];
            change.jobs = vec![job(&next, now(), None)];
            changes.push(change);
        }
        let (a, b) = (db.store.clone(), other.clone());
        let (ca, cb) = (changes[0].clone(), changes[1].clone());
        let ra = tokio::spawn(async move { a.save_envelope(&ca).await });
        let rb = tokio::spawn(async move { b.save_envelope(&cb).await });
        let results = [ra.await.unwrap(), rb.await.unwrap()];
        let winners: Vec<usize> = (0..2).filter(|&i| results[i].is_ok()).collect();
        assert_eq!(winners.len(), 1, "exactly one writer wins: {results:?}");
        let loser = 1 - winners[0];
        assert!(
            matches!(results[loser], Err(StoreError::VersionConflict)),
            "{results:?}"
        );
        let record = db
            .store
            .load_envelope(t.account.id, e.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(Some(record.envelope), changes[winners[0]].envelope);
        let events = db.store.events(t.account.id, e.id).await.unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1], changes[winners[0]].events[0]);
    }
    // Only the winners' jobs exist.
    assert_eq!(db.store.list_jobs(None, 100).await.unwrap().len(), 5);
}

async fn a_stale_change_writes_nothing(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let (v2, change) = next_version(&e);
    store.save_envelope(&change).await.unwrap();

    let (_, mut stale) = next_version(&e);
    stale.documents = vec![document(&e, 0)];
    stale.signers = vec![signer(&e, 1)];
    stale.jobs = vec![job(&e, now(), Some("stale"))];
    let err = store.save_envelope(&stale).await.unwrap_err();
    assert!(matches!(err, StoreError::VersionConflict), "{err:?}");
    let record = store
        .load_envelope(t.account.id, e.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.envelope, v2);
    assert!(record.documents.is_empty() && record.signers.is_empty());
    assert!(store.list_jobs(None, 10).await.unwrap().is_empty());

    // Inserting an envelope that exists already is a conflict too.
    let again = EnvelopeChange {
        envelope: Some(e.clone()),
        ..Default::default()
    };
    assert!(matches!(
        store.save_envelope(&again).await,
        Err(StoreError::VersionConflict)
    ));
}

async fn external_key_is_unique_per_account(db: &TestDb) {
    let store = &*db.store;
    let a = create_tenant(store).await;
    let b = create_tenant(store).await;
    let first = create_envelope(store, &a, |e| e.external_key = Some("order-1".into())).await;
    let mut dup = envelope(&a);
    dup.external_key = Some("order-1".into());
    let change = EnvelopeChange {
        envelope: Some(dup.clone()),
        ..Default::default()
    };
    let err = store.save_envelope(&change).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Duplicate(what) if what == "external_key"),
        "{err:?}"
    );
    assert_eq!(
        store.load_envelope(a.account.id, dup.id).await.unwrap(),
        None
    );

    // Another account may use the same key; envelopes without a key never collide.
    let in_b = create_envelope(store, &b, |e| e.external_key = Some("order-1".into())).await;
    create_envelope(store, &a, |_| {}).await;
    create_envelope(store, &a, |_| {}).await;

    let filter = EnvelopeFilter {
        external_key: Some("order-1".into()),
        ..Default::default()
    };
    let found = store
        .list_envelopes(a.account.id, &filter, None, 10)
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![first.id]
    );
    let found = store
        .list_envelopes(b.account.id, &filter, None, 10)
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![in_b.id]
    );
}

async fn signer_is_found_by_token_hash(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let mut s = signer(&e, 1);
    let token = random_hash();
    s.token_hash = Some(token);
    let (v2, mut change) = next_version(&e);
    change.signers = vec![s.clone()];
    store.save_envelope(&change).await.unwrap();
    assert_eq!(
        store.signer_by_token(&token).await.unwrap(),
        Some((t.account.id, e.id, s.id))
    );
    assert_eq!(store.signer_by_token(&random_hash()).await.unwrap(), None);

    // A new link replaces the old one.
    let new_token = random_hash();
    s.token_hash = Some(new_token);
    s.token_generation += 1;
    let (_, mut change) = next_version(&v2);
    change.signers = vec![s.clone()];
    store.save_envelope(&change).await.unwrap();
    assert_eq!(store.signer_by_token(&token).await.unwrap(), None);
    assert_eq!(
        store.signer_by_token(&new_token).await.unwrap(),
        Some((t.account.id, e.id, s.id))
    );
}

async fn rows_of_another_envelope_are_refused(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let other = create_envelope(store, &t, |_| {}).await;
    let foreign_signer = signer(&other, 1);
    let foreign_doc = document(&other, 0);
    let (_, mut change) = next_version(&other);
    change.signers = vec![foreign_signer.clone()];
    change.documents = vec![foreign_doc.clone()];
    store.save_envelope(&change).await.unwrap();

    // A document that names another envelope.
    let (_, mut change) = next_version(&e);
    change.documents = vec![document(&other, 1)];
    assert!(store.save_envelope(&change).await.is_err());
    // A field whose signer and document live in another envelope (caught by the foreign keys).
    let (_, mut change) = next_version(&e);
    change.fields = vec![field(
        &foreign_signer,
        &foreign_doc,
        FieldKind::Signature,
        None,
    )];
    assert!(store.save_envelope(&change).await.is_err());
    // An upsert that would move another envelope's signer into this one.
    let (_, mut change) = next_version(&e);
    change.signers = vec![signet_core::model::Signer {
        envelope_id: e.id,
        ..foreign_signer.clone()
    }];
    assert!(store.save_envelope(&change).await.is_err());

    let record = store
        .load_envelope(t.account.id, e.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        record.envelope, e,
        "nothing of the refused changes was written"
    );
    assert!(record.documents.is_empty() && record.signers.is_empty() && record.fields.is_empty());
}
