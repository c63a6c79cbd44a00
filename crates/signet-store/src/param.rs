//! Values bound to SQL parameters, independent of the backend: each backend turns a [`Param`]
//! into its own column type (ids are TEXT on SQLite and `uuid` on PostgreSQL, times are integer
//! microseconds on SQLite and `timestamptz` on PostgreSQL).

use signet_core::id::{
    AccountId, ApiKeyId, ContactId, DocumentId, EnvelopeId, FieldId, JobId, OAuthClientId,
    OAuthTokenId, PasswordResetId, SignerId, UserId, WebhookDeliveryId, WebhookEndpointId,
};
use signet_core::port::StoreError;
use signet_core::time::storable;
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;

/// One bound value. Every variant is nullable and typed, because PostgreSQL needs the type of a
/// NULL parameter too.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Param {
    /// A UUID (all ids).
    Id(Option<Uuid>),
    /// Text.
    Text(Option<String>),
    /// A 64-bit integer (every integer column is 64 bits wide on both backends).
    Int(Option<i64>),
    /// A 32-bit float (rectangles).
    Real(Option<f32>),
    /// Bytes (hashes, sealed secrets).
    Bytes(Option<Vec<u8>>),
    /// A boolean.
    Bool(Option<bool>),
    /// A UTC timestamp with microsecond precision.
    Time(Option<OffsetDateTime>),
}

/// Builds a `Vec<Param>` from values that convert into [`Param`].
macro_rules! params {
    ($($value:expr),* $(,)?) => { vec![$($crate::param::Param::from($value)),*] };
}
pub(crate) use params;

macro_rules! from_id {
    ($($id:ty),*) => {$(
        impl From<$id> for Param {
            fn from(id: $id) -> Self { Param::Id(Some(id.as_uuid())) }
        }
        impl From<Option<$id>> for Param {
            fn from(id: Option<$id>) -> Self { Param::Id(id.map(|id| id.as_uuid())) }
        }
    )*};
}
from_id!(
    AccountId,
    ApiKeyId,
    ContactId,
    DocumentId,
    EnvelopeId,
    FieldId,
    JobId,
    PasswordResetId,
    OAuthClientId,
    OAuthTokenId,
    SignerId,
    UserId,
    WebhookDeliveryId,
    WebhookEndpointId
);

macro_rules! from_value {
    ($($variant:ident: $ty:ty => $conv:expr),* $(,)?) => {$(
        impl From<$ty> for Param {
            fn from(value: $ty) -> Self { Param::$variant(Some($conv(value))) }
        }
        impl From<Option<$ty>> for Param {
            fn from(value: Option<$ty>) -> Self { Param::$variant(value.map($conv)) }
        }
    )*};
}
from_value!(
    Id: Uuid => |v| v,
    Text: String => |v| v,
    Text: &str => str::to_owned,
    Text: &String => String::clone,
    Int: i64 => |v| v,
    Int: i32 => i64::from,
    Int: u32 => i64::from,
    Real: f32 => |v| v,
    Bytes: Vec<u8> => |v| v,
    Bytes: &[u8] => <[u8]>::to_vec,
    Bytes: [u8; 32] => |v: [u8; 32]| v.to_vec(),
    Bool: bool => |v| v,
    Time: OffsetDateTime => storable,
);

/// A byte size as a signed 64-bit column value.
pub(crate) fn size(bytes: u64) -> Result<i64, StoreError> {
    i64::try_from(bytes).map_err(|_| StoreError::Corrupt("a file size exceeds 2^63 bytes".into()))
}

/// Serializes a value stored as JSON text.
pub(crate) fn json<T: serde::Serialize + ?Sized>(
    value: &T,
    what: &str,
) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Corrupt(format!("{what} cannot be encoded: {e}")))
}

/// Refuses a timestamp that would not read back identically (not UTC, or finer than a
/// microsecond). Used where the value enters a hash, so silently truncating it would break the
/// audit chain; other timestamps are normalized with [`storable`] instead.
pub(crate) fn exact_time(at: OffsetDateTime) -> Result<OffsetDateTime, StoreError> {
    if at.offset() == UtcOffset::UTC && at.nanosecond().is_multiple_of(1_000) {
        Ok(at)
    } else {
        Err(StoreError::Corrupt(
            "an audit event time must be UTC with microsecond precision (time::storable)".into(),
        ))
    }
}

/// Integer microseconds since the Unix epoch: SQLite's time representation, which compares
/// correctly in SQL (`run_at <= $now`) and round-trips exactly.
pub(crate) fn unix_micros(at: OffsetDateTime) -> i64 {
    // Within i64 for every year `time` supports (±9999), so the cast cannot truncate.
    (storable(at).unix_timestamp_nanos() / 1_000) as i64
}

/// The inverse of [`unix_micros`].
pub(crate) fn from_unix_micros(micros: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .map_err(|_| StoreError::Corrupt(format!("timestamp {micros} is out of range")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn unix_micros_round_trip_exactly() {
        let t = datetime!(2026-11-23 10:00:00.123456 UTC);
        assert_eq!(from_unix_micros(unix_micros(t)).unwrap(), t);
        let before = datetime!(1969-12-31 23:59:59.999999 UTC);
        assert_eq!(from_unix_micros(unix_micros(before)).unwrap(), before);
    }

    #[test]
    fn times_are_normalized_to_storable_form() {
        let t = datetime!(2026-11-23 12:00:00.123456789 +02:00);
        assert_eq!(
            Param::from(t),
            Param::Time(Some(datetime!(2026-11-23 10:00:00.123456 UTC)))
        );
    }

    #[test]
    fn hashed_times_must_already_be_exact() {
        assert!(exact_time(datetime!(2026-11-23 10:00:00.123456 UTC)).is_ok());
        assert!(exact_time(datetime!(2026-11-23 10:00:00.1234567 UTC)).is_err());
        assert!(exact_time(datetime!(2026-11-23 12:00:00 +02:00)).is_err());
    }
}
