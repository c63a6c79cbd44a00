//! Every secret the tests create (API keys, webhook secrets, signing-link tokens, passwords,
//! the master key, later OAuth tokens) is remembered here, and [`assert_none_logged`] fails when
//! one of them appears in the captured server log ([`super::logs`]). The failure names the kind
//! of secret and shows the log line with the secret replaced, never the secret itself.
//!
//! The scan is incremental, so it can run at the end of every test whatever the order: new log
//! lines are checked against every secret, new secrets against every line logged so far.

use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use super::logs;

/// Shorter strings are too likely to occur by chance to be worth a finding.
const MIN_LEN: usize = 8;
/// JSON fields whose string values are secrets wherever a response carries them.
const SECRET_FIELDS: &[&str] = &[
    "api_key",
    "token",
    "secret",
    "webhook_secret",
    "access_token",
    "refresh_token",
    "client_secret",
    "password",
];

#[derive(Default)]
struct Registry {
    secrets: Vec<(&'static str, String)>,
    /// Bytes of the log already checked against every secret (complete lines only).
    scanned: usize,
    /// Secrets already checked against `..scanned`.
    checked: usize,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    secrets: Vec::new(),
    scanned: 0,
    checked: 0,
});

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Remembers a secret; its kind is guessed from its shape (`sk_…`, `whsec_…`, `pat_…`).
pub fn remember(secret: &str) {
    remember_as(kind_of(secret), secret);
}

/// Remembers a secret of a named kind.
pub fn remember_as(kind: &'static str, secret: &str) {
    let secret = secret.trim();
    if secret.len() < MIN_LEN {
        return;
    }
    let mut registry = registry();
    if !registry.secrets.iter().any(|(_, known)| known == secret) {
        registry.secrets.push((kind, secret.to_string()));
    }
}

fn kind_of(secret: &str) -> &'static str {
    match secret {
        s if s.starts_with("sk_") => "API key",
        s if s.starts_with("pat_") => "personal access token",
        s if s.starts_with("whsec_") => "webhook secret",
        _ => "secret",
    }
}

/// Remembers the token of a signing URL (`…/s/{token}`).
pub fn remember_sign_url(url: &str) {
    if let Some(token) = url.rsplit('/').next() {
        remember_as("signing-link token", token);
    }
}

/// Remembers every link token in a text (an e-mail body): whatever follows `/s/`,
/// `/api/v1/signing/` or `/password/reset/`.
pub fn remember_links_in(text: &str) {
    for marker in ["/s/", "/api/v1/signing/", "/password/reset/"] {
        for (at, _) in text.match_indices(marker) {
            let token: String = text[at + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            remember_as("signing-link token", &token);
        }
    }
}

/// Remembers the secrets a JSON response carries: signing URLs, links into the signing API and
/// fields named like secrets.
pub fn remember_in_json(value: &Value) {
    match value {
        Value::Object(map) => {
            for (name, field) in map {
                match (name.as_str(), field) {
                    ("sign_url", Value::String(url)) => remember_sign_url(url),
                    (name, Value::String(text)) if SECRET_FIELDS.contains(&name) => remember(text),
                    (_, Value::String(text)) if text.contains("/api/v1/signing/") => {
                        remember_links_in(text)
                    }
                    _ => remember_in_json(field),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(remember_in_json),
        _ => {}
    }
}

/// Panics when a remembered secret is in the captured log, naming its kind.
pub fn assert_none_logged() {
    let findings = scan();
    assert!(
        findings.is_empty(),
        "secrets were written to the server log:\n{}",
        findings.join("\n")
    );
}

/// The leaks found since the last scan, one description per finding.
fn scan() -> Vec<String> {
    let log = logs::captured();
    let mut registry = registry();
    let end = log.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let old = String::from_utf8_lossy(&log[..registry.scanned]).into_owned();
    let new = String::from_utf8_lossy(&log[registry.scanned..end]).into_owned();
    drop(log);
    let mut findings = Vec::new();
    for (index, (kind, secret)) in registry.secrets.iter().enumerate() {
        if index >= registry.checked {
            findings.extend(leaks(&old, kind, secret));
        }
        findings.extend(leaks(&new, kind, secret));
    }
    registry.scanned = end;
    registry.checked = registry.secrets.len();
    findings
}

fn leaks(text: &str, kind: &str, secret: &str) -> Vec<String> {
    if !text.contains(secret) {
        return Vec::new();
    }
    text.lines()
        .filter(|line| line.contains(secret))
        .map(|line| {
            let shown = line.replace(secret, &format!("<{kind}>"));
            format!("a {kind} was logged: {shown}")
        })
        .collect()
}
