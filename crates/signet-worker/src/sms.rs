//! [`HttpSmsGateway`]: the core's `Sms` port through an operator's HTTP SMS gateway. The
//! operator configures the URL, the method, headers and a body template; `{to}` and `{text}`
//! in the URL and body are replaced by the number and the message, escaped for where they
//! stand (URL-encoded in the URL and in form bodies, JSON-escaped in JSON bodies). The gateway
//! is the operator's choice, so no SSRF vetting; errors never carry the URL or the body (the
//! message holds a one-time code).

use std::time::Duration;

use async_trait::async_trait;
use reqwest::Method;
use signet_core::port::{DeliveryError, Sms};

use crate::crl::http_client;
use crate::error::CallbackError;

/// How to reach the gateway.
#[derive(Clone, Debug)]
pub struct SmsGatewayConfig {
    /// The URL (may hold `{to}` and `{text}`).
    pub url: String,
    /// `POST` (default), `PUT` or `GET`.
    pub method: String,
    /// Extra request headers (an API key, a content type).
    pub headers: Vec<(String, String)>,
    /// The body template; `None` sends no body. Without a `Content-Type` header a body is sent
    /// as `application/json`.
    pub body: Option<String>,
    /// Longest one request may take.
    pub timeout: Duration,
}

/// How `{to}` and `{text}` are escaped in a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Json,
    Form,
    Raw,
}

/// Sends SMS through one HTTP gateway.
pub struct HttpSmsGateway {
    client: reqwest::Client,
    config: SmsGatewayConfig,
    method: Method,
    encoding: Encoding,
}

impl HttpSmsGateway {
    /// A gateway client; fails on a URL that is not http(s), an unknown method or a header
    /// that is not a valid HTTP header.
    pub fn new(mut config: SmsGatewayConfig) -> Result<Self, CallbackError> {
        let bad = |what: String| CallbackError::Client(format!("SMS gateway: {what}"));
        let probe = fill_url(&config.url, "+0", "x");
        let url = reqwest::Url::parse(&probe).map_err(|e| bad(format!("the URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the URL must be http or https".into()));
        }
        let method = match config.method.to_ascii_uppercase().as_str() {
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "GET" => Method::GET,
            other => return Err(bad(format!("method {other:?} is not POST, PUT or GET"))),
        };
        for (name, value) in &config.headers {
            reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| bad(format!("{name:?} is not a header name")))?;
            reqwest::header::HeaderValue::from_str(value)
                .map_err(|_| bad(format!("the value of {name} is not a header value")))?;
        }
        let content_type = config
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.to_ascii_lowercase());
        let encoding = match content_type.as_deref() {
            None => {
                if config.body.is_some() {
                    config
                        .headers
                        .push(("Content-Type".into(), "application/json".into()));
                }
                Encoding::Json
            }
            Some(t) if t.contains("json") => Encoding::Json,
            Some(t) if t.contains("x-www-form-urlencoded") => Encoding::Form,
            Some(_) => Encoding::Raw,
        };
        let client = http_client(config.timeout)?;
        Ok(Self {
            client,
            config,
            method,
            encoding,
        })
    }
}

fn url_encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn fill_url(template: &str, to: &str, text: &str) -> String {
    template
        .replace("{to}", &url_encoded(to))
        .replace("{text}", &url_encoded(text))
}

fn fill_body(template: &str, to: &str, text: &str, encoding: Encoding) -> String {
    let escape = |value: &str| match encoding {
        Encoding::Json => {
            let quoted = serde_json::Value::from(value).to_string();
            quoted[1..quoted.len() - 1].to_owned()
        }
        Encoding::Form => url_encoded(value),
        Encoding::Raw => value.to_owned(),
    };
    template
        .replace("{to}", &escape(to))
        .replace("{text}", &escape(text))
}

#[async_trait]
impl Sms for HttpSmsGateway {
    async fn send(&self, to: &str, text: &str) -> Result<(), DeliveryError> {
        let url = fill_url(&self.config.url, to, text);
        let mut request = self.client.request(self.method.clone(), url);
        for (name, value) in &self.config.headers {
            request = request.header(name, value);
        }
        if let Some(template) = &self.config.body {
            request = request.body(fill_body(template, to, text, self.encoding));
        }
        let response = request.send().await.map_err(|err| {
            DeliveryError::Transient(format!("the SMS gateway: {}", err.without_url()))
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let why = format!("the SMS gateway answered {status}");
        if status.is_server_error() || status.as_u16() == 429 {
            Err(DeliveryError::Transient(why))
        } else {
            Err(DeliveryError::Permanent(why))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_escaped_for_where_they_stand() {
        let text = "123456 is \"your\" code & more";
        assert_eq!(
            fill_body(
                r#"{"to":"{to}","msg":"{text}"}"#,
                "+31612345678",
                text,
                Encoding::Json
            ),
            r#"{"to":"+31612345678","msg":"123456 is \"your\" code & more"}"#
        );
        assert_eq!(
            fill_body(
                "to={to}&body={text}",
                "+31612345678",
                "a b&c",
                Encoding::Form
            ),
            "to=%2B31612345678&body=a+b%26c"
        );
        assert_eq!(
            fill_url("https://sms.example/send?to={to}&m={text}", "+3161", "a&b"),
            "https://sms.example/send?to=%2B3161&m=a%26b"
        );
    }

    #[test]
    fn bad_settings_are_refused() {
        let config = |url: &str, method: &str| SmsGatewayConfig {
            url: url.into(),
            method: method.into(),
            headers: Vec::new(),
            body: None,
            timeout: Duration::from_secs(5),
        };
        assert!(HttpSmsGateway::new(config("ftp://sms.example", "POST")).is_err());
        assert!(HttpSmsGateway::new(config("https://sms.example", "DELETE")).is_err());
        assert!(HttpSmsGateway::new(config("https://sms.example/{to}", "get")).is_ok());
    }
}
