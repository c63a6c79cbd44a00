//! Users and credentials of an account: created, listed by kind and user, revoked once,
//! disabled unless the last active owner, and never reached through another account.

use signet_core::id::{ApiKeyId, UserId};
use signet_core::model::{ApiKey, KeyKind, User, UserRole};
use signet_core::port::StoreError;

use crate::fixture::{Tenant, create_tenant, later, now, unique};
use crate::harness::{TestDb, conformance};

conformance!(
    users_are_added_listed_and_scoped_by_account,
    credentials_are_listed_by_kind_and_user_and_revoked_once,
    the_last_active_owner_is_never_disabled,
    concurrent_disables_leave_an_active_owner,
);

fn user(t: &Tenant, role: UserRole) -> User {
    User {
        id: UserId::generate(),
        email: format!("{}@example.com", unique("user-")),
        role,
        ..t.owner.clone()
    }
}

fn key(t: &Tenant, user: &User, kind: KeyKind) -> ApiKey {
    ApiKey {
        id: ApiKeyId::generate(),
        user_id: user.id,
        kind,
        lookup_id: unique("lk"),
        created_at: later(1),
        ..t.key.clone()
    }
}

async fn users_are_added_listed_and_scoped_by_account(db: &TestDb) {
    let store = &*db.store;
    let (t, other) = (create_tenant(store).await, create_tenant(store).await);
    let member = User {
        created_at: later(1),
        ..user(&t, UserRole::Member)
    };
    store.create_user(&member).await.unwrap();
    assert_eq!(
        store.list_users(t.account.id).await.unwrap(),
        vec![t.owner.clone(), member.clone()]
    );
    assert_eq!(
        store.list_users(other.account.id).await.unwrap(),
        vec![other.owner.clone()]
    );
    let taken = User {
        email: member.email.to_uppercase(),
        ..user(&t, UserRole::Member)
    };
    let err = store.create_user(&taken).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Duplicate(w) if w == "email"),
        "{err:?}"
    );
    assert!(
        !store
            .disable_user(other.account.id, member.id, now())
            .await
            .unwrap(),
        "not through another account"
    );
    assert_eq!(
        store.user(t.account.id, member.id).await.unwrap(),
        Some(member)
    );
}

async fn credentials_are_listed_by_kind_and_user_and_revoked_once(db: &TestDb) {
    let store = &*db.store;
    let (t, other) = (create_tenant(store).await, create_tenant(store).await);
    let member = user(&t, UserRole::Member);
    store.create_user(&member).await.unwrap();
    let api = key(&t, &t.owner, KeyKind::ApiKey);
    let pat = key(&t, &member, KeyKind::Personal);
    store.create_api_key(&api).await.unwrap();
    store.create_api_key(&pat).await.unwrap();
    let list = |kind, user| async move {
        let keys = store.list_api_keys(t.account.id, kind, user).await.unwrap();
        keys.into_iter().map(|k| k.id).collect::<Vec<_>>()
    };
    assert_eq!(list(KeyKind::ApiKey, None).await, vec![api.id]);
    assert_eq!(list(KeyKind::Personal, None).await, vec![t.key.id, pat.id]);
    assert_eq!(list(KeyKind::Personal, Some(member.id)).await, vec![pat.id]);
    assert_eq!(
        store.api_key(t.account.id, pat.id).await.unwrap(),
        Some(pat.clone())
    );
    assert_eq!(store.api_key(other.account.id, pat.id).await.unwrap(), None);

    assert!(
        !store
            .revoke_api_key(other.account.id, pat.id, later(5))
            .await
            .unwrap()
    );
    assert!(
        store
            .revoke_api_key(t.account.id, pat.id, later(5))
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_api_key(t.account.id, pat.id, later(9))
            .await
            .unwrap()
    );
    let revoked = store.api_key(t.account.id, pat.id).await.unwrap().unwrap();
    assert_eq!(
        revoked.revoked_at,
        Some(later(5)),
        "the first revocation stays"
    );
}

async fn the_last_active_owner_is_never_disabled(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    assert!(
        !store
            .disable_user(t.account.id, t.owner.id, now())
            .await
            .unwrap()
    );
    let second = user(&t, UserRole::Owner);
    store.create_user(&second).await.unwrap();
    assert!(
        store
            .disable_user(t.account.id, t.owner.id, later(1))
            .await
            .unwrap()
    );
    assert!(
        !store
            .disable_user(t.account.id, t.owner.id, later(2))
            .await
            .unwrap(),
        "once"
    );
    assert!(
        !store
            .disable_user(t.account.id, second.id, later(3))
            .await
            .unwrap()
    );
    let owner = store.user(t.account.id, t.owner.id).await.unwrap().unwrap();
    assert_eq!(owner.disabled_at, Some(later(1)));
}

async fn concurrent_disables_leave_an_active_owner(db: &TestDb) {
    // Two store instances (like two processes) disable the account's two owners at once.
    let (a, b) = (db.store.clone(), db.another().await);
    for _ in 0..5 {
        let t = create_tenant(a.as_ref()).await;
        let second = user(&t, UserRole::Owner);
        a.create_user(&second).await.unwrap();
        let account = t.account.id;
        let first = t.owner.id;
        let (x, y) = tokio::join!(
            a.disable_user(account, first, now()),
            b.disable_user(account, second.id, now()),
        );
        assert!(x.unwrap() ^ y.unwrap(), "exactly one of them is disabled");
        let active = a.list_users(account).await.unwrap();
        assert_eq!(active.iter().filter(|u| u.disabled_at.is_none()).count(), 1);
    }
}
