//! Accounts, users, API keys and instance secrets.

use signet_core::id::{AccountId, UserId};
use signet_core::model::{Language, PadesLevel};
use signet_core::port::StoreError;

use crate::fixture::{create_tenant, later, tenant};
use crate::harness::{TestDb, conformance};

conformance!(
    account_owner_and_key_round_trip,
    an_accounts_pades_level_is_set_cleared_and_scoped,
    api_key_use_is_recorded_and_never_moves_back,
    an_email_in_use_is_refused_case_insensitively,
    an_account_whose_owner_belongs_elsewhere_is_refused,
    instance_secret_is_stored_once,
    concurrent_instance_secret_puts_agree_on_one_value,
    a_replaced_instance_secret_is_what_is_read_back,
    an_accounts_default_language_is_set_cleared_and_scoped,
);

async fn account_owner_and_key_round_trip(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    assert_eq!(
        store.account(t.account.id).await.unwrap(),
        Some(t.account.clone())
    );
    assert_eq!(
        store.user(t.account.id, t.owner.id).await.unwrap(),
        Some(t.owner.clone())
    );
    assert_eq!(
        store.api_key_by_lookup(&t.key.lookup_id).await.unwrap(),
        Some(t.key.clone())
    );

    assert_eq!(store.account(AccountId::generate()).await.unwrap(), None);
    assert_eq!(
        store.user(t.account.id, UserId::generate()).await.unwrap(),
        None
    );
    assert_eq!(store.api_key_by_lookup("no-such-key").await.unwrap(), None);
    // A user is found only through its own account.
    let other = create_tenant(store).await;
    assert_eq!(
        store.user(other.account.id, t.owner.id).await.unwrap(),
        None
    );
}

async fn an_accounts_pades_level_is_set_cleared_and_scoped(db: &TestDb) {
    let store = &*db.store;
    let (t, other) = (create_tenant(store).await, create_tenant(store).await);
    let level = |id| async move { store.account(id).await.unwrap().unwrap().pades_level };
    assert_eq!(level(t.account.id).await, None);
    assert!(
        store
            .set_account_pades_level(t.account.id, Some(PadesLevel::BT))
            .await
            .unwrap()
    );
    assert_eq!(level(t.account.id).await, Some(PadesLevel::BT));
    assert_eq!(
        level(other.account.id).await,
        None,
        "only that account changes"
    );
    assert!(
        store
            .set_account_pades_level(t.account.id, None)
            .await
            .unwrap()
    );
    assert_eq!(level(t.account.id).await, None);
    assert!(
        !store
            .set_account_pades_level(AccountId::generate(), Some(PadesLevel::BB))
            .await
            .unwrap(),
        "no such account"
    );
}

async fn api_key_use_is_recorded_and_never_moves_back(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    store.touch_api_key(t.key.id, later(60)).await.unwrap();
    store.touch_api_key(t.key.id, later(30)).await.unwrap();
    let key = store
        .api_key_by_lookup(&t.key.lookup_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(key.last_used_at, Some(later(60)));
    store.touch_api_key(t.key.id, later(90)).await.unwrap();
    let key = store
        .api_key_by_lookup(&t.key.lookup_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(key.last_used_at, Some(later(90)));
}

async fn an_email_in_use_is_refused_case_insensitively(db: &TestDb) {
    let store = &*db.store;
    let first = create_tenant(store).await;
    let mut second = tenant();
    second.owner.email = first.owner.email.to_uppercase();
    let err = store
        .create_account(&second.account, &second.owner, &second.key)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Duplicate(what) if what == "email"),
        "{err:?}"
    );
    // Nothing of the refused account was kept.
    assert_eq!(store.account(second.account.id).await.unwrap(), None);
    assert_eq!(
        store
            .api_key_by_lookup(&second.key.lookup_id)
            .await
            .unwrap(),
        None
    );
}

async fn an_account_whose_owner_belongs_elsewhere_is_refused(db: &TestDb) {
    let store = &*db.store;
    let mut t = tenant();
    t.owner.account_id = AccountId::generate();
    assert!(
        store
            .create_account(&t.account, &t.owner, &t.key)
            .await
            .is_err()
    );
    assert_eq!(store.account(t.account.id).await.unwrap(), None);
}

async fn instance_secret_is_stored_once(db: &TestDb) {
    let store = &*db.store;
    assert_eq!(store.instance_secret("master").await.unwrap(), None);
    let first = store
        .put_instance_secret_if_absent("master", b"first")
        .await
        .unwrap();
    assert_eq!(first, b"first");
    let second = store
        .put_instance_secret_if_absent("master", b"second")
        .await
        .unwrap();
    assert_eq!(second, b"first");
    assert_eq!(
        store.instance_secret("master").await.unwrap().as_deref(),
        Some(&b"first"[..])
    );
    assert_eq!(store.instance_secret("other").await.unwrap(), None);
}

async fn concurrent_instance_secret_puts_agree_on_one_value(db: &TestDb) {
    // Two store instances (separate connections, like two processes) race for each name.
    let a = db.store.clone();
    let b = db.another().await;
    for round in 0..10 {
        let name = format!("secret-{round}");
        let (a2, b2, name2) = (a.clone(), b.clone(), name.clone());
        let x =
            tokio::spawn(async move { a2.put_instance_secret_if_absent(&name2, b"from-a").await });
        let y =
            tokio::spawn(async move { b2.put_instance_secret_if_absent(&name, b"from-b").await });
        let (x, y) = (x.await.unwrap().unwrap(), y.await.unwrap().unwrap());
        let name = format!("secret-{round}");
        assert_eq!(x, y, "both callers must see the value that was stored");
        assert_eq!(a.instance_secret(&name).await.unwrap(), Some(x));
    }
}

async fn a_replaced_instance_secret_is_what_is_read_back(db: &TestDb) {
    let store = &*db.store;
    store
        .replace_instance_secret("seal", b"first")
        .await
        .unwrap();
    assert_eq!(
        store.instance_secret("seal").await.unwrap().as_deref(),
        Some(&b"first"[..])
    );
    store
        .replace_instance_secret("seal", b"second")
        .await
        .unwrap();
    assert_eq!(
        store.instance_secret("seal").await.unwrap().as_deref(),
        Some(&b"second"[..])
    );
    let kept = store
        .put_instance_secret_if_absent("seal", b"third")
        .await
        .unwrap();
    assert_eq!(kept, b"second");
}

async fn an_accounts_default_language_is_set_cleared_and_scoped(db: &TestDb) {
    let store = &*db.store;
    let (t, other) = (create_tenant(store).await, create_tenant(store).await);
    let language = |id| async move { store.account(id).await.unwrap().unwrap().default_language };
    assert_eq!(language(t.account.id).await, None);
    let set = store.set_account_default_language(t.account.id, Some(Language::Pl));
    assert!(set.await.unwrap());
    assert_eq!(language(t.account.id).await, Some(Language::Pl));
    assert_eq!(
        language(other.account.id).await,
        None,
        "only that account changes"
    );
    assert!(
        store
            .set_account_default_language(t.account.id, None)
            .await
            .unwrap()
    );
    assert_eq!(language(t.account.id).await, None);
    let nobody = store.set_account_default_language(AccountId::generate(), Some(Language::Sv));
    assert!(!nobody.await.unwrap(), "no such account");
}
