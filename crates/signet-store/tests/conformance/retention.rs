//! Retention: the account setting, the sweep's query, purging a finished envelope into a
//! tombstone (everything of it goes, nothing else does), and finding tombstones.

use serde_json::json;
use signet_core::model::{
    DialectKey, EnvelopeRecord, EnvelopeStatus, KeyedObject, RetentionRule, SignerSession,
    Tombstone, TombstoneFile, TombstoneHash,
};
use signet_core::port::StoreError;

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    retention_setting_round_trips_per_account,
    due_envelopes_are_final_finished_before_the_cutoff_and_of_the_account,
    purge_replaces_a_finished_envelope_with_its_tombstone,
    purge_refuses_unfinished_or_changed_envelopes,
    tombstones_are_found_by_sealed_hash_across_accounts,
);

async fn retention_setting_round_trips_per_account(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    assert_eq!(store.account_retention(a.account.id).await.unwrap(), None);
    for rule in [
        RetentionRule::Days(30),
        RetentionRule::EndOfMonthAfterOneMonth,
    ] {
        assert!(
            store
                .set_account_retention(a.account.id, Some(rule))
                .await
                .unwrap()
        );
        assert_eq!(
            store.account_retention(a.account.id).await.unwrap(),
            Some(rule)
        );
    }
    assert_eq!(store.account_retention(b.account.id).await.unwrap(), None);
    let listed = store.retention_accounts().await.unwrap();
    assert_eq!(
        listed,
        vec![(a.account.id, RetentionRule::EndOfMonthAfterOneMonth)]
    );
    assert!(
        store
            .set_account_retention(a.account.id, None)
            .await
            .unwrap()
    );
    assert!(store.retention_accounts().await.unwrap().is_empty());
    let missing = signet_core::id::AccountId::generate();
    assert!(!store.set_account_retention(missing, None).await.unwrap());
}

async fn due_envelopes_are_final_finished_before_the_cutoff_and_of_the_account(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    let finished = |status, at| {
        move |e: &mut signet_core::model::Envelope| {
            e.status = status;
            e.finished_at = Some(at);
        }
    };
    let old_completed =
        create_envelope(store, &a, finished(EnvelopeStatus::Completed, later(1))).await;
    let old_declined =
        create_envelope(store, &a, finished(EnvelopeStatus::Declined, later(2))).await;
    let old_expired = create_envelope(store, &a, |e| {
        finished(EnvelopeStatus::Expired, later(3))(e);
        e.deleted_at = Some(later(4));
    })
    .await;
    let _canceled = create_envelope(store, &a, finished(EnvelopeStatus::Canceled, later(1))).await;
    let _in_progress = create_envelope(store, &a, |e| e.status = EnvelopeStatus::InProgress).await;
    let _sealing = create_envelope(store, &a, finished(EnvelopeStatus::Sealing, later(1))).await;
    let _recent = create_envelope(store, &a, finished(EnvelopeStatus::Completed, later(100))).await;
    let _other = create_envelope(store, &b, finished(EnvelopeStatus::Completed, later(1))).await;

    let due = store
        .envelopes_due_for_purge(a.account.id, later(100), 10)
        .await
        .unwrap();
    assert_eq!(due, vec![old_completed.id, old_declined.id, old_expired.id]);
    let first_two = store
        .envelopes_due_for_purge(a.account.id, later(100), 2)
        .await
        .unwrap();
    assert_eq!(first_two, vec![old_completed.id, old_declined.id]);
    // The cut-off is strict.
    let strict = store
        .envelopes_due_for_purge(a.account.id, later(2), 10)
        .await
        .unwrap();
    assert_eq!(strict, vec![old_completed.id]);
}

async fn purge_replaces_a_finished_envelope_with_its_tombstone(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let change = complete_envelope(&t);
    store.save_envelope(&change).await.unwrap();
    let e = change.envelope.clone().unwrap();
    let record = load(store, &t, e.id).await;
    let signer = record.signers[0].clone();
    let session = SignerSession {
        hash: random_hash(),
        account_id: t.account.id,
        envelope_id: e.id,
        signer_id: signer.id,
        generation: 0,
        created_at: now(),
        expires_at: later(600),
        verified_at: None,
    };
    store.create_signer_session(&session).await.unwrap();
    let login = signet_core::model::SignerOidcRequest {
        state_hash: random_hash(),
        account_id: t.account.id,
        envelope_id: e.id,
        signer_id: signer.id,
        generation: 0,
        provider: "idin".into(),
        session_hash: session.hash,
        created_at: now(),
        expires_at: later(600),
        used_at: None,
    };
    store.create_signer_oidc_request(&login).await.unwrap();
    for object in [KeyedObject::Envelope(e.id), KeyedObject::Signer(signer.id)] {
        let key = DialectKey {
            account_id: t.account.id,
            dialect: "stiply".into(),
            object,
            key: unique("k"),
            data: json!({}),
            created_at: now(),
        };
        store.insert_dialect_key(&key).await.unwrap();
    }
    let link = crate::download_link::link_for(&t, e.id, Some(signer.id));
    store.insert_download_link(&link).await.unwrap();
    // Another envelope of the account stays as it is.
    let kept = create_envelope(store, &t, |e| e.status = EnvelopeStatus::Completed).await;

    let hashes = vec![
        TombstoneHash {
            file: TombstoneFile::Original,
            position: 0,
            sha256: random_hash(),
        },
        TombstoneHash {
            file: TombstoneFile::Sealed,
            position: 0,
            sha256: random_hash(),
        },
        TombstoneHash {
            file: TombstoneFile::Proof,
            position: 0,
            sha256: random_hash(),
        },
    ];
    let tombstone = completed_tombstone(&t, &record, hashes);
    assert!(
        store
            .purge_finished_envelope(&tombstone, e.version)
            .await
            .unwrap()
    );
    assert_eq!(store.load_envelope(t.account.id, e.id).await.unwrap(), None);
    assert!(store.events(t.account.id, e.id).await.unwrap().is_empty());
    assert_eq!(store.signer_session(&session.hash).await.unwrap(), None);
    let gone = store.download_link_by_hash(&link.token_hash).await.unwrap();
    assert_eq!(gone, None, "its download links go with it");
    for object in [KeyedObject::Envelope(e.id), KeyedObject::Signer(signer.id)] {
        let key = store
            .dialect_key_of(t.account.id, "stiply", object)
            .await
            .unwrap();
        assert_eq!(key, None);
    }
    let mut stored = store
        .tombstone(t.account.id, e.id)
        .await
        .unwrap()
        .expect("the tombstone");
    let mut expected = tombstone.clone();
    let order = |h: &TombstoneHash| (h.file.as_str(), h.position);
    stored.hashes.sort_by_key(order);
    expected.hashes.sort_by_key(order);
    assert_eq!(stored, expected);
    // No blob key of the purged envelope is referenced any more.
    let referenced = store.referenced_blob_keys(t.account.id).await.unwrap();
    assert!(!referenced.contains("sig/a.png"), "{referenced:?}");
    // Purging again finds nothing, and the other envelope is untouched.
    assert!(
        !store
            .purge_finished_envelope(&tombstone, e.version)
            .await
            .unwrap()
    );
    assert!(
        store
            .load_envelope(t.account.id, kept.id)
            .await
            .unwrap()
            .is_some()
    );
}

