//! Changing drafts in place: removed documents and signers go with their fields, the
//! front-door attributes are stored with the change and replaced by the next, and contacts
//! are scoped by account.

use serde_json::json;
use signet_core::id::ContactId;
use signet_core::model::{Contact, FieldKind};
use signet_core::port::Store;

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    removals_and_attributes_are_applied_with_the_change,
    contacts_belong_to_their_account
);

async fn removals_and_attributes_are_applied_with_the_change(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let (keep_doc, gone_doc) = (document(&e, 0), document(&e, 1));
    let (keep, gone) = (signer(&e, 1), signer(&e, 2));
    let (v2, mut change) = next_version(&e);
    change.documents = vec![keep_doc.clone(), gone_doc.clone()];
    change.signers = vec![keep.clone(), gone.clone()];
    change.fields = vec![
        field(&keep, &keep_doc, FieldKind::Signature, None),
        field(&keep, &gone_doc, FieldKind::Signature, None),
        field(&gone, &keep_doc, FieldKind::Signature, None),
    ];
    change.attributes = Some(json!({"door": {"mode": "WHEN_READY"}}));
    store.save_envelope(&change).await.unwrap();
    assert_eq!(
        store.envelope_attributes(t.account.id, e.id).await.unwrap(),
        Some(json!({"door": {"mode": "WHEN_READY"}}))
    );

    let (_, mut change) = next_version(&v2);
    change.removed_documents = vec![gone_doc.id];
    change.removed_signers = vec![gone.id];
    change.attributes = Some(json!({"door": {"mode": "SCHEDULED"}}));
    store.save_envelope(&change).await.unwrap();
    let record = load(store, &t, e.id).await;
    assert_eq!(record.documents.len(), 1);
    assert_eq!(record.documents[0].id, keep_doc.id);
    assert_eq!(record.signers.len(), 1);
    assert_eq!(record.signers[0].id, keep.id);
    assert_eq!(record.fields.len(), 1, "the fields of what went, went too");
    assert_eq!(
        store.envelope_attributes(t.account.id, e.id).await.unwrap(),
        Some(json!({"door": {"mode": "SCHEDULED"}}))
    );

    // Another account sees no attributes; purging takes them along.
    let other = create_tenant(store).await;
    assert_eq!(
        store
            .envelope_attributes(other.account.id, e.id)
            .await
            .unwrap(),
        None
    );
    let version = load(store, &t, e.id).await.envelope.version;
    store
        .purge_envelope(t.account.id, e.id, version)
        .await
        .unwrap();
    assert_eq!(
        store.envelope_attributes(t.account.id, e.id).await.unwrap(),
        None
    );
}

async fn contacts_belong_to_their_account(db: &TestDb) {
    let store: &dyn Store = &*db.store;
    let t = create_tenant(store).await;
    let other = create_tenant(store).await;
    let contact = Contact {
        id: ContactId::generate(),
        account_id: t.account.id,
        first_name: Some("Ada".into()),
        last_name: None,
        email: "ada@example.test".into(),
        external_id: Some("crm-1".into()),
        created_at: now(),
    };
    store.create_contact(&contact).await.unwrap();
    assert_eq!(
        store.contact(t.account.id, contact.id).await.unwrap(),
        Some(contact.clone())
    );
    assert_eq!(
        store.contact(other.account.id, contact.id).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .contact(t.account.id, ContactId::generate())
            .await
            .unwrap(),
        None
    );
}
