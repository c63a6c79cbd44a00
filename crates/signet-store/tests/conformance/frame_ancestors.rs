//! The origins that may frame an account's signing pages.

use signet_core::id::AccountId;

use crate::fixture::create_tenant;
use crate::harness::{TestDb, conformance};

conformance!(an_accounts_frame_ancestors_are_replaced_cleared_and_scoped);

async fn an_accounts_frame_ancestors_are_replaced_cleared_and_scoped(db: &TestDb) {
    let store = &*db.store;
    let (t, other) = (create_tenant(store).await, create_tenant(store).await);
    let read = |id| async move { store.account_frame_ancestors(id).await.unwrap() };
    assert_eq!(read(t.account.id).await, Vec::<String>::new());
    let two = vec![
        "https://app.example.com".to_string(),
        "https://*.partner.example:8443".to_string(),
    ];
    assert!(
        store
            .set_account_frame_ancestors(t.account.id, &two)
            .await
            .unwrap()
    );
    assert_eq!(read(t.account.id).await, two, "kept in order");
    assert!(read(other.account.id).await.is_empty(), "only that account");
    let account = store.account(t.account.id).await.unwrap().unwrap();
    assert_eq!(account, t.account, "the account row reads as before");

    let one = vec!["http://localhost:3000".to_string()];
    assert!(
        store
            .set_account_frame_ancestors(t.account.id, &one)
            .await
            .unwrap()
    );
    assert_eq!(read(t.account.id).await, one, "replaced, not appended");
    assert!(
        store
            .set_account_frame_ancestors(t.account.id, &[])
            .await
            .unwrap()
    );
    assert!(read(t.account.id).await.is_empty(), "cleared");
    let nobody = store.set_account_frame_ancestors(AccountId::generate(), &one);
    assert!(!nobody.await.unwrap(), "no such account");
    assert!(read(AccountId::generate()).await.is_empty());
}