async fn purge_refuses_unfinished_or_changed_envelopes(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    for status in [
        EnvelopeStatus::InProgress,
        EnvelopeStatus::Sealing,
        EnvelopeStatus::Draft,
    ] {
        let e = create_envelope(store, &t, |e| e.status = status).await;
        let err = store
            .purge_finished_envelope(&bare_tombstone(&t, &e), e.version)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::VersionConflict),
            "{status:?}: {err:?}"
        );
        assert!(
            store
                .load_envelope(t.account.id, e.id)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(store.tombstone(t.account.id, e.id).await.unwrap(), None);
    }
    let done = create_envelope(store, &t, |e| e.status = EnvelopeStatus::Declined).await;
    let stale = store
        .purge_finished_envelope(&bare_tombstone(&t, &done), done.version + 1)
        .await;
    assert!(
        matches!(stale, Err(StoreError::VersionConflict)),
        "{stale:?}"
    );
    // Another account's tombstone for this envelope id purges nothing.
    let other = create_tenant(store).await;
    let mut foreign = bare_tombstone(&t, &done);
    foreign.account_id = other.account.id;
    assert!(
        !store
            .purge_finished_envelope(&foreign, done.version)
            .await
            .unwrap()
    );
    assert!(
        store
            .load_envelope(t.account.id, done.id)
            .await
            .unwrap()
            .is_some()
    );
}

async fn tombstones_are_found_by_sealed_hash_across_accounts(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    let e = create_envelope(store, &a, |e| e.status = EnvelopeStatus::Completed).await;
    let (original, sealed, proof) = (random_hash(), random_hash(), random_hash());
    let mut tombstone = bare_tombstone(&a, &e);
    tombstone.hashes = [
        (TombstoneFile::Original, original),
        (TombstoneFile::Sealed, sealed),
        (TombstoneFile::Proof, proof),
    ]
    .into_iter()
    .map(|(file, sha256)| TombstoneHash {
        file,
        position: 0,
        sha256,
    })
    .collect();
    assert!(
        store
            .purge_finished_envelope(&tombstone, e.version)
            .await
            .unwrap()
    );
    let find = |hash| async move { store.tombstone_by_sealed_sha256(&hash).await.unwrap() };
    let (found, file) = find(sealed).await.expect("found by the sealed hash");
    assert_eq!((found.envelope_id, file), (e.id, TombstoneFile::Sealed));
    assert_eq!(
        find(proof).await.map(|(_, f)| f),
        Some(TombstoneFile::Proof)
    );
    // An original upload is not something this instance sealed.
    assert_eq!(find(original).await, None);
    assert_eq!(find(random_hash()).await, None);
    // The per-account read is scoped.
    assert_eq!(store.tombstone(b.account.id, e.id).await.unwrap(), None);
}

/// The tombstone of `record`, a completed envelope with a three-event trail, with `hashes`.
pub(crate) fn completed_tombstone(
    t: &Tenant,
    record: &EnvelopeRecord,
    hashes: Vec<TombstoneHash>,
) -> Tombstone {
    let e = &record.envelope;
    Tombstone {
        envelope_id: e.id,
        account_id: t.account.id,
        final_status: EnvelopeStatus::Completed,
        created_at: e.created_at,
        sent_at: e.sent_at,
        finished_at: e.finished_at,
        sealed_at: e.finished_at,
        audit_head: record.chain_head.as_ref().map(|h| h.hash),
        audit_events: 3,
        purged_at: later(1000),
        hashes,
    }
}

fn bare_tombstone(t: &Tenant, e: &signet_core::model::Envelope) -> Tombstone {
    Tombstone {
        envelope_id: e.id,
        account_id: t.account.id,
        final_status: e.status,
        created_at: e.created_at,
        sent_at: None,
        finished_at: None,
        sealed_at: None,
        audit_head: None,
        audit_events: 0,
        purged_at: later(50),
        hashes: Vec::new(),
    }
}
