//! The audit trail: exact round trips, so the loaded chain verifies; append-only semantics.

use std::sync::Arc;

use serde_json::json;
use signet_core::id::{ApiKeyId, SignerId, UserId};
use signet_core::model::{Actor, AuditEvent, ChainHead, EventKind};
use signet_core::port::{EnvelopeChange, Store, StoreError};

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    loaded_events_equal_the_written_ones_and_verify,
    an_event_sequence_number_taken_is_a_version_conflict,
    an_event_that_breaks_the_chain_is_refused,
    concurrent_appenders_that_retry_build_one_valid_chain,
);

async fn loaded_events_equal_the_written_ones_and_verify(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let mut written = store.events(t.account.id, e.id).await.unwrap();
    let data = [
        json!({"z": 1, "a": [1, 2.5, -0.0, 1e-7, 0.1, 123_456_789.123_456_79], "m": {"y": null, "b": true}}),
        json!({"text": "ünïcode \u{1F58B} \"quoted\" \\ back\nslash", "big": 18446744073709551615u64}),
        json!({"min": i64::MIN, "float": 0.30000000000000004, "tiny": 5e-324, "huge": 1.7976931348623157e308}),
        // Arbitrary finite doubles: the text must parse back to the very same bits.
        json!({ "random": random_floats(300) }),
        json!("just a string"),
    ];
    let actors = [
        Actor::System,
        Actor::ApiKey {
            key_id: ApiKeyId::generate(),
            user_id: UserId::generate(),
        },
        Actor::Signer {
            signer_id: SignerId::generate(),
        },
    ];
    let mut envelope = e.clone();
    for (i, data) in data.into_iter().enumerate() {
        let head = written.last().map(|ev: &AuditEvent| ChainHead {
            seq: ev.seq,
            hash: ev.hash,
        });
        let mut ev = event(&envelope, head, EventKind::ConsentGiven, data);
        ev.actor = actors[i % actors.len()].clone();
        ev.user_agent = (i % 2 == 0).then(|| "Mozilla/5.0 (X11)".to_owned());
        ev.ip = (i % 2 == 1).then(|| "2001:db8::1".to_owned());
        ev.hash = ev.compute_hash();
        let (next, mut change) = next_version(&envelope);
        change.events = vec![ev.clone()];
        store.save_envelope(&change).await.unwrap();
        envelope = next;
        written.push(ev);
    }
    let loaded = store.events(t.account.id, e.id).await.unwrap();
    assert_eq!(loaded, written);
    let report = AuditEvent::verify_chain(&loaded);
    assert!(report.ok, "{report:?}");
    assert_eq!(report.events, 6);
    for ev in &loaded {
        assert_eq!(
            ev.compute_hash(),
            ev.hash,
            "event {} hashes as stored",
            ev.seq
        );
    }
    let record = store
        .load_envelope(t.account.id, e.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        record.chain_head,
        Some(ChainHead {
            seq: 6,
            hash: written[5].hash
        })
    );
}

async fn an_event_sequence_number_taken_is_a_version_conflict(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let head = store
        .load_envelope(t.account.id, e.id)
        .await
        .unwrap()
        .unwrap()
        .chain_head;
    let first = event(&e, head, EventKind::Viewed, json!({"by": "first"}));
    let second = event(&e, head, EventKind::Viewed, json!({"by": "second"}));
    assert_eq!(first.seq, second.seq);
    // Event-only changes (no envelope row) are scoped by the events themselves.
    store
        .save_envelope(&EnvelopeChange {
            events: vec![first.clone()],
            ..Default::default()
        })
        .await
        .unwrap();
    let err = store
        .save_envelope(&EnvelopeChange {
            events: vec![second],
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::VersionConflict), "{err:?}");
    let loaded = store.events(t.account.id, e.id).await.unwrap();
    assert_eq!(loaded.len(), 2);
    assert_eq!(loaded[1], first);
}

async fn an_event_that_breaks_the_chain_is_refused(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let e = create_envelope(store, &t, |_| {}).await;
    let head = store
        .load_envelope(t.account.id, e.id)
        .await
        .unwrap()
        .unwrap()
        .chain_head;
    let good = event(&e, head, EventKind::Viewed, json!({}));

    let mut wrong_link = good.clone();
    wrong_link.prev_hash = [1; 32];
    wrong_link.hash = wrong_link.compute_hash();
    let mut gap = event(
        &e,
        head.map(|h| ChainHead {
            seq: h.seq + 1,
            ..h
        }),
        EventKind::Viewed,
        json!({}),
    );
    gap.hash = gap.compute_hash();
    let mut tampered = good.clone();
    tampered.ip = Some("10.0.0.1".into());
    let mut nanos = good.clone();
    nanos.at += time::Duration::nanoseconds(1);
    nanos.hash = nanos.compute_hash();

    for (name, bad) in [
        ("wrong link", wrong_link),
        ("gap", gap),
        ("tampered", tampered),
        ("nanoseconds", nanos),
    ] {
        let (_, mut change) = next_version(&e);
        change.events = vec![bad];
        let result = store.save_envelope(&change).await;
        assert!(result.is_err(), "{name} must be refused");
        assert!(
            !matches!(result, Err(StoreError::VersionConflict)),
            "{name} is not a race"
        );
    }
    assert_eq!(store.events(t.account.id, e.id).await.unwrap().len(), 1);
    let (_, mut change) = next_version(&e);
    change.events = vec![good];
    store.save_envelope(&change).await.unwrap();
}

/// Writers on two store instances (separate connections, like two processes) append to one
/// chain, each reading the head and retrying when it loses: every loss must be a clean
/// `VersionConflict` (never a lock error), and the result is one chain with every event once.
async fn concurrent_appenders_that_retry_build_one_valid_chain(db: &TestDb) {
    const WRITERS: usize = 6;
    const EVENTS_EACH: usize = 5;
    let t = create_tenant(&*db.store).await;
    let e = create_envelope(&*db.store, &t, |_| {}).await;
    let stores: [Arc<dyn Store>; 2] = [db.store.clone(), db.another().await];
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let store = stores[w % 2].clone();
        let (account, envelope) = (t.account.id, e.clone());
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0;
            for n in 0..EVENTS_EACH {
                loop {
                    let head = store
                        .load_envelope(account, envelope.id)
                        .await
                        .unwrap()
                        .unwrap()
                        .chain_head;
                    let ev = event(
                        &envelope,
                        head,
                        EventKind::Viewed,
                        json!({ "writer": w, "n": n }),
                    );
                    match store
                        .save_envelope(&EnvelopeChange {
                            events: vec![ev],
                            ..Default::default()
                        })
                        .await
                    {
                        Ok(()) => break,
                        Err(StoreError::VersionConflict) => conflicts += 1,
                        Err(other) => {
                            panic!("writer {w} failed with {other:?} instead of a conflict")
                        }
                    }
                }
            }
            conflicts
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let loaded = db.store.events(t.account.id, e.id).await.unwrap();
    assert_eq!(loaded.len(), 1 + WRITERS * EVENTS_EACH);
    assert!(AuditEvent::verify_chain(&loaded).ok);
}

fn random_floats(n: usize) -> Vec<f64> {
    std::iter::repeat_with(|| f64::from_bits(uuid::Uuid::new_v4().as_u64_pair().0))
        .filter(|f| f.is_finite())
        .take(n)
        .collect()
}
