//! Input rules shared by the use cases. Each returns the cleaned value or a 422 naming the field.

use std::net::IpAddr;

use crate::CoreError;

/// Trimmed text with a length in characters between `min` and `max`, without control characters.
pub fn text(field: &str, value: &str, min: usize, max: usize) -> Result<String, CoreError> {
    let trimmed = value.trim();
    let len = trimmed.chars().count();
    if len < min || len > max {
        let rule = if min > 0 {
            format!("between {min} and {max}")
        } else {
            format!("at most {max}")
        };
        return Err(CoreError::invalid(
            "invalid_field",
            format!("{field} must have {rule} characters"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(CoreError::invalid(
            "invalid_field",
            format!("{field} must not contain control characters"),
        ));
    }
    Ok(trimmed.to_string())
}

/// Optional text: `None` and blank become `None`.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, CoreError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => text(field, v, 1, max).map(Some),
        None => Ok(None),
    }
}

/// A plausible e-mail address (one `@`, a dotted domain, no spaces), lower-cased domain.
pub fn email(field: &str, value: &str) -> Result<String, CoreError> {
    let value = value.trim();
    let bad = || {
        CoreError::invalid(
            "invalid_email",
            format!("{field} is not a valid e-mail address"),
        )
    };
    let (local, domain) = value.rsplit_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && value.len() <= 254
        && !value.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')
        });
    if !ok || value.matches('@').count() != 1 {
        return Err(bad());
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

/// An `http(s)` URL a browser may be sent to.
pub fn redirect_url(field: &str, value: &str) -> Result<String, CoreError> {
    parse_http_url(field, value).map(|url| url.to_string())
}

/// An `http(s)` URL Signet will call; private and loopback targets are refused unless allowed.
/// Host names are checked again, after DNS resolution, when the call is made.
pub fn callback_url(field: &str, value: &str, allow_private: bool) -> Result<String, CoreError> {
    let url = parse_http_url(field, value)?;
    if !allow_private && points_at_private_network(&url) {
        return Err(CoreError::invalid(
            "private_callback_url",
            format!(
                "{field} points at a private or loopback address, which this instance does not call"
            ),
        ));
    }
    Ok(url.to_string())
}

fn parse_http_url(field: &str, value: &str) -> Result<url::Url, CoreError> {
    let bad = |why: &str| CoreError::invalid("invalid_url", format!("{field} {why}"));
    if value.len() > 2048 {
        return Err(bad("is longer than 2048 characters"));
    }
    let url = url::Url::parse(value.trim()).map_err(|_| bad("is not a valid URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must use http or https"));
    }
    if url.host_str().is_none_or(str::is_empty)
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(bad("must have a host and no credentials"));
    }
    Ok(url)
}

fn points_at_private_network(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => !is_public_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public_ip(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost"
                || name.ends_with(".localhost")
                || name.ends_with(".internal")
                || !name.contains('.')
        }
        None => true,
    }
}

/// True for globally routable unicast addresses; false for loopback, private, link-local,
/// CGNAT, multicast, unspecified, documentation and mapped/translated forms of those.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_unspecified()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_ip(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (v6.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0])
                || (v6.segments()[..6] == [0, 0, 0, 0, 0, 0]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_callbacks_are_refused() {
        for url in [
            "http://127.0.0.1/x",
            "http://localhost./",
            "http://10.1.2.3/",
            "http://169.254.169.254/",
            "http://100.64.0.1/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[fd00:ec2::254]/",
            "http://[::]/",
            "http://0/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://127.1/",
            "http://intranet/",
        ] {
            assert!(
                callback_url("callback_url", url, false).is_err(),
                "{url} must be refused"
            );
        }
        assert!(callback_url("callback_url", "https://example.com/hook", false).is_ok());
        assert!(callback_url("callback_url", "http://127.0.0.1:9/x", true).is_ok());
    }

    #[test]
    fn only_http_urls_without_credentials_are_accepted() {
        assert!(redirect_url("redirect_url", "javascript:alert(1)").is_err());
        assert!(redirect_url("redirect_url", "https://u:p@example.com/").is_err());
        assert!(redirect_url("redirect_url", "https://example.com/done?x=1").is_ok());
    }

    #[test]
    fn emails_are_checked_and_domains_lower_cased() {
        assert_eq!(
            email("email", " Ann@Example.COM ").unwrap(),
            "Ann@example.com"
        );
        for bad in [
            "",
            "a",
            "a@b",
            "a b@c.d",
            "a@@b.c",
            "<a@b.c>",
            "a@b.c, d@e.f",
        ] {
            assert!(email("email", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("title", "  Hi ", 1, 5).unwrap(), "Hi");
        assert!(text("title", "   ", 1, 5).is_err());
        assert!(text("title", "toolong", 1, 5).is_err());
        assert!(text("title", "a\u{0}b", 1, 5).is_err());
    }
}
