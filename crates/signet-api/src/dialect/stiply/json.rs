//! Stiply's wire conventions: dates as `2017-03-29T13:43:07+0200` (UTC here, so `+0000`),
//! `0000-00-00 00:00:00` for a date that is not set, booleans as 0/1 integers.

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

/// What Stiply shows for a date that is not set.
pub(crate) const NO_DATE: &str = "0000-00-00 00:00:00";

const FORMAT: &[FormatItem<'static>] = format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory][offset_minute]"
);

/// A date in Stiply's format.
pub(crate) fn date(at: OffsetDateTime) -> String {
    at.format(FORMAT).unwrap_or_else(|_| NO_DATE.to_owned())
}

/// A date, or the placeholder.
pub(crate) fn opt_date(at: Option<OffsetDateTime>) -> String {
    at.map_or_else(|| NO_DATE.to_owned(), date)
}

/// A boolean as Stiply's 0/1.
pub(crate) fn flag(on: bool) -> Value {
    Value::from(u8::from(on))
}

/// A lowercase hex SHA-256, or `""` when there is none yet.
pub(crate) fn hash(sha256: Option<&[u8; 32]>) -> String {
    sha256.map(hex::encode).unwrap_or_default()
}

/// A JSON body whose rejection is a Stiply error (400; 415 without a JSON content type).
pub(crate) struct StiplyJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for StiplyJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = super::error::StiplyError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::http::StatusCode;
        match crate::extract::Json::<T>::from_request(req, state).await {
            Ok(crate::extract::Json(value)) => Ok(Self(value)),
            Err(err) if err.status == StatusCode::UNPROCESSABLE_ENTITY => {
                Err(super::error::StiplyError::wrong_parameter(err.message))
            }
            Err(err) => Err(err.into()),
        }
    }
}

/// A number or a numeric string (Stiply's examples send both), as `f32`.
pub(crate) fn number(value: &Value) -> Option<f32> {
    match value {
        Value::Number(n) => n.as_f64().map(|v| v as f32),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A Stiply boolean: 1, "1", true (and their opposites).
pub(crate) fn truthy(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_u64().filter(|v| *v <= 1).map(|v| v == 1),
        Value::String(s) => match s.trim() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn dates_use_stiplys_offset_form() {
        assert_eq!(
            date(datetime!(2017-03-29 13:43:07 +2)),
            "2017-03-29T13:43:07+0200"
        );
        assert_eq!(opt_date(None), NO_DATE);
    }
}
