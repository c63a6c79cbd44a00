//! Extended authentication sessions: an envelope's `extended_auth_session` round-trips and
//! changes; an auth pass is found by its cookie's hash only within its account, with every
//! value as written; purging its envelope removes it.

use signet_core::model::{AuthMethod, EnvelopeStatus, SignerAuthPass};
use signet_core::port::Store;

use crate::fixture::{
    Tenant, complete_envelope, create_envelope, create_tenant, later, load, next_version, now,
    random_hash,
};
use crate::harness::{TestDb, conformance};

conformance!(
    the_extended_auth_session_setting_round_trips_and_changes,
    an_auth_pass_is_found_by_its_hash_within_its_account,
    purging_the_source_envelope_removes_its_auth_passes,
);

async fn the_extended_auth_session_setting_round_trips_and_changes(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let plain = create_envelope(store, &t, |_| {}).await;
    assert!(
        !load(store, &t, plain.id)
            .await
            .envelope
            .extended_auth_session
    );
    let on = create_envelope(store, &t, |e| e.extended_auth_session = true).await;
    assert!(load(store, &t, on.id).await.envelope.extended_auth_session);
    let (mut next, mut change) = next_version(&on);
    next.extended_auth_session = false;
    change.envelope = Some(next);
    store.save_envelope(&change).await.unwrap();
    assert!(!load(store, &t, on.id).await.envelope.extended_auth_session);
}

/// A pass of the first signer of a new complete envelope of `t`.
async fn pass_of(store: &dyn Store, t: &Tenant, method: AuthMethod) -> SignerAuthPass {
    let mut change = complete_envelope(t);
    if let Some(e) = change.envelope.as_mut() {
        e.external_key = None;
    }
    store.save_envelope(&change).await.unwrap();
    let signer = &change.signers[0];
    SignerAuthPass {
        hash: random_hash(),
        account_id: t.account.id,
        email: "pat@example.test".into(),
        method,
        phone: (method == AuthMethod::Sms).then(|| "+31612345678".into()),
        identity_provider: (method == AuthMethod::Oidc).then(|| "idin".into()),
        envelope_id: signer.envelope_id,
        signer_id: signer.id,
        generation: 3,
        event_seq: 2,
        verified_at: now(),
        expires_at: later(1800),
    }
}

async fn an_auth_pass_is_found_by_its_hash_within_its_account(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let other = create_tenant(store).await;
    for method in [AuthMethod::EmailOtp, AuthMethod::Sms, AuthMethod::Oidc] {
        let pass = pass_of(store, &t, method).await;
        store.create_signer_auth_pass(&pass).await.unwrap();
        let found = store.signer_auth_pass(t.account.id, &pass.hash).await;
        assert_eq!(found.unwrap(), Some(pass.clone()));
        let foreign = store.signer_auth_pass(other.account.id, &pass.hash).await;
        assert_eq!(foreign.unwrap(), None, "scoped by account");
    }
    let unknown = store.signer_auth_pass(t.account.id, &random_hash()).await;
    assert_eq!(unknown.unwrap(), None);
}

async fn purging_the_source_envelope_removes_its_auth_passes(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let pass = pass_of(store, &t, AuthMethod::EmailOtp).await;
    store.create_signer_auth_pass(&pass).await.unwrap();
    let record = load(store, &t, pass.envelope_id).await;
    let e = &record.envelope;
    assert_eq!(e.status, EnvelopeStatus::Completed);
    let tombstone = crate::retention::completed_tombstone(&t, &record, Vec::new());
    assert!(
        store
            .purge_finished_envelope(&tombstone, e.version)
            .await
            .unwrap()
    );
    let gone = store.signer_auth_pass(t.account.id, &pass.hash).await;
    assert_eq!(gone.unwrap(), None);
}
