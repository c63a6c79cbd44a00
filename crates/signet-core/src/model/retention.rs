//! Retention: how long an account keeps finished envelopes, and the tombstone a purged envelope
//! leaves behind. The date math is here, free of storage, so it can be tested on its own.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::id::{AccountId, EnvelopeId};
use crate::model::{EnvelopeStatus, text_enum};

/// When an account's completed, declined and expired envelopes are purged. No rule (the
/// default) keeps them forever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetentionRule {
    /// This many days after the envelope reached its final status.
    Days(u32),
    /// Stiply's rule: at the end of the month that follows one month after the final status
    /// (finished in January: purged when February ends, at 1 March 00:00 UTC).
    EndOfMonthAfterOneMonth,
}

/// The stored (and wire) name of [`RetentionRule::EndOfMonthAfterOneMonth`].
pub const END_OF_MONTH_AFTER_ONE_MONTH: &str = "end_of_month_after_one_month";

/// The longest period in days an account may set.
pub const MAX_RETENTION_DAYS: u32 = 36_500;

impl RetentionRule {
    /// The stored form: `days:N` or `end_of_month_after_one_month`.
    pub fn to_stored(self) -> String {
        match self {
            Self::Days(days) => format!("days:{days}"),
            Self::EndOfMonthAfterOneMonth => END_OF_MONTH_AFTER_ONE_MONTH.to_owned(),
        }
    }

    /// Parses the stored form; `None` for anything else (including days out of range).
    pub fn from_stored(text: &str) -> Option<Self> {
        if text == END_OF_MONTH_AFTER_ONE_MONTH {
            return Some(Self::EndOfMonthAfterOneMonth);
        }
        let days: u32 = text.strip_prefix("days:")?.parse().ok()?;
        (1..=MAX_RETENTION_DAYS)
            .contains(&days)
            .then_some(Self::Days(days))
    }

    /// When an envelope that reached its final status at `finished_at` is due for purging.
    pub fn purge_due_at(self, finished_at: OffsetDateTime) -> OffsetDateTime {
        match self {
            Self::Days(days) => finished_at + time::Duration::days(i64::from(days)),
            Self::EndOfMonthAfterOneMonth => {
                let month = month_start(finished_at.to_offset(UtcOffset::UTC));
                add_months(add_months(month, 1), 1)
            }
        }
    }

    /// The cut-off the store compares with: an envelope that finished strictly before it is
    /// due at `now` (`purge_due_at(finished_at) <= now`), one that finished at or after it is
    /// not.
    pub fn finished_before(self, now: OffsetDateTime) -> OffsetDateTime {
        match self {
            // finished + N days <= now  <=>  finished < now - N days + 1 µs.
            Self::Days(days) => {
                now - time::Duration::days(i64::from(days)) + time::Duration::microseconds(1)
            }
            // Due from the first instant of month M+2 on: finished before the first instant
            // of the month before now's month.
            Self::EndOfMonthAfterOneMonth => {
                add_months(month_start(now.to_offset(UtcOffset::UTC)), -1)
            }
        }
    }
}

/// The first instant (UTC) of `at`'s month.
fn month_start(at: OffsetDateTime) -> OffsetDateTime {
    first_of(at.year(), at.month())
}

/// The first instant of the month `months` after (or before) the month starting at `start`.
fn add_months(start: OffsetDateTime, months: i32) -> OffsetDateTime {
    let index = start.year() * 12 + i32::from(u8::from(start.month())) - 1 + months;
    let year = index.div_euclid(12);
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1))
        .unwrap_or(Month::January);
    first_of(year, month)
}

fn first_of(year: i32, month: Month) -> OffsetDateTime {
    let date = Date::from_calendar_date(year, month, 1).unwrap_or(Date::MIN);
    PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc()
}

/// Which file of a purged envelope a tombstone hash is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TombstoneFile {
    /// A document as uploaded (the PDF that was signed).
    Original,
    /// The DOC or DOCX a document was converted from.
    Source,
    /// A sealed document.
    Sealed,
    /// The proof document.
    Proof,
}
text_enum!(TombstoneFile {
    Original => "original", Source => "source", Sealed => "sealed", Proof => "proof",
});

/// One file hash a tombstone keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TombstoneHash {
    /// What the file was.
    pub file: TombstoneFile,
    /// The document's position in its envelope (0 for the proof).
    pub position: i32,
    /// SHA-256 of the file.
    pub sha256: [u8; 32],
}

