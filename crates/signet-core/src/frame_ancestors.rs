//! The origins an account lets embed its signing pages in an iframe (the page's CSP
//! `frame-ancestors`). Parsed, not trusted: each entry is an origin, `https://host[:port]`
//! (`http` only for `localhost` and loopback addresses), optionally with a leading `*.` for
//! every subdomain of a host of at least two labels; no path, query, user or other wildcard.

use crate::CoreError;

/// The most origins one account may list.
pub const MAX_ORIGINS: usize = 10;

/// A checked list of origins, normalised (lower-case host, default port dropped), without
/// duplicates, in the order given. Empty: no framing at all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrameAncestors(Vec<String>);

impl FrameAncestors {
    /// Checks and normalises `origins`; 422 `invalid_frame_ancestors` naming the bad entry.
    pub fn parse(origins: &[String]) -> Result<Self, CoreError> {
        if origins.len() > MAX_ORIGINS {
            return Err(invalid(format!(
                "frame_ancestors may list at most {MAX_ORIGINS} origins"
            )));
        }
        let mut list: Vec<String> = Vec::new();
        for origin in origins {
            let normal = origin_source(origin).ok_or_else(|| {
                invalid(format!(
                    "frame_ancestors entry {origin:?} is not an origin like https://app.example.com \
                     (https; http only for localhost; no path; a leading *. for subdomains)"
                ))
            })?;
            if !list.contains(&normal) {
                list.push(normal);
            }
        }
        Ok(Self(list))
    }

    /// Rebuilds a list the store holds (written by [`FrameAncestors::parse`]); entries that no
    /// longer pass are dropped rather than put into a header.
    pub fn from_stored(origins: &[String]) -> Self {
        Self(origins.iter().filter_map(|o| origin_source(o)).collect())
    }

    /// The origins.
    pub fn origins(&self) -> &[String] {
        &self.0
    }

    /// True when no origin may frame the page.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of the CSP directive: the origins, or `'none'`.
    pub fn csp_source_list(&self) -> String {
        if self.0.is_empty() {
            "'none'".to_owned()
        } else {
            self.0.join(" ")
        }
    }
}

fn invalid(message: String) -> CoreError {
    CoreError::invalid("invalid_frame_ancestors", message)
}

/// `text` as a normalised CSP host source, or `None` when it is not an allowed origin.
fn origin_source(text: &str) -> Option<String> {
    let (scheme, authority) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if authority.is_empty() || authority.contains(['/', '?', '#', '@', '\\', ' ']) {
        return None;
    }
    let (wildcard, rest) = match authority.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, authority),
    };
    if rest.contains('*') {
        return None;
    }
    let url = url::Url::parse(&format!("{scheme}://{rest}")).ok()?;
    let host = url.host()?;
    let loopback = match &host {
        url::Host::Domain(name) => *name == "localhost",
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    let scheme_ok = scheme == "https" || (scheme == "http" && loopback && !wildcard);
    let wildcard_ok = !wildcard
        || matches!(&host, url::Host::Domain(name) if name.split('.').filter(|l| !l.is_empty()).count() >= 2);
    if !scheme_ok || !wildcard_ok || url.port() == Some(0) {
        return None;
    }
    let origin = url.origin().ascii_serialization();
    Some(match wildcard {
        true => origin.replacen("://", "://*.", 1),
        false => origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(list: &[&str]) -> Result<Vec<String>, String> {
        let list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        FrameAncestors::parse(&list)
            .map(|f| f.origins().to_vec())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn origins_are_normalised_and_deduplicated() {
        assert_eq!(
            parse(&[
                "https://App.Example.com",
                "https://app.example.com:443",
                "https://*.partner.example:8443",
                "http://localhost:3000",
                "http://127.0.0.1:8080",
            ]),
            Ok(vec![
                "https://app.example.com".into(),
                "https://*.partner.example:8443".into(),
                "http://localhost:3000".into(),
                "http://127.0.0.1:8080".into(),
            ])
        );
        assert_eq!(parse(&[]), Ok(vec![]));
    }

    #[test]
    fn anything_but_an_origin_is_refused() {
        for bad in [
            "app.example.com",
            "http://app.example.com",
            "https://app.example.com/",
            "https://app.example.com/embed",
            "https://app.example.com?x=1",
            "https://user@app.example.com",
            "https://*",
            "https://*.com",
            "https://app.*.example.com",
            "*",
            "'self'",
            "https://a.example.com https://b.example.com",
            "https://a.example.com;script-src *",
            "javascript://x",
            "http://*.localhost",
            "https://app.example.com:0",
            "",
        ] {
            let refused = parse(&[bad]);
            assert!(refused.is_err(), "{bad:?} was accepted: {refused:?}");
        }
        let eleven: Vec<String> = (0..11)
            .map(|i| format!("https://a{i}.example.com"))
            .collect();
        let eleven: Vec<&str> = eleven.iter().map(String::as_str).collect();
        assert!(parse(&eleven).unwrap_err().contains("at most 10"));
    }

    #[test]
    fn the_csp_source_list_is_none_without_origins() {
        assert_eq!(FrameAncestors::default().csp_source_list(), "'none'");
        let list = FrameAncestors::parse(&["https://a.example".into(), "https://b.example".into()]);
        assert_eq!(
            list.unwrap().csp_source_list(),
            "https://a.example https://b.example"
        );
    }
}
