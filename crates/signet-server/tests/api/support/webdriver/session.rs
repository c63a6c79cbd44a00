//! A browser session, its elements, and the wire protocol.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use super::{ELEMENT, Viewport, WAIT, decode_base64};

/// One browser.
pub struct Session {
    pub(super) wire: Wire,
    pub(super) id: String,
    pub(super) open: Arc<Mutex<Vec<String>>>,
    pub viewport: Viewport,
}

/// A browser console entry.
#[derive(Debug)]
pub struct LogEntry {
    pub level: String,
    pub message: String,
}

impl Session {
    pub async fn goto(&self, url: &str) {
        self.wire
            .call(Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    pub async fn current_url(&self) -> String {
        let url = self.wire.call(Method::GET, "/url", None).await;
        url.as_str().unwrap_or_default().to_string()
    }

    /// The first element matching `css`; fails the test when there is none.
    pub async fn find(&self, css: &str) -> Element {
        match self.try_find(css).await {
            Some(element) => element,
            None => panic!("no element matches {css:?} on {}", self.current_url().await),
        }
    }

    pub async fn try_find(&self, css: &str) -> Option<Element> {
        let body = json!({"using": "css selector", "value": css});
        let found = self
            .wire
            .try_call(Method::POST, "/element", Some(body))
            .await;
        match found {
            Ok(value) => Some(Element {
                wire: self.wire.clone(),
                id: value[ELEMENT]
                    .as_str()
                    .expect("an element reference")
                    .into(),
            }),
            Err(error) if error.starts_with("no such element") => None,
            Err(error) => panic!("find {css:?}: {error}"),
        }
    }

    /// Runs `script` (a function body; `arguments` are `args`) and returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        let body = json!({"script": script, "args": args});
        self.wire
            .call(Method::POST, "/execute/sync", Some(body))
            .await
    }

    /// Polls the expression `condition` until it is truthy; fails the test after 10 s.
    pub async fn wait_until(&self, what: &str, condition: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        let script = format!("return ({condition});");
        loop {
            let value = self.execute(&script, vec![]).await;
            if !matches!(value, Value::Null | Value::Bool(false))
                && value != json!("")
                && value != json!(0)
            {
                return value;
            }
            if Instant::now() > deadline {
                let url = self.current_url().await;
                let status =
                    "const s = document.querySelector('[role=status]'); return s && s.textContent;";
                let status = self.execute(status, vec![]).await;
                panic!(
                    "timed out waiting for {what} ({condition}) on {url}; the page says {status}"
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Performs W3C input actions (`{"actions": [...]}` sources), releases them, and waits
    /// until the page has handled them: touch input reaches the page asynchronously.
    pub async fn perform(&self, sources: Value) {
        self.wire
            .call(
                Method::POST,
                "/actions",
                Some(json!({ "actions": sources })),
            )
            .await;
        self.wire.call(Method::DELETE, "/actions", None).await;
        let two_frames =
            "return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));";
        self.execute(two_frames, vec![]).await;
    }

    /// A PNG of the viewport.
    pub async fn screenshot(&self) -> Vec<u8> {
        let data = self.wire.call(Method::GET, "/screenshot", None).await;
        decode_base64(&data)
    }

    /// A PNG of the whole page, beyond the viewport (Chromium's DevTools protocol).
    pub async fn full_page_screenshot(&self) -> Vec<u8> {
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await;
        let size = &metrics["cssContentSize"];
        let clip =
            json!({"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1});
        let params = json!({"format": "png", "captureBeyondViewport": true, "clip": clip});
        let shot = self.cdp("Page.captureScreenshot", params).await;
        decode_base64(&shot["data"])
    }

    async fn cdp(&self, cmd: &str, params: Value) -> Value {
        let body = json!({"cmd": cmd, "params": params});
        self.wire
            .call(Method::POST, "/goog/cdp/execute", Some(body))
            .await
    }

    /// The console entries (errors, CSP violations, warnings) since the last call.
    pub async fn browser_log(&self) -> Vec<LogEntry> {
        let body = json!({"type": "browser"});
        let entries = self.wire.call(Method::POST, "/se/log", Some(body)).await;
        entries
            .as_array()
            .into_iter()
            .flatten()
            .map(|entry| LogEntry {
                level: entry["level"].as_str().unwrap_or_default().into(),
                message: entry["message"].as_str().unwrap_or_default().into(),
            })
            .collect()
    }

    /// Closes the browser.
    pub async fn quit(self) {
        self.wire.call(Method::DELETE, "", None).await;
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|id| *id != self.id);
    }
}

/// An element of the current page.
pub struct Element {
    wire: Wire,
    id: String,
}

impl Element {
    /// The reference to pass as a script argument or an action's origin.
    pub fn reference(&self) -> Value {
        json!({ ELEMENT: self.id })
    }

    pub async fn click(&self) {
        self.wire
            .call(Method::POST, &self.path("/click"), Some(json!({})))
            .await;
    }

    pub async fn send_keys(&self, text: &str) {
        let body = json!({ "text": text });
        self.wire
            .call(Method::POST, &self.path("/value"), Some(body))
            .await;
    }

    /// The rendered text (empty when hidden).
    pub async fn text(&self) -> String {
        let text = self.wire.call(Method::GET, &self.path("/text"), None).await;
        text.as_str().unwrap_or_default().to_string()
    }

    pub async fn attribute(&self, name: &str) -> Option<String> {
        let path = self.path(&format!("/attribute/{name}"));
        let value = self.wire.call(Method::GET, &path, None).await;
        value.as_str().map(str::to_string)
    }

    pub async fn is_displayed(&self) -> bool {
        let shown = self
            .wire
            .call(Method::GET, &self.path("/displayed"), None)
            .await;
        shown == true
    }

    fn path(&self, rest: &str) -> String {
        format!("/element/{}{rest}", self.id)
    }
}

/// HTTP to the driver, under one base URL (the driver's or a session's).
#[derive(Clone)]
pub(super) struct Wire {
    pub(super) http: reqwest::Client,
    pub(super) base: String,
}

impl Wire {
    pub(super) async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let what = format!("{method} {path}");
        self.try_call(method, path, body)
            .await
            .unwrap_or_else(|error| panic!("WebDriver {what}: {error}"))
    }

    /// The `value` of the answer, or the WebDriver error as `"<error>: <message>"`.
    pub(super) async fn try_call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(|err| format!("chromedriver is unreachable: {err}"))?;
        let ok = response.status().is_success();
        let mut answer: Value = response.json().await.map_err(|err| err.to_string())?;
        let value = answer["value"].take();
        if ok {
            Ok(value)
        } else {
            let error = value["error"].as_str().unwrap_or("unknown error");
            Err(format!(
                "{error}: {}",
                value["message"].as_str().unwrap_or_default()
            ))
        }
    }
}
