//! Extending the signing term of an envelope that is out for signing (or whose term lapsed):
//! the new term runs from the current expiry when that is still ahead, else from now. The
//! history of terms is kept as `term_extended` audit events.

use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::CoreError;
use crate::id::EnvelopeId;
use crate::model::{EnvelopeRecord, EnvelopeStatus, EventKind};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::expiry::schedule_expiry;

/// A length of time in calendar units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermLength {
    /// Days.
    Days(u32),
    /// Weeks.
    Weeks(u32),
    /// Calendar months (the day clamped to the month's last day).
    Months(u32),
}

impl TermLength {
    /// `from` plus this length.
    pub fn after(self, from: OffsetDateTime) -> OffsetDateTime {
        match self {
            Self::Days(n) => from + Duration::days(i64::from(n)),
            Self::Weeks(n) => from + Duration::weeks(i64::from(n)),
            Self::Months(n) => {
                let date = from.date();
                let months = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + n as i32;
                let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
                let month = time::Month::try_from(month as u8).unwrap_or(time::Month::December);
                let day = date.day().min(month.length(year));
                match time::Date::from_calendar_date(year, month, day) {
                    Ok(date) => from.replace_date(date),
                    Err(_) => from + Duration::days(30 * i64::from(n)),
                }
            }
        }
    }
}

impl Signet {
    /// Extends the term of a sent envelope by `length` (from the current expiry if it is still
    /// ahead, else from now); an envelope whose term had lapsed is open for signing again.
    /// `label` is the client's name for the term (recorded). 409 `not_in_progress` for drafts
    /// and finished envelopes.
    pub async fn extend_term(
        &self,
        who: &Principal,
        id: EnvelopeId,
        length: TermLength,
        label: &str,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        retrying(|| self.extend_term_once(who, id, length, label, client)).await
    }

    async fn extend_term_once(
        &self,
        who: &Principal,
        id: EnvelopeId,
        length: TermLength,
        label: &str,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        let record = self.load_visible(who, id).await?;
        let status = record.envelope.status;
        if !matches!(status, EnvelopeStatus::InProgress | EnvelopeStatus::Expired) {
            return Err(CoreError::conflict(
                "not_in_progress",
                "only a sent envelope that is not finished can have its term extended",
            ));
        }
        let mut change = Mutation::of(record, self.now());
        let now = change.now;
        let previous = change.record.envelope.expires_at;
        let base = previous.filter(|at| *at > now).unwrap_or(now);
        let expires_at = crate::time::storable(length.after(base));
        change.record.envelope.expires_at = Some(expires_at);
        change.record.envelope.status = EnvelopeStatus::InProgress;
        change.record.envelope.finished_at = None;
        // An expired envelope has no expiry job left; one still out for signing finds the
        // new time from its old job too, and the dedupe key makes the two one.
        schedule_expiry(&mut change);
        change.event(
            EventKind::TermExtended,
            who.actor(),
            client,
            json!({
                "term": label,
                "previous_expires_at": previous.map(rfc3339),
                "expires_at": rfc3339(expires_at),
            }),
        );
        crate::usecase::notify::notify_parties(&mut change, crate::model::NoticeKind::TermExtended);
        self.commit(change).await
    }
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn months_are_calendar_months_clamped_to_the_last_day() {
        let jan31 = datetime!(2027-01-31 10:00 UTC);
        assert_eq!(
            TermLength::Months(1).after(jan31),
            datetime!(2027-02-28 10:00 UTC)
        );
        assert_eq!(
            TermLength::Months(12).after(jan31),
            datetime!(2028-01-31 10:00 UTC)
        );
        assert_eq!(
            TermLength::Weeks(2).after(jan31),
            datetime!(2027-02-14 10:00 UTC)
        );
        assert_eq!(
            TermLength::Days(1).after(jan31),
            datetime!(2027-02-01 10:00 UTC)
        );
    }
}
