//! Dialect keys (scoped by account, one per object, unique per kind) and removing a signer
//! with its fields in an envelope change.

use serde_json::json;
use signet_core::model::{DialectKey, FieldKind, KeyedObject};
use signet_core::port::{Store, StoreError};

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    dialect_keys_are_scoped_and_unique,
    a_change_removes_a_signer_and_its_fields
);

async fn dialect_keys_are_scoped_and_unique(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    let e = create_envelope(store, &a, |_| {}).await;
    let object = KeyedObject::Envelope(e.id);
    let key = DialectKey {
        account_id: a.account.id,
        dialect: "stiply".into(),
        object,
        key: unique("k"),
        data: json!({"term_code": "1w"}),
        created_at: now(),
    };
    store.insert_dialect_key(&key).await.unwrap();
    let of = store
        .dialect_key_of(a.account.id, "stiply", object)
        .await
        .unwrap();
    assert_eq!(of.as_ref(), Some(&key));
    let by = store
        .dialect_key_by_key(a.account.id, "stiply", "envelope", &key.key)
        .await
        .unwrap();
    assert_eq!(by, Some(key.clone()));
    // Another account, dialect or kind sees nothing.
    assert_eq!(
        store
            .dialect_key_of(b.account.id, "stiply", object)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .dialect_key_by_key(b.account.id, "stiply", "envelope", &key.key)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .dialect_key_of(a.account.id, "other", object)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .dialect_key_by_key(a.account.id, "stiply", "signer", &key.key)
            .await
            .unwrap(),
        None
    );
    // One key per object; a key names one object of its kind.
    let again = DialectKey {
        key: unique("k"),
        ..key.clone()
    };
    assert!(matches!(
        store.insert_dialect_key(&again).await,
        Err(StoreError::Duplicate(_))
    ));
    let other = create_envelope(store, &a, |_| {}).await;
    let taken = DialectKey {
        object: KeyedObject::Envelope(other.id),
        ..key.clone()
    };
    assert!(matches!(
        store.insert_dialect_key(&taken).await,
        Err(StoreError::Duplicate(_))
    ));
    // Data is replaced only within the account.
    assert!(
        !store
            .set_dialect_key_data(b.account.id, "stiply", object, &json!({"x": 1}))
            .await
            .unwrap()
    );
    assert!(
        store
            .set_dialect_key_data(a.account.id, "stiply", object, &json!({"x": 2}))
            .await
            .unwrap()
    );
    let of = store
        .dialect_key_of(a.account.id, "stiply", object)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(of.data, json!({"x": 2}));
}

async fn a_change_removes_a_signer_and_its_fields(db: &TestDb) {
    let store: &dyn Store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let doc = document(&e, 0);
    let (keep, gone) = (signer(&e, 1), signer(&e, 2));
    let (v2, mut change) = next_version(&e);
    change.documents = vec![doc.clone()];
    change.signers = vec![keep.clone(), gone.clone()];
    change.fields = vec![
        field(&keep, &doc, FieldKind::Signature, None),
        field(&gone, &doc, FieldKind::Signature, None),
    ];
    store.save_envelope(&change).await.unwrap();
    let (_, mut removal) = next_version(&v2);
    removal.removed_signers = vec![gone.id];
    store.save_envelope(&removal).await.unwrap();
    let record = load(store, &t, e.id).await;
    assert_eq!(
        record.signers.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![keep.id]
    );
    assert!(record.fields.iter().all(|f| f.signer_id == keep.id));
    assert_eq!(record.fields.len(), 1);
}
