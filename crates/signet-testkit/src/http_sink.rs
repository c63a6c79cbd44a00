//! [`HttpSink`]: an HTTP server on `127.0.0.1:0` that records every request and answers with a
//! scripted sequence of responses (then `200`), to test webhook delivery, retries, redirects
//! and timeouts against a real socket.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::task::AbortHandle;

/// Largest request body recorded.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One scripted answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SinkResponse {
    /// HTTP status.
    pub status: u16,
    /// Extra response headers.
    pub headers: Vec<(String, String)>,
    /// Response body.
    pub body: Vec<u8>,
    /// How long to wait before answering (a long delay simulates a server that never answers).
    pub delay: Duration,
}

impl SinkResponse {
    /// An empty answer with this status.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// A `302 Found` pointing at `location`.
    pub fn redirect(location: &str) -> Self {
        Self::status(302).header("location", location)
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the response body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Answers only after `delay`.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

impl From<u16> for SinkResponse {
    fn from(status: u16) -> Self {
        Self::status(status)
    }
}

/// A request as the sink received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path and query, e.g. `/hook?key=1`.
    pub path: String,
    /// Headers in arrival order, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of a header (name matched case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> anyhow::Result<serde_json::Value> {
        Ok(serde_json::from_slice(&self.body)?)
    }
}

/// A running HTTP sink; stops when dropped.
pub struct HttpSink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: AbortHandle,
}

#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<RecordedRequest>>,
    script: Mutex<std::collections::VecDeque<SinkResponse>>,
}

impl Shared {
    fn requests(&self) -> std::sync::MutexGuard<'_, Vec<RecordedRequest>> {
        self.requests.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn next_response(&self) -> SinkResponse {
        let mut script = self.script.lock().unwrap_or_else(PoisonError::into_inner);
        script
            .pop_front()
            .unwrap_or_else(|| SinkResponse::status(200))
    }
}

impl HttpSink {
    /// Starts a sink on `127.0.0.1` with a free port that answers the given responses in order
    /// (`HttpSink::start([500u16, 200])`, or [`SinkResponse`]s), then `200`. Panics if no port can
    /// be bound.
    pub async fn start<R: Into<SinkResponse>>(responses: impl IntoIterator<Item = R>) -> HttpSink {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(err) => panic!("HttpSink: cannot bind 127.0.0.1:0: {err}"),
        };
        let addr = match listener.local_addr() {
            Ok(addr) => addr,
            Err(err) => panic!("HttpSink: no local address: {err}"),
        };
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            script: Mutex::new(responses.into_iter().map(Into::into).collect()),
        });
        let app = Router::new()
            .fallback(record)
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            // The sink lives as long as the test; a serve error just ends it.
            let _ = axum::serve(listener, app).await;
        })
        .abort_handle();
        HttpSink { addr, shared, task }
    }

    /// Starts a sink that answers `200` to everything.
    pub async fn always_ok() -> HttpSink {
        Self::start(Vec::<SinkResponse>::new()).await
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT{path}`; `path` should start with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request received so far, in arrival order (recorded before the answer is sent).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests().clone()
    }

    /// Waits until at least `n` requests arrived and returns them all; fails after `timeout`.
    pub async fn wait_for(
        &self,
        n: usize,
        timeout: Duration,
    ) -> anyhow::Result<Vec<RecordedRequest>> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let requests = self.requests();
            if requests.len() >= n {
                return Ok(requests);
            }
            if tokio::time::Instant::now() >= deadline {
                anyhow::bail!(
                    "HttpSink: expected {n} requests within {timeout:?}, got {}",
                    requests.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for HttpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn record(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, MAX_BODY)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    let path = parts.uri.path_and_query().map_or_else(
        || parts.uri.path().to_string(),
        |pq| pq.as_str().to_string(),
    );
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    shared.requests().push(RecordedRequest {
        method: parts.method.to_string(),
        path,
        headers,
        body,
    });
    let answer = shared.next_response();
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    build_response(answer)
}

fn build_response(answer: SinkResponse) -> Response {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::*;

    /// A minimal HTTP/1.1 exchange over a raw socket (no client library in this crate).
    async fn exchange(addr: SocketAddr, request: &str) -> String {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        String::from_utf8_lossy(&answer).into_owned()
    }

    fn post(path: &str, body: &str) -> String {
        format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nX-Test: yes\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    #[tokio::test]
    async fn requests_are_recorded_and_answered_in_script_order() {
        let sink = HttpSink::start([
            SinkResponse::status(500),
            SinkResponse::redirect("http://elsewhere/"),
        ])
        .await;
        assert!(
            exchange(sink.addr(), &post("/a?x=1", "{\"n\":1}"))
                .await
                .starts_with("HTTP/1.1 500")
        );
        let second = exchange(sink.addr(), &post("/b", "")).await;
        assert!(second.starts_with("HTTP/1.1 302"), "{second}");
        assert!(
            second
                .to_ascii_lowercase()
                .contains("location: http://elsewhere/"),
            "{second}"
        );
        assert!(
            exchange(sink.addr(), &post("/c", ""))
                .await
                .starts_with("HTTP/1.1 200")
        );
        let requests = sink.wait_for(3, Duration::from_secs(1)).await.unwrap();
        assert_eq!(requests[0].method, "POST");
        assert_eq!(requests[0].path, "/a?x=1");
        assert_eq!(requests[0].header("x-test"), Some("yes"));
        assert_eq!(requests[0].json().unwrap()["n"], 1);
        assert_eq!(requests[2].path, "/c");
    }

    #[tokio::test]
    async fn a_delayed_answer_is_recorded_before_it_is_sent() {
        let sink =
            HttpSink::start([SinkResponse::status(200).after(Duration::from_secs(60))]).await;
        let addr = sink.addr();
        let pending = tokio::spawn(async move { exchange(addr, &post("/slow", "")).await });
        sink.wait_for(1, Duration::from_secs(2)).await.unwrap();
        assert!(!pending.is_finished());
        pending.abort();
    }

    #[tokio::test]
    async fn plain_status_codes_can_be_scripted() {
        let sink = HttpSink::start([503u16, 410]).await;
        assert!(
            exchange(sink.addr(), &post("/", ""))
                .await
                .starts_with("HTTP/1.1 503")
        );
        assert!(
            exchange(sink.addr(), &post("/", ""))
                .await
                .starts_with("HTTP/1.1 410")
        );
        assert!(
            exchange(sink.addr(), &post("/", ""))
                .await
                .starts_with("HTTP/1.1 200")
        );
    }

    #[tokio::test]
    async fn wait_for_fails_after_its_timeout() {
        let sink = HttpSink::always_ok().await;
        assert!(sink.url("/x").starts_with("http://127.0.0.1:"));
        assert!(sink.wait_for(1, Duration::from_millis(30)).await.is_err());
    }
}
