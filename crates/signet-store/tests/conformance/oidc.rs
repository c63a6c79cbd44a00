//! Identity-provider logins of signers: a signer's `identity_provider` round-trips; a login
//! under way is found by its state's hash, used once (scoped by account), and verifies the
//! browser session that started it under a new hash.

use signet_core::model::{AuthMethod, SignerOidcRequest, SignerSession};
use signet_core::port::Store;

use crate::fixture::{Tenant, complete_envelope, create_tenant, later, load, now, random_hash};
use crate::harness::{TestDb, conformance};

conformance!(
    an_oidc_signer_keeps_its_identity_provider,
    a_login_is_used_once_and_verifies_its_own_session,
);

async fn oidc_signer(store: &dyn Store, t: &Tenant) -> signet_core::model::Signer {
    let mut change = complete_envelope(t);
    change.signers[0].auth_method = AuthMethod::Oidc;
    change.signers[0].identity_provider = Some("idin".into());
    store.save_envelope(&change).await.unwrap();
    let (e, id) = (change.envelope.clone().unwrap(), change.signers[0].id);
    load(store, t, e.id).await.signer(id).unwrap().clone()
}

async fn an_oidc_signer_keeps_its_identity_provider(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let signer = oidc_signer(store, &t).await;
    assert_eq!(signer.auth_method, AuthMethod::Oidc);
    assert_eq!(signer.identity_provider.as_deref(), Some("idin"));
}

async fn a_login_is_used_once_and_verifies_its_own_session(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let other = create_tenant(store).await;
    let signer = oidc_signer(store, &t).await;
    let session = SignerSession {
        hash: random_hash(),
        account_id: t.account.id,
        envelope_id: signer.envelope_id,
        signer_id: signer.id,
        generation: signer.token_generation,
        created_at: now(),
        expires_at: later(3600),
        verified_at: None,
    };
    store.create_signer_session(&session).await.unwrap();
    let request = SignerOidcRequest {
        state_hash: random_hash(),
        account_id: t.account.id,
        envelope_id: signer.envelope_id,
        signer_id: signer.id,
        generation: signer.token_generation,
        provider: "idin".into(),
        session_hash: session.hash,
        created_at: now(),
        expires_at: later(600),
        used_at: None,
    };
    store.create_signer_oidc_request(&request).await.unwrap();
    let found = store
        .signer_oidc_request(&request.state_hash)
        .await
        .unwrap();
    assert_eq!(found, Some(request.clone()));
    assert_eq!(
        store.signer_oidc_request(&random_hash()).await.unwrap(),
        None
    );

    let hash = &request.state_hash;
    assert!(
        !store
            .use_signer_oidc_request(other.account.id, hash, now())
            .await
            .unwrap()
    );
    assert!(
        store
            .use_signer_oidc_request(t.account.id, hash, now())
            .await
            .unwrap()
    );
    assert!(
        !store
            .use_signer_oidc_request(t.account.id, hash, now())
            .await
            .unwrap(),
        "single use"
    );
    let used = store.signer_oidc_request(hash).await.unwrap().unwrap();
    assert!(used.used_at.is_some());

    let verified = SignerSession {
        hash: random_hash(),
        verified_at: Some(now()),
        ..session.clone()
    };
    let replace = |account| store.replace_signer_session(account, &session.hash, &verified);
    assert!(
        !replace(other.account.id).await.unwrap(),
        "scoped by account"
    );
    assert!(replace(t.account.id).await.unwrap());
    assert_eq!(store.signer_session(&session.hash).await.unwrap(), None);
    let now_verified = store.signer_session(&verified.hash).await.unwrap().unwrap();
    assert!(now_verified.verified_at.is_some());
    assert!(
        !replace(t.account.id).await.unwrap(),
        "the old session is gone"
    );
}
