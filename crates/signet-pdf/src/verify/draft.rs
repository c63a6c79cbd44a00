//! A signature's report while it is being checked: its role and claims from the signature
//! dictionary, the dictionary's own checks, and the bottom line from what failed.

use time::OffsetDateTime;

use super::report::{Coverage, Modification, SignatureReport, SignatureRole, Verdict};
use super::structure::SignedField;
use crate::syntax::{Dict, Object};

/// A report being filled in.
pub(super) struct Draft {
    pub report: SignatureReport,
    pub invalid: bool,
    pub indeterminate: bool,
}

impl Draft {
    pub(super) fn fail(&mut self, problem: impl Into<String>) {
        self.report.problems.push(problem.into());
        self.invalid = true;
    }

    pub(super) fn doubt(&mut self, problem: impl Into<String>) {
        self.report.problems.push(problem.into());
        self.indeterminate = true;
    }

    pub(super) fn finish(mut self) -> SignatureReport {
        self.report.verdict = if self.invalid {
            Verdict::Invalid
        } else if self.indeterminate {
            Verdict::Indeterminate
        } else {
            Verdict::Valid
        };
        self.report
    }

    /// A draft for `field`: its role and claims, nothing checked yet.
    pub(super) fn new(field: &SignedField) -> Draft {
        let d = &field.dict;
        let role = if d.name(b"Type") == Some(b"DocTimeStamp")
            || d.name(b"SubFilter") == Some(b"ETSI.RFC3161")
        {
            SignatureRole::DocumentTimestamp
        } else if let Some(permission) = own_docmdp(d) {
            SignatureRole::Certification { permission }
        } else if let Some(p) = field.lock {
            SignatureRole::Lock {
                permission: u8::try_from(p.clamp(1, 3)).unwrap_or(1),
            }
        } else {
            SignatureRole::Approval
        };
        let claimed_time = d
            .get(b"M")
            .and_then(Object::as_string)
            .and_then(parse_pdf_date);
        Draft {
            report: SignatureReport {
                field: field.name.clone(),
                role,
                sub_filter: String::from_utf8_lossy(d.name(b"SubFilter").unwrap_or_default())
                    .into_owned(),
                signer: None,
                name: d
                    .get(b"Name")
                    .and_then(Object::as_string)
                    .map(crate::syntax::serialize::read_text_string),
                claimed_time,
                intact: false,
                valid: false,
                trusted: false,
                coverage: Coverage::Partial,
                modification: Modification::None,
                docmdp_ok: true,
                pades_level: None,
                timestamp: None,
                problems: Vec::new(),
                verdict: Verdict::Invalid,
            },
            invalid: false,
            indeterminate: false,
        }
    }

    /// /Type and /SubFilter must name what the signature is.
    pub(super) fn check_dictionary(&mut self, field: &SignedField) {
        let d = &field.dict;
        let sub_filter = self.report.sub_filter.clone();
        match (self.report.role, d.name(b"Type")) {
            (SignatureRole::DocumentTimestamp, Some(b"DocTimeStamp") | None) => {}
            (SignatureRole::DocumentTimestamp, _) => {
                self.fail("a document time-stamp must have /Type /DocTimeStamp")
            }
            (_, Some(b"Sig") | None) => {}
            (_, Some(other)) => self.fail(format!(
                "/Type /{} is not a signature",
                String::from_utf8_lossy(other)
            )),
        }
        let expected: &[&str] = match self.report.role {
            SignatureRole::DocumentTimestamp => &["ETSI.RFC3161"],
            _ => &["ETSI.CAdES.detached", "adbe.pkcs7.detached"],
        };
        if !expected.contains(&sub_filter.as_str()) {
            self.fail(format!(
                "/SubFilter /{sub_filter} is not one of {}",
                expected.join(", ")
            ));
        }
    }
}

/// The DocMDP /P of a signature dictionary's own DocMDP reference, if it has one.
fn own_docmdp(doc_sig: &Dict) -> Option<u8> {
    let refs = doc_sig.get(b"Reference")?.as_array()?;
    refs.iter().filter_map(Object::as_dict).find_map(|r| {
        (r.name(b"TransformMethod") == Some(b"DocMDP")).then(|| {
            let p = r
                .get(b"TransformParams")
                .and_then(Object::as_dict)
                .and_then(|t| t.int(b"P"))
                .unwrap_or(2);
            u8::try_from(p.clamp(1, 3)).unwrap_or(2)
        })
    })
}

/// `D:YYYYMMDDHHmmSS` with an optional `Z` or `+HH'mm'` offset.
fn parse_pdf_date(raw: &[u8]) -> Option<OffsetDateTime> {
    let text = std::str::from_utf8(raw).ok()?.strip_prefix("D:")?;
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<i32>().ok());
    let date = time::Date::from_calendar_date(
        num(0..4)?,
        time::Month::try_from(u8::try_from(num(4..6).unwrap_or(1)).ok()?).ok()?,
        u8::try_from(num(6..8).unwrap_or(1)).ok()?,
    )
    .ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(num(8..10).unwrap_or(0)).ok()?,
        u8::try_from(num(10..12).unwrap_or(0)).ok()?,
        u8::try_from(num(12..14).unwrap_or(0)).ok()?,
    )
    .ok()?;
    let offset = match text.get(14..15) {
        Some(sign @ ("+" | "-")) => {
            let minutes = num(15..17)? * 60 + num(18..20).unwrap_or(0);
            let seconds = if sign == "-" {
                -minutes * 60
            } else {
                minutes * 60
            };
            time::UtcOffset::from_whole_seconds(seconds).ok()?
        }
        _ => time::UtcOffset::UTC,
    };
    Some(time::PrimitiveDateTime::new(date, clock).assume_offset(offset))
}

#[cfg(test)]
mod tests {
    use super::parse_pdf_date;

    #[test]
    fn pdf_dates_parse_with_and_without_offsets() {
        let utc = parse_pdf_date(b"D:20261123235236+00'00'").unwrap();
        assert_eq!(utc.unix_timestamp(), 1_795_477_956);
        let ahead = parse_pdf_date(b"D:20261124015236+02'00'").unwrap();
        assert_eq!(ahead, utc);
        let short = parse_pdf_date(b"D:2026").unwrap();
        assert_eq!(
            (short.year(), u8::from(short.month()), short.day()),
            (2026, 1, 1)
        );
        assert_eq!(parse_pdf_date(b"yesterday"), None);
        assert_eq!(parse_pdf_date(b"D:20261340"), None);
    }
}
