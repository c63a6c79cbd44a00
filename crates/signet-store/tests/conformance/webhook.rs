//! Webhook endpoints (scoped by account) and the fan-out: an envelope change's webhook message
//! becomes, in its transaction, one delivery and one `deliver_webhook` job per enabled endpoint
//! of that account subscribed to the type, and nothing at all for other accounts or types.

use signet_core::id::{WebhookDeliveryId, WebhookEndpointId};
use signet_core::model::{
    DeliveryStatus, JobPayload, JobStatus, Subscription, WebhookAttempt, WebhookEndpoint,
    WebhookMessage,
};

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(
    webhook_messages_fan_out_to_subscribed_enabled_endpoints_of_the_account_only,
    webhook_endpoints_and_attempts_stay_in_their_account,
);

fn endpoint(t: &Tenant, subscription: Subscription, enabled: bool) -> WebhookEndpoint {
    WebhookEndpoint {
        id: WebhookEndpointId::generate(),
        account_id: t.account.id,
        url: "https://receiver.example/hook".into(),
        description: String::new(),
        enabled,
        subscription,
        secret_sealed: vec![1, 2, 3],
        previous_secret_sealed: None,
        previous_secret_until: None,
        disabled_reason: None,
        created_at: now(),
        updated_at: now(),
    }
}

fn message(event_type: &'static str) -> WebhookMessage {
    WebhookMessage {
        event_type,
        payload: format!(r#"{{"type":"{event_type}"}}"#),
        at: now(),
    }
}

async fn webhook_messages_fan_out_to_subscribed_enabled_endpoints_of_the_account_only(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    let all = endpoint(&a, Subscription::All, true);
    let signed_only = endpoint(&a, Subscription::Only(vec!["envelope.signed".into()]), true);
    let off = endpoint(&a, Subscription::All, false);
    let other = endpoint(&b, Subscription::All, true);
    for e in [&all, &signed_only, &off, &other] {
        store.create_webhook_endpoint(e).await.unwrap();
    }
    let envelope = create_envelope(store, &a, |_| {}).await;
    let (_, mut change) = next_version(&envelope);
    change.webhooks = vec![message("envelope.sent"), message("envelope.signed")];
    store.save_envelope(&change).await.unwrap();

    let count = |id| async move {
        store
            .webhook_deliveries(a.account.id, id, 10)
            .await
            .unwrap()
    };
    let to_all = count(all.id).await;
    assert_eq!(to_all.len(), 2, "both types to the catch-all endpoint");
    assert_eq!(count(signed_only.id).await.len(), 1);
    assert_eq!(count(signed_only.id).await[0].event_type, "envelope.signed");
    assert!(
        count(off.id).await.is_empty(),
        "disabled endpoints get nothing"
    );
    assert!(
        store
            .webhook_deliveries(b.account.id, other.id, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(to_all[0].status, DeliveryStatus::Pending);
    assert_eq!(to_all[0].envelope_id, envelope.id);

    // One job per delivery, carrying its id.
    let jobs = store
        .list_jobs(Some(JobStatus::Pending), 100)
        .await
        .unwrap();
    let mut delivered: Vec<WebhookDeliveryId> = jobs
        .iter()
        .filter_map(|j| match j.payload {
            JobPayload::DeliverWebhook {
                account_id,
                delivery_id,
            } => {
                assert_eq!(account_id, a.account.id);
                assert_eq!(j.max_attempts, signet_core::model::WEBHOOK_ATTEMPTS);
                Some(delivery_id)
            }
            _ => None,
        })
        .collect();
    delivered.sort();
    let mut made: Vec<WebhookDeliveryId> = to_all
        .iter()
        .chain(&count(signed_only.id).await)
        .map(|d| d.id)
        .collect();
    made.sort();
    assert_eq!(delivered, made);

    // An account without endpoints: the change commits, nothing is queued.
    let lonely = create_tenant(store).await;
    let quiet = create_envelope(store, &lonely, |_| {}).await;
    let (_, mut change) = next_version(&quiet);
    change.webhooks = vec![message("envelope.sent")];
    store.save_envelope(&change).await.unwrap();
    let after = store
        .list_jobs(Some(JobStatus::Pending), 100)
        .await
        .unwrap();
    assert_eq!(after.len(), jobs.len());
}

async fn webhook_endpoints_and_attempts_stay_in_their_account(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    let mut hook = endpoint(&a, Subscription::All, true);
    store.create_webhook_endpoint(&hook).await.unwrap();
    assert!(
        store
            .webhook_endpoint(b.account.id, hook.id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .webhook_endpoints(b.account.id)
            .await
            .unwrap()
            .is_empty()
    );
    hook.description = "changed".into();
    let mut foreign = hook.clone();
    foreign.account_id = b.account.id;
    assert!(!store.update_webhook_endpoint(&foreign).await.unwrap());
    assert!(store.update_webhook_endpoint(&hook).await.unwrap());
    assert_eq!(
        store.webhook_endpoint(a.account.id, hook.id).await.unwrap(),
        Some(hook.clone())
    );

    let envelope = create_envelope(store, &a, |_| {}).await;
    let (_, mut change) = next_version(&envelope);
    change.webhooks = vec![message("envelope.completed")];
    store.save_envelope(&change).await.unwrap();
    let delivery = store
        .webhook_deliveries(a.account.id, hook.id, 10)
        .await
        .unwrap()[0]
        .clone();
    assert!(
        store
            .webhook_delivery(b.account.id, delivery.id)
            .await
            .unwrap()
            .is_none()
    );
    let attempt = WebhookAttempt {
        delivery_id: delivery.id,
        account_id: a.account.id,
        attempted_at: later(5),
        status_code: Some(410),
        duration_ms: 12,
        error: Some("gone".into()),
    };
    store
        .record_webhook_attempt(&attempt, DeliveryStatus::Failed, Some("410"))
        .await
        .unwrap();
    assert_eq!(
        store
            .webhook_attempts(a.account.id, delivery.id)
            .await
            .unwrap(),
        vec![attempt]
    );
    assert!(
        store
            .webhook_attempts(b.account.id, delivery.id)
            .await
            .unwrap()
            .is_empty()
    );
    let stored = store
        .webhook_endpoint(a.account.id, hook.id)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.enabled);
    assert_eq!(stored.disabled_reason.as_deref(), Some("410"));
    let found = store
        .webhook_delivery(a.account.id, delivery.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.status, found.attempts, found.last_status_code),
        (DeliveryStatus::Failed, 1, Some(410))
    );

    assert!(
        !store
            .delete_webhook_endpoint(b.account.id, hook.id)
            .await
            .unwrap()
    );
    assert!(
        store
            .delete_webhook_endpoint(a.account.id, hook.id)
            .await
            .unwrap()
    );
    assert!(
        store
            .webhook_delivery(a.account.id, delivery.id)
            .await
            .unwrap()
            .is_none()
    );
}
