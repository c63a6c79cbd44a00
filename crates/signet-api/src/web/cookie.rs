//! The cookies of the web pages: `signet_session` (the login session) and `signet_login` (ties
//! the login form to its POST). Both `HttpOnly`, `Secure` when the public URL is https.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::AppState;

/// The session cookie.
pub const SESSION: &str = "signet_session";
/// The login-form cookie.
pub const LOGIN: &str = "signet_login";

/// The value of cookie `name` in the request, if present.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// True when cookies must be `Secure`: the instance is reached over https.
pub fn secure(state: &AppState) -> bool {
    state.signet.config().public_url.starts_with("https://")
}

/// A `Set-Cookie` value. `max_age` in seconds; `None` for a browser-session cookie, `Some(0)`
/// to delete it.
pub fn set(secure: bool, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let (same_site, path) = if name == LOGIN {
        ("Strict", "/login")
    } else {
        ("Lax", "/")
    };
    let age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    let text = format!("{name}={value}; Path={path}; HttpOnly; SameSite={same_site}{secure}{age}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A local path to return to after login: it must start with one `/` (not `//` or `/\`, which
/// browsers read as another host) and hold no control characters or backslashes.
pub fn local_path(return_to: Option<&str>) -> Option<String> {
    let path = return_to?;
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    local.then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_accepted_as_return_targets() {
        assert_eq!(
            local_path(Some("/oauth/authorize?x=1")).as_deref(),
            Some("/oauth/authorize?x=1")
        );
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "/a\nb",
            "",
        ] {
            assert_eq!(local_path(Some(bad)), None, "{bad}");
        }
        assert_eq!(local_path(None), None);
    }

    #[test]
    fn session_cookies_are_http_only_lax_and_secure_over_https() {
        let cookie = set(true, SESSION, "abc", None);
        assert_eq!(
            cookie,
            "signet_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        let login = set(false, LOGIN, "n", Some(3600));
        assert_eq!(
            login,
            "signet_login=n; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600"
        );
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; signet_session=xyz; b=2"),
        );
        assert_eq!(read(&headers, SESSION).as_deref(), Some("xyz"));
        assert_eq!(read(&headers, LOGIN), None);
    }
}
