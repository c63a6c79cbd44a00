//! The account's retention setting on the wire: `null` (keep envelopes; the default),
//! `{"days": N}` or `"end_of_month_after_one_month"`.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use signet_core::CoreError;
use signet_core::model::{END_OF_MONTH_AFTER_ONE_MONTH, MAX_RETENTION_DAYS, RetentionRule};
use utoipa::ToSchema;

/// When the account's completed, declined and expired envelopes are deleted (their documents
/// and personal data; a tombstone with hashes stays): `{"days": N}` after the envelope
/// finished, or `"end_of_month_after_one_month"` (Stiply's rule: when the month after the one
/// following the final status ends, in UTC).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum RetentionJson {
    /// This many days (1 to 36500) after the envelope reached its final status.
    Days {
        /// Days.
        days: u32,
    },
    /// A named rule.
    Named(RetentionName),
}

/// The named retention rules.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RetentionName {
    /// Deleted when the month after the one following the final status ends (finished in
    /// January: deleted on 1 March, 00:00 UTC).
    EndOfMonthAfterOneMonth,
}

impl From<RetentionRule> for RetentionJson {
    fn from(rule: RetentionRule) -> Self {
        match rule {
            RetentionRule::Days(days) => Self::Days { days },
            RetentionRule::EndOfMonthAfterOneMonth => {
                Self::Named(RetentionName::EndOfMonthAfterOneMonth)
            }
        }
    }
}

/// Tells `"retention": null` (`Some(None)`) from an absent field (`None`).
pub fn present_retention<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<Value>>, D::Error> {
    Option::<Value>::deserialize(d).map(Some)
}

/// Reads the requested rule (`None`: off); anything else is 422 `invalid_retention`.
pub fn parse_retention(value: Option<Value>) -> Result<Option<RetentionRule>, CoreError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let rule = match &value {
        Value::String(name) if name == END_OF_MONTH_AFTER_ONE_MONTH => {
            Some(RetentionRule::EndOfMonthAfterOneMonth)
        }
        Value::Object(map) if map.len() == 1 => map
            .get("days")
            .and_then(Value::as_u64)
            .and_then(|days| u32::try_from(days).ok())
            .filter(|days| (1..=MAX_RETENTION_DAYS).contains(days))
            .map(RetentionRule::Days),
        _ => None,
    };
    rule.map(Some).ok_or_else(|| {
        CoreError::invalid(
            "invalid_retention",
            format!(
                "retention must be null, {{\"days\": N}} with N from 1 to {MAX_RETENTION_DAYS}, \
                 or \"{END_OF_MONTH_AFTER_ONE_MONTH}\""
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_three_forms_parse_and_anything_else_is_refused() {
        assert_eq!(parse_retention(None).unwrap(), None);
        assert_eq!(
            parse_retention(Some(json!({"days": 30}))).unwrap(),
            Some(RetentionRule::Days(30))
        );
        assert_eq!(
            parse_retention(Some(json!("end_of_month_after_one_month"))).unwrap(),
            Some(RetentionRule::EndOfMonthAfterOneMonth)
        );
        for bad in [
            json!({"days": 0}),
            json!({"days": 36501}),
            json!({"days": -3}),
            json!({"days": 1.5}),
            json!({"days": "30"}),
            json!({"days": 30, "extra": 1}),
            json!({}),
            json!("monthly"),
            json!(30),
            json!([]),
        ] {
            let err = parse_retention(Some(bad.clone())).unwrap_err();
            assert_eq!(err.code(), "invalid_retention", "{bad}");
        }
    }
}
