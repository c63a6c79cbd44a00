//! An account's reminder schedule: the first reminder some days after a signer's turn began,
//! then one every so many days, at most so many in all. The date math is here, free of
//! storage and jobs, so it can be tested on its own.

use time::{Duration, OffsetDateTime};

/// The longest gap, in days, a schedule may name (its first reminder or its interval).
pub const MAX_REMINDER_DAYS: u32 = 365;

/// The most reminders a schedule may send one signer in one turn.
pub const MAX_REMINDERS: u32 = 50;

/// When the pending e-mail signers of an account's envelopes are reminded, counted from when
/// their turn began (the send, or their turn in a sequential order). No schedule (the
/// default) sends none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReminderSchedule {
    first_after_days: u32,
    every_days: u32,
    max: u32,
}

impl ReminderSchedule {
    /// A schedule; `None` unless both gaps are 1 to [`MAX_REMINDER_DAYS`] days and `max` is
    /// 1 to [`MAX_REMINDERS`].
    pub fn new(first_after_days: u32, every_days: u32, max: u32) -> Option<Self> {
        let days = 1..=MAX_REMINDER_DAYS;
        (days.contains(&first_after_days)
            && days.contains(&every_days)
            && (1..=MAX_REMINDERS).contains(&max))
        .then_some(Self {
            first_after_days,
            every_days,
            max,
        })
    }

    /// Days from the start of the turn to the first reminder.
    pub fn first_after_days(self) -> u32 {
        self.first_after_days
    }

    /// Days between one reminder and the next.
    pub fn every_days(self) -> u32 {
        self.every_days
    }

    /// How many reminders one turn gets at most.
    pub fn max(self) -> u32 {
        self.max
    }

    /// When reminder `number` (1 is the first) of a turn that began at `turn_started` is due.
    pub fn due_at(self, turn_started: OffsetDateTime, number: u32) -> OffsetDateTime {
        let later = i64::from(number.saturating_sub(1)) * i64::from(self.every_days);
        turn_started + Duration::days(i64::from(self.first_after_days) + later)
    }

    /// The stored form: `first,every,max` (days, days, count).
    pub fn to_stored(self) -> String {
        format!("{},{},{}", self.first_after_days, self.every_days, self.max)
    }

    /// Parses the stored form; `None` for anything else (including values out of range).
    pub fn from_stored(text: &str) -> Option<Self> {
        let mut parts = text.split(',').map(|p| p.parse::<u32>().ok());
        let (first, every, max) = (parts.next()??, parts.next()??, parts.next()??);
        if parts.next().is_some() {
            return None;
        }
        Self::new(first, every, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn reminders_fall_after_the_first_gap_then_at_every_interval() {
        let schedule = ReminderSchedule::new(3, 7, 4).unwrap();
        let start = datetime!(2027-03-01 09:30 UTC);
        assert_eq!(schedule.due_at(start, 1), datetime!(2027-03-04 09:30 UTC));
        assert_eq!(schedule.due_at(start, 2), datetime!(2027-03-11 09:30 UTC));
        assert_eq!(schedule.due_at(start, 3), datetime!(2027-03-18 09:30 UTC));
    }

    #[test]
    fn the_stored_form_round_trips_and_out_of_range_values_are_refused() {
        let schedule = ReminderSchedule::new(3, 7, 5).unwrap();
        assert_eq!(schedule.to_stored(), "3,7,5");
        assert_eq!(ReminderSchedule::from_stored("3,7,5"), Some(schedule));
        for bad in [
            "", "3,7", "3,7,5,1", "0,7,5", "3,0,5", "3,7,0", "366,7,5", "3,7,51", "a,b,c",
        ] {
            assert_eq!(ReminderSchedule::from_stored(bad), None, "{bad}");
        }
        assert!(ReminderSchedule::new(365, 365, 50).is_some());
    }
}
