//! Scheduled reminders: the account setting round-trips per account and clears.

use signet_core::model::ReminderSchedule;

use crate::fixture::*;
use crate::harness::{TestDb, conformance};

conformance!(reminder_schedule_round_trips_per_account);

async fn reminder_schedule_round_trips_per_account(db: &TestDb) {
    let store = &*db.store;
    let (a, b) = (create_tenant(store).await, create_tenant(store).await);
    assert_eq!(store.account_reminders(a.account.id).await.unwrap(), None);
    let schedule = ReminderSchedule::new(3, 7, 5).unwrap();
    assert!(
        store
            .set_account_reminders(a.account.id, Some(schedule))
            .await
            .unwrap()
    );
    assert_eq!(
        store.account_reminders(a.account.id).await.unwrap(),
        Some(schedule)
    );
    assert_eq!(store.account_reminders(b.account.id).await.unwrap(), None);
    assert!(
        store
            .set_account_reminders(a.account.id, None)
            .await
            .unwrap()
    );
    assert_eq!(store.account_reminders(a.account.id).await.unwrap(), None);
    let missing = signet_core::id::AccountId::generate();
    assert!(!store.set_account_reminders(missing, None).await.unwrap());
}
