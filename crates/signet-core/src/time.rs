//! Time as the core sees it: a [`Clock`] port and helpers that keep timestamps storable.

pub use ::time::OffsetDateTime;
use ::time::format_description::well_known::Rfc3339;

/// The source of "now". Production uses the system clock; tests use a controllable one.
pub trait Clock: Send + Sync {
    /// The current instant, in UTC.
    fn now(&self) -> OffsetDateTime;
}

/// `now` truncated to whole microseconds in UTC: the precision every backend stores exactly,
/// so a timestamp read back is equal to the one written (the audit chain hashes them).
pub fn storable(now: OffsetDateTime) -> OffsetDateTime {
    let now = now.to_offset(::time::UtcOffset::UTC);
    let micros = now.microsecond();
    now.replace_nanosecond(micros * 1_000).unwrap_or(now)
}

/// RFC 3339 text with an explicit offset, the form used on the wire and in hashes.
pub fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::time::macros::datetime;

    #[test]
    fn storable_drops_nanoseconds_and_converts_to_utc() {
        let t = datetime!(2026-11-23 12:00:00.123456789 +02:00);
        let s = storable(t);
        assert_eq!(s.nanosecond(), 123_456_000);
        assert_eq!(s.offset(), ::time::UtcOffset::UTC);
        assert_eq!(rfc3339(s), "2026-11-23T10:00:00.123456Z");
    }
}