/// What is left of an envelope purged under its account's retention rule: no names, no
/// addresses, no documents; only what lets a later verification say "sealed here, then".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tombstone {
    /// The purged envelope's id.
    pub envelope_id: EnvelopeId,
    /// Its account.
    pub account_id: AccountId,
    /// Completed, declined or expired.
    pub final_status: EnvelopeStatus,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it was sent.
    pub sent_at: Option<OffsetDateTime>,
    /// When it reached its final status.
    pub finished_at: Option<OffsetDateTime>,
    /// When it was sealed (completed envelopes only).
    pub sealed_at: Option<OffsetDateTime>,
    /// The hash of the last audit event (the head of the hash chain), if there were events.
    pub audit_head: Option<[u8; 32]>,
    /// How many audit events the chain had.
    pub audit_events: i64,
    /// When it was purged.
    pub purged_at: OffsetDateTime,
    /// The hashes of its documents (original, source, sealed) and proof.
    pub hashes: Vec<TombstoneHash>,
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const EOM: RetentionRule = RetentionRule::EndOfMonthAfterOneMonth;

    #[test]
    fn the_month_rule_purges_when_the_month_after_the_next_begins() {
        let cases = [
            (
                datetime!(2025-01-15 12:00 UTC),
                datetime!(2025-03-01 0:00 UTC),
            ),
            (
                datetime!(2025-01-31 23:59:59 UTC),
                datetime!(2025-03-01 0:00 UTC),
            ),
            (
                datetime!(2025-01-01 0:00 UTC),
                datetime!(2025-03-01 0:00 UTC),
            ),
            (
                datetime!(2024-12-31 23:59 UTC),
                datetime!(2025-02-01 0:00 UTC),
            ),
            (
                datetime!(2024-11-30 10:00 UTC),
                datetime!(2025-01-01 0:00 UTC),
            ),
            (
                datetime!(2024-12-01 0:00 UTC),
                datetime!(2025-02-01 0:00 UTC),
            ),
            (
                datetime!(2024-02-29 8:00 UTC),
                datetime!(2024-04-01 0:00 UTC),
            ),
            (
                datetime!(2025-08-31 22:00 UTC),
                datetime!(2025-10-01 0:00 UTC),
            ),
            // Another offset is read in UTC: 1 Feb 00:30 +02:00 is 31 Jan in UTC.
            (
                datetime!(2025-02-01 0:30 +02:00),
                datetime!(2025-03-01 0:00 UTC),
            ),
        ];
        for (finished, due) in cases {
            assert_eq!(EOM.purge_due_at(finished), due, "finished {finished}");
        }
    }

    #[test]
    fn the_days_rule_adds_whole_days() {
        let rule = RetentionRule::Days(30);
        let finished = datetime!(2024-12-15 9:30 UTC);
        assert_eq!(rule.purge_due_at(finished), datetime!(2025-01-14 9:30 UTC));
    }

    #[test]
    fn the_cutoff_agrees_with_the_due_date_on_both_sides_of_every_boundary() {
        let finished_times = [
            datetime!(2024-12-31 23:59:59.999999 UTC),
            datetime!(2025-01-01 0:00 UTC),
            datetime!(2025-01-31 12:00 UTC),
            datetime!(2025-02-28 23:59:59.999999 UTC),
            datetime!(2025-11-30 0:00 UTC),
            datetime!(2025-12-31 18:00 UTC),
        ];
        let micro = time::Duration::microseconds(1);
        for rule in [RetentionRule::Days(1), RetentionRule::Days(45), EOM] {
            for finished in finished_times {
                let due = rule.purge_due_at(finished);
                for now in [
                    due - micro,
                    due,
                    due + micro,
                    due + time::Duration::days(40),
                ] {
                    let by_cutoff = finished < rule.finished_before(now);
                    assert_eq!(
                        by_cutoff,
                        due <= now,
                        "{rule:?} finished {finished} now {now}"
                    );
                }
            }
        }
    }

    #[test]
    fn stored_forms_round_trip_and_junk_is_refused() {
        for rule in [
            RetentionRule::Days(1),
            RetentionRule::Days(MAX_RETENTION_DAYS),
            EOM,
        ] {
            assert_eq!(RetentionRule::from_stored(&rule.to_stored()), Some(rule));
        }
        for junk in [
            "",
            "days:",
            "days:0",
            "days:-1",
            "days:36501",
            "days:x",
            "eom",
        ] {
            assert_eq!(RetentionRule::from_stored(junk), None, "{junk}");
        }
    }
}
