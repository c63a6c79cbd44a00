//! The client side of the cluster: requests go round-robin to the nodes the test currently
//! routes to, the way a load balancer would. A request whose connection fails (its node was
//! killed) is tried again on the next node; what it may already have done is the caller's to
//! reconcile, as a real integrator's would be.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};

/// How often one request is tried before the test gives up.
const TRIES: usize = 40;

/// Where requests go.
#[derive(Clone)]
pub struct Cluster {
    bases: Arc<RwLock<Vec<String>>>,
    next: Arc<AtomicUsize>,
    client: reqwest::Client,
    key: String,
    /// Requests whose connection failed (and were tried again elsewhere).
    pub failed_connections: Arc<AtomicUsize>,
}

/// An answer: status and JSON body (`{"raw": text}` when it is not JSON).
pub type Answer = (u16, Value);

impl Cluster {
    /// Routes to `bases`, authenticating API calls with `key`.
    pub fn new(bases: Vec<String>, key: String) -> Cluster {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .pool_max_idle_per_host(64)
            .build()
            .expect("HTTP client");
        Cluster {
            bases: Arc::new(RwLock::new(bases)),
            next: Arc::new(AtomicUsize::new(0)),
            client,
            key,
            failed_connections: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Stops routing to `base` (a load balancer noticing a dead node).
    pub fn remove(&self, base: &str) {
        self.bases.write().unwrap().retain(|b| b != base);
    }

    /// Starts routing to `base`.
    pub fn add(&self, base: &str) {
        self.bases.write().unwrap().push(base.to_string());
    }

    fn pick(&self) -> String {
        let bases = self.bases.read().unwrap();
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        bases[i % bases.len()].clone()
    }

    /// Sends a request built by `build(client, base)` to the next node. `Err` when the
    /// connection failed before an answer arrived: the request may or may not have taken effect.
    pub async fn try_once(
        &self,
        build: &(dyn Fn(&reqwest::Client, &str) -> RequestBuilder + Sync),
    ) -> Result<Answer, reqwest::Error> {
        let response = build(&self.client, &self.pick()).send().await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        let value = serde_json::from_str(&text).unwrap_or_else(|_| json!({ "raw": text }));
        Ok((status, value))
    }

    /// Sends a request that is safe to repeat (a read), retrying failed connections on the
    /// next node.
    pub async fn idempotent(
        &self,
        build: &(dyn Fn(&reqwest::Client, &str) -> RequestBuilder + Sync),
    ) -> Answer {
        for _ in 0..TRIES {
            match self.try_once(build).await {
                Ok(answer) => return answer,
                Err(_) => self.connection_failed().await,
            }
        }
        panic!("no node answered after {TRIES} tries");
    }

    /// Notes a failed connection and pauses briefly before the next try.
    pub async fn connection_failed(&self) {
        self.failed_connections.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    /// An authenticated API request.
    pub fn api(
        &self,
        method: Method,
        path: &str,
    ) -> impl Fn(&reqwest::Client, &str) -> RequestBuilder + Sync + use<> {
        let (key, path) = (self.key.clone(), path.to_string());
        move |client, base| {
            client
                .request(method.clone(), format!("{base}{path}"))
                .bearer_auth(&key)
        }
    }

    /// `GET path` with the API key, retried across nodes.
    pub async fn get(&self, path: &str) -> Answer {
        self.idempotent(&self.api(Method::GET, path)).await
    }

    /// Tries until it gets an answer: `attempt` returns `None` to go on (after a failed
    /// connection it decides, usually by reading, whether the effect happened).
    pub async fn until<T>(&self, what: &str, mut attempt: impl AsyncFnMut() -> Option<T>) -> T {
        for _ in 0..TRIES {
            if let Some(done) = attempt().await {
                return done;
            }
            self.connection_failed().await;
        }
        panic!("{what}: no node answered after {TRIES} tries");
    }
}
