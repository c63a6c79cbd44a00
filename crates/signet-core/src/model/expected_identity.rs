//! Who the sender says an `oidc` signer is: the family name and date of birth the identity
//! provider must confirm (Stiply's `idin` object: `prefix`, `last_name`, `date_of_birth`).
//! Checked against the provider's verified claims (`family_name`, `birthdate`, as in OpenID
//! Connect Core §5.1) before the signer may read or sign.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;
use time::macros::format_description;

/// The longest family name, in characters.
const MAX_FAMILY_NAME: usize = 200;

/// What the provider's claims must say about the signer. At least one part is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectedIdentity {
    /// The family name with any prefix (`van der Meer`), compared without regard to case or
    /// runs of spaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// The date of birth.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "iso_date::option"
    )]
    pub birthdate: Option<Date>,
}

/// Why the provider's claims do not meet an expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityMismatch {
    /// The provider did not confirm this claim.
    Missing(&'static str),
    /// The provider confirmed this claim with another value.
    Differs(&'static str),
}

impl ExpectedIdentity {
    /// The expectation with its family name's spaces collapsed, or why it cannot be used (it
    /// names nothing, or its family name is empty or too long).
    pub fn validated(self) -> Result<Self, &'static str> {
        let family_name = self.family_name.map(|n| collapse_spaces(&n));
        if family_name.is_none() && self.birthdate.is_none() {
            return Err("name a family_name, a birthdate or both");
        }
        if let Some(name) = &family_name
            && (name.is_empty() || name.chars().count() > MAX_FAMILY_NAME)
        {
            return Err("family_name must be 1 to 200 characters");
        }
        Ok(Self {
            family_name,
            birthdate: self.birthdate,
        })
    }

    /// Whether the provider's verified `claims` confirm every part of the expectation.
    pub fn check(&self, claims: &Map<String, Value>) -> Result<(), IdentityMismatch> {
        if let Some(expected) = &self.family_name {
            let claimed = claim(claims, "family_name")?;
            if fold(claimed) != fold(expected) {
                return Err(IdentityMismatch::Differs("family_name"));
            }
        }
        if let Some(expected) = self.birthdate {
            let claimed = claim(claims, "birthdate")?;
            if iso_date::parse(claimed) != Some(expected) {
                return Err(IdentityMismatch::Differs("birthdate"));
            }
        }
        Ok(())
    }
}

fn claim<'a>(
    claims: &'a Map<String, Value>,
    name: &'static str,
) -> Result<&'a str, IdentityMismatch> {
    claims
        .get(name)
        .and_then(Value::as_str)
        .ok_or(IdentityMismatch::Missing(name))
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name as compared: spaces collapsed, lower case, accents kept as written.
fn fold(name: &str) -> String {
    collapse_spaces(name).to_lowercase()
}

/// Dates as `YYYY-MM-DD` (the OpenID Connect `birthdate` form).
pub mod iso_date {
    use super::{Date, format_description};

    /// `YYYY-MM-DD`, or `None`.
    pub fn parse(text: &str) -> Option<Date> {
        Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
    }

    /// `YYYY-MM-DD`.
    pub fn format(date: Date) -> String {
        let (y, m, d) = (date.year(), u8::from(date.month()), date.day());
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Serde for `Option<Date>` as `YYYY-MM-DD`.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer, de::Error};

        use super::{Date, format, parse};

        /// Writes the date as `YYYY-MM-DD`.
        pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match date {
                Some(d) => s.serialize_str(&format(*d)),
                None => s.serialize_none(),
            }
        }

        /// Reads `YYYY-MM-DD`.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            match Option::<String>::deserialize(d)? {
                None => Ok(None),
                Some(text) => parse(&text)
                    .map(Some)
                    .ok_or_else(|| D::Error::custom("birthdate must be a date as YYYY-MM-DD")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;

    fn claims(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    fn expected() -> ExpectedIdentity {
        ExpectedIdentity {
            family_name: Some("  van der   Meer ".into()),
            birthdate: Some(date!(1982 - 09 - 01)),
        }
        .validated()
        .unwrap()
    }

    #[test]
    fn names_match_whatever_their_case_and_spacing() {
        let confirmed = claims(json!({"family_name": "Van der Meer", "birthdate": "1982-09-01"}));
        assert_eq!(expected().family_name.as_deref(), Some("van der Meer"));
        assert_eq!(expected().check(&confirmed), Ok(()));
    }

    #[test]
    fn another_name_or_date_or_a_missing_claim_is_named() {
        let other = claims(json!({"family_name": "Meer", "birthdate": "1982-09-01"}));
        assert_eq!(
            expected().check(&other),
            Err(IdentityMismatch::Differs("family_name"))
        );
        let born = claims(json!({"family_name": "van der meer", "birthdate": "1982-01-09"}));
        assert_eq!(
            expected().check(&born),
            Err(IdentityMismatch::Differs("birthdate"))
        );
        let silent = claims(json!({"family_name": "van der meer"}));
        assert_eq!(
            expected().check(&silent),
            Err(IdentityMismatch::Missing("birthdate"))
        );
        let garbled = claims(json!({"family_name": "van der meer", "birthdate": "1/9/82"}));
        assert_eq!(
            expected().check(&garbled),
            Err(IdentityMismatch::Differs("birthdate"))
        );
    }

    #[test]
    fn an_empty_expectation_is_refused_and_dates_round_trip_as_iso() {
        let empty = ExpectedIdentity {
            family_name: Some("  ".into()),
            birthdate: None,
        };
        assert!(empty.validated().is_err());
        let json = serde_json::to_value(expected()).unwrap();
        assert_eq!(
            json,
            json!({"family_name": "van der Meer", "birthdate": "1982-09-01"})
        );
        assert_eq!(
            serde_json::from_value::<ExpectedIdentity>(json).unwrap(),
            expected()
        );
        let bad = json!({"birthdate": "01-09-1982"});
        assert!(serde_json::from_value::<ExpectedIdentity>(bad).is_err());
    }
}
