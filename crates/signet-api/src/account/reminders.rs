//! The account's reminder schedule on the wire: `null` (no scheduled reminders; the default) or
//! `{"first_after_days": 3, "every_days": 7, "max": 5}`.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use signet_core::CoreError;
use signet_core::model::{MAX_REMINDER_DAYS, MAX_REMINDERS, ReminderSchedule};
use utoipa::ToSchema;

/// When the pending e-mail signers of the account's envelopes get a reminder (the invitation
/// again, with their current link): `first_after_days` after their turn began (the send, or
/// their turn in a sequential order), then every `every_days`, at most `max` times, until they
/// sign or decline or the envelope is no longer in progress.
#[derive(Serialize, ToSchema)]
pub struct RemindersJson {
    /// Days (1 to 365) from the start of the signer's turn to the first reminder.
    pub first_after_days: u32,
    /// Days (1 to 365) between reminders.
    pub every_days: u32,
    /// The most reminders (1 to 50) a signer gets in one turn.
    pub max: u32,
}

impl From<ReminderSchedule> for RemindersJson {
    fn from(s: ReminderSchedule) -> Self {
        Self {
            first_after_days: s.first_after_days(),
            every_days: s.every_days(),
            max: s.max(),
        }
    }
}

/// Tells `"reminders": null` (`Some(None)`) from an absent field (`None`).
pub fn present_reminders<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<Value>>, D::Error> {
    Option::<Value>::deserialize(d).map(Some)
}

/// Reads the requested schedule (`None`: off); anything else is 422 `invalid_reminders`.
pub fn parse_reminders(value: Option<Value>) -> Result<Option<ReminderSchedule>, CoreError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let number = |map: &serde_json::Map<String, Value>, name: &str| {
        map.get(name)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    let schedule = match &value {
        Value::Object(map) if map.len() == 3 => {
            let first = number(map, "first_after_days");
            let every = number(map, "every_days");
            let max = number(map, "max");
            first
                .zip(every)
                .zip(max)
                .and_then(|((first, every), max)| ReminderSchedule::new(first, every, max))
        }
        _ => None,
    };
    schedule.map(Some).ok_or_else(|| {
        CoreError::invalid(
            "invalid_reminders",
            format!(
                "reminders must be null or {{\"first_after_days\": N, \"every_days\": N, \
                 \"max\": N}} with days from 1 to {MAX_REMINDER_DAYS} and max from 1 to \
                 {MAX_REMINDERS}"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_schedule_or_null_parses_and_anything_else_is_refused() {
        assert_eq!(parse_reminders(None).unwrap(), None);
        assert_eq!(
            parse_reminders(Some(
                json!({"first_after_days": 3, "every_days": 7, "max": 5})
            ))
            .unwrap(),
            ReminderSchedule::new(3, 7, 5)
        );
        for bad in [
            json!({"first_after_days": 0, "every_days": 7, "max": 5}),
            json!({"first_after_days": 3, "every_days": 366, "max": 5}),
            json!({"first_after_days": 3, "every_days": 7, "max": 0}),
            json!({"first_after_days": 3, "every_days": 7, "max": 51}),
            json!({"first_after_days": -3, "every_days": 7, "max": 5}),
            json!({"first_after_days": 1.5, "every_days": 7, "max": 5}),
            json!({"first_after_days": "3", "every_days": 7, "max": 5}),
            json!({"first_after_days": 3, "every_days": 7}),
            json!({"first_after_days": 3, "every_days": 7, "max": 5, "extra": 1}),
            json!({"first_after_days": 3, "every_days": 7, "maximum": 5}),
            json!({}),
            json!("weekly"),
            json!(3),
            json!([3, 7, 5]),
        ] {
            let err = parse_reminders(Some(bad.clone())).unwrap_err();
            assert_eq!(err.code(), "invalid_reminders", "{bad}");
        }
    }
}
