//! Listing envelopes: newest first, filters, cursor pages without gaps or duplicates.

use signet_core::id::EnvelopeId;
use signet_core::model::EnvelopeStatus;
use signet_core::port::EnvelopeFilter;

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    listing_is_newest_first_and_pages_cover_everything_once,
    listing_filters_by_any_of_several_statuses_and_by_having_been_sent,
);

async fn listing_is_newest_first_and_pages_cover_everything_once(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let other = create_tenant(store).await;
    let mut live = Vec::new();
    for i in 0..11 {
        let status = if i % 3 == 0 {
            EnvelopeStatus::InProgress
        } else {
            EnvelopeStatus::Draft
        };
        let deleted = i == 4;
        let e = create_envelope(store, &t, |e| {
            e.status = status;
            e.deleted_at = deleted.then(|| later(5));
        })
        .await;
        if !deleted {
            live.push(e);
        }
        create_envelope(store, &other, |_| {}).await;
    }
    let newest_first: Vec<EnvelopeId> = live.iter().rev().map(|e| e.id).collect();

    let all = store
        .list_envelopes(t.account.id, &EnvelopeFilter::default(), None, 100)
        .await
        .unwrap();
    assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), newest_first);
    assert_eq!(all[0], *live.last().unwrap());

    // Pages of 3, each starting strictly after the previous page's last id.
    let mut paged = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .list_envelopes(t.account.id, &EnvelopeFilter::default(), cursor, 3)
            .await
            .unwrap();
        assert!(page.len() <= 3);
        let Some(last) = page.last() else { break };
        cursor = Some(last.id);
        paged.extend(page.iter().map(|e| e.id));
    }
    assert_eq!(
        paged, newest_first,
        "pages cover every envelope once, in order"
    );

    let in_progress = EnvelopeFilter {
        status: Some(EnvelopeStatus::InProgress),
        ..Default::default()
    };
    let found = store
        .list_envelopes(t.account.id, &in_progress, None, 100)
        .await
        .unwrap();
    let expected: Vec<EnvelopeId> = live
        .iter()
        .rev()
        .filter(|e| e.status == EnvelopeStatus::InProgress)
        .map(|e| e.id)
        .collect();
    assert_eq!(found.iter().map(|e| e.id).collect::<Vec<_>>(), expected);
    assert_eq!(expected.len(), 4);

    let page = store
        .list_envelopes(t.account.id, &in_progress, Some(expected[1]), 1)
        .await
        .unwrap();
    assert_eq!(
        page.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![expected[2]]
    );
    assert!(
        store
            .list_envelopes(t.account.id, &EnvelopeFilter::default(), None, 0)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn listing_filters_by_any_of_several_statuses_and_by_having_been_sent(db: &TestDb) {
    let store = &*db.store;
    let t = create_tenant(store).await;
    let mut made = Vec::new();
    for (status, sent) in [
        (EnvelopeStatus::Draft, false),
        (EnvelopeStatus::Canceled, false),
        (EnvelopeStatus::InProgress, true),
        (EnvelopeStatus::Completed, true),
        (EnvelopeStatus::Canceled, true),
        (EnvelopeStatus::Sealing, true),
    ] {
        let e = create_envelope(store, &t, |e| {
            e.status = status;
            e.sent_at = sent.then(|| later(1));
        })
        .await;
        made.push(e);
    }
    let ids = |filter: EnvelopeFilter| {
        let account = t.account.id;
        async move {
            let found = store
                .list_envelopes(account, &filter, None, 100)
                .await
                .unwrap();
            found.iter().map(|e| e.id).collect::<Vec<_>>()
        }
    };
    let of = |picked: &[usize]| picked.iter().rev().map(|&i| made[i].id).collect::<Vec<_>>();
    let signed = EnvelopeFilter {
        statuses: vec![EnvelopeStatus::Completed, EnvelopeStatus::Sealing],
        ..Default::default()
    };
    assert_eq!(ids(signed).await, of(&[3, 5]));
    let canceled_after_sending = EnvelopeFilter {
        statuses: vec![EnvelopeStatus::Canceled, EnvelopeStatus::Canceled],
        sent: Some(true),
        ..Default::default()
    };
    assert_eq!(ids(canceled_after_sending).await, of(&[4]));
    let never_sent = EnvelopeFilter {
        sent: Some(false),
        ..Default::default()
    };
    assert_eq!(ids(never_sent).await, of(&[0, 1]));
    let all_seven = EnvelopeFilter {
        statuses: EnvelopeStatus::ALL.to_vec(),
        ..Default::default()
    };
    assert_eq!(ids(all_seven).await, of(&[0, 1, 2, 3, 4, 5]));
}
