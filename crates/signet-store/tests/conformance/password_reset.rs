//! Password resets: lookup by login address and token hash, a newer reset revoking older
//! ones, and using a reset exactly once, even under concurrent use.

use std::sync::Arc;

use signet_core::id::{JobId, PasswordResetId};
use signet_core::model::{JobPayload, NewJob, PasswordReset, ResetState};
use signet_core::port::Store;

use crate::fixture::{Tenant, create_tenant, later, now, random_hash};
use crate::harness::{TestDb, conformance};

conformance!(
    a_user_is_found_by_address_case_insensitively,
    a_reset_round_trips_with_its_job_and_is_scoped,
    a_newer_reset_revokes_the_open_older_one,
    a_reset_is_used_once_and_sets_the_password,
    an_expired_reset_cannot_be_used,
    concurrent_uses_of_one_reset_only_one_wins,
);

fn reset(t: &Tenant) -> PasswordReset {
    PasswordReset {
        id: PasswordResetId::generate(),
        account_id: t.account.id,
        user_id: t.owner.id,
        nonce: random_hash(),
        token_hash: random_hash(),
        created_at: now(),
        expires_at: later(3600),
        used_at: None,
        revoked_at: None,
    }
}

fn job(r: &PasswordReset) -> NewJob {
    NewJob {
        id: JobId::generate(),
        payload: JobPayload::SendPasswordReset {
            account_id: r.account_id,
            user_id: r.user_id,
            reset_id: r.id,
        },
        run_at: r.created_at,
        max_attempts: 3,
        dedupe_key: Some(format!("password-reset:{}", r.id)),
    }
}

async fn created(store: &dyn Store, t: &Tenant) -> PasswordReset {
    let r = reset(t);
    store.create_password_reset(&r, &job(&r)).await.unwrap();
    r
}

async fn a_user_is_found_by_address_case_insensitively(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let found = store
        .user_by_email(&format!("  {}", t.owner.email.to_uppercase()))
        .await
        .unwrap();
    assert_eq!(found, Some(t.owner.clone()));
    assert_eq!(
        store.user_by_email("nobody@example.com").await.unwrap(),
        None
    );
}

async fn a_reset_round_trips_with_its_job_and_is_scoped(db: &TestDb) {
    let store = &*db.store;
    let (t, other) = (create_tenant(store).await, create_tenant(store).await);
    let r = created(store, &t).await;
    assert_eq!(
        store.password_reset(t.account.id, r.id).await.unwrap(),
        Some(r.clone())
    );
    assert_eq!(
        store.password_reset(other.account.id, r.id).await.unwrap(),
        None,
        "another account's reset is not found"
    );
    assert_eq!(
        store.password_reset_by_token(&r.token_hash).await.unwrap(),
        Some(r.clone())
    );
    assert_eq!(
        store.password_reset_by_token(&random_hash()).await.unwrap(),
        None
    );
    let jobs = store.list_jobs(None, 10).await.unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].payload, job(&r).payload);
}

async fn a_newer_reset_revokes_the_open_older_one(db: &TestDb) {
    let store = &*db.store;
    let (t, other) = (create_tenant(store).await, create_tenant(store).await);
    let first = created(store, &t).await;
    let elsewhere = created(store, &other).await;
    let mut second = reset(&t);
    second.created_at = later(60);
    store
        .create_password_reset(&second, &job(&second))
        .await
        .unwrap();
    let first = store
        .password_reset(t.account.id, first.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.revoked_at, Some(later(60)));
    assert_eq!(first.state(later(61)), ResetState::Replaced);
    let open = |id| async move { store.password_reset(t.account.id, id).await.unwrap() };
    assert_eq!(open(second.id).await.unwrap().revoked_at, None);
    let elsewhere = store
        .password_reset(other.account.id, elsewhere.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(elsewhere.revoked_at, None, "other users' resets stay open");
    assert!(
        !store
            .use_password_reset(&first, "$argon2id$other", later(62))
            .await
            .unwrap(),
        "a revoked reset cannot be used"
    );
}

async fn a_reset_is_used_once_and_sets_the_password(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let r = created(store, &t).await;
    assert!(
        store
            .use_password_reset(&r, "$argon2id$new", later(10))
            .await
            .unwrap()
    );
    let user = store.user(t.account.id, t.owner.id).await.unwrap().unwrap();
    assert_eq!(user.password_hash, "$argon2id$new");
    let used = store
        .password_reset(t.account.id, r.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(used.used_at, Some(later(10)));
    assert!(
        !store
            .use_password_reset(&r, "$argon2id$again", later(11))
            .await
            .unwrap(),
        "a used reset cannot be used again"
    );
    let user = store.user(t.account.id, t.owner.id).await.unwrap().unwrap();
    assert_eq!(user.password_hash, "$argon2id$new");
}

async fn an_expired_reset_cannot_be_used(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let r = created(store, &t).await;
    assert!(
        !store
            .use_password_reset(&r, "$argon2id$late", r.expires_at)
            .await
            .unwrap()
    );
    let user = store.user(t.account.id, t.owner.id).await.unwrap().unwrap();
    assert_eq!(user.password_hash, t.owner.password_hash);
}

async fn concurrent_uses_of_one_reset_only_one_wins(db: &TestDb) {
    let t = create_tenant(&*db.store).await;
    let stores: [Arc<dyn Store>; 2] = [db.store.clone(), db.another().await];
    for round in 0..5 {
        let r = created(&*db.store, &t).await;
        let tasks: Vec<_> = (0..4)
            .map(|i| {
                let (store, r) = (stores[i % 2].clone(), r.clone());
                tokio::spawn(async move {
                    let hash = format!("$argon2id${round}-{i}");
                    let won = store.use_password_reset(&r, &hash, later(5)).await.unwrap();
                    (won, hash)
                })
            })
            .collect();
        let mut winners = Vec::new();
        for task in tasks {
            let (won, hash) = task.await.unwrap();
            if won {
                winners.push(hash);
            }
        }
        assert_eq!(winners.len(), 1, "exactly one use wins: {winners:?}");
        let user = db
            .store
            .user(t.account.id, t.owner.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user.password_hash, winners[0]);
    }
}
