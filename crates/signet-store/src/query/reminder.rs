//! Scheduled reminders: the account setting (`accounts.reminders`, `first,every,max`). The
//! reminders themselves are jobs, written with the envelope change that starts a signer's turn.

use signet_core::id::AccountId;
use signet_core::model::ReminderSchedule;
use signet_core::port::StoreError;

use crate::engine::Engine;
use crate::param::params;

/// See [`signet_core::port::Store::account_reminders`].
pub(crate) async fn account_reminders(
    engine: &dyn Engine,
    account: AccountId,
) -> Result<Option<ReminderSchedule>, StoreError> {
    let stored = engine
        .first(
            "SELECT reminders FROM accounts WHERE id = $1",
            params![account],
            |row| row.text("reminders"),
        )
        .await?;
    stored
        .flatten()
        .map(|text| {
            ReminderSchedule::from_stored(&text)
                .ok_or_else(|| StoreError::Corrupt(format!("accounts.reminders holds {text:?}")))
        })
        .transpose()
}

/// See [`signet_core::port::Store::set_account_reminders`].
pub(crate) async fn set_account_reminders(
    engine: &dyn Engine,
    account: AccountId,
    schedule: Option<ReminderSchedule>,
) -> Result<bool, StoreError> {
    let changed = engine
        .execute(
            "UPDATE accounts SET reminders = $2 WHERE id = $1",
            params![account, schedule.map(ReminderSchedule::to_stored)],
        )
        .await?;
    Ok(changed == 1)
}
