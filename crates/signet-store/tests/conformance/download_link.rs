//! Completed documents: the account's choice round-trips, and download links are found by the
//! SHA-256 of their token only.

use signet_core::id::{EnvelopeId, SignerId};
use signet_core::model::{CompletedDocuments, DownloadLink};

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    completed_documents_choice_round_trips_per_account,
    a_download_link_is_found_by_its_token_hash_only,
);

/// A link of `envelope` in `t`'s account with a random token hash.
pub fn link_for(t: &Tenant, envelope: EnvelopeId, signer: Option<SignerId>) -> DownloadLink {
    DownloadLink {
        id: uuid::Uuid::now_v7(),
        account_id: t.account.id,
        envelope_id: envelope,
        signer_id: signer,
        token_hash: random_hash(),
        created_at: now(),
        expires_at: later(30 * 86_400),
    }
}

async fn completed_documents_choice_round_trips_per_account(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    let id = a.account.id;
    assert_eq!(store.account_completed_documents(id).await.unwrap(), None);
    for choice in [CompletedDocuments::Link, CompletedDocuments::Attach] {
        assert!(
            store
                .set_account_completed_documents(id, Some(choice))
                .await
                .unwrap()
        );
        assert_eq!(
            store.account_completed_documents(id).await.unwrap(),
            Some(choice)
        );
    }
    let other = b.account.id;
    assert_eq!(
        store.account_completed_documents(other).await.unwrap(),
        None
    );
    assert!(
        store
            .set_account_completed_documents(id, None)
            .await
            .unwrap()
    );
    assert_eq!(store.account_completed_documents(id).await.unwrap(), None);
    let missing = signet_core::id::AccountId::generate();
    assert!(
        !store
            .set_account_completed_documents(missing, None)
            .await
            .unwrap()
    );
}

async fn a_download_link_is_found_by_its_token_hash_only(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let (mine, owners) = (link_for(&t, e.id, None), link_for(&t, e.id, None));
    store.insert_download_link(&mine).await.unwrap();
    store.insert_download_link(&owners).await.unwrap();
    let found = store.download_link_by_hash(&mine.token_hash).await.unwrap();
    assert_eq!(found, Some(mine.clone()));
    assert_eq!(
        store.download_link_by_hash(&random_hash()).await.unwrap(),
        None
    );
    let mut same_hash = link_for(&t, e.id, None);
    same_hash.token_hash = mine.token_hash;
    assert!(
        store.insert_download_link(&same_hash).await.is_err(),
        "token hashes are unique"
    );
}
