//! Prometheus metrics: counters and histograms kept in this process (requests, job runs, seals,
//! e-mails, callbacks), recorded by wrappers around the core's ports and the job executor and
//! by one request middleware; queue gauges read from the database at scrape time (one grouped
//! query), so every node reports the shared queue. Routes are labelled by their matched
//! template, never the raw path (signing tokens are in paths).

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use async_trait::async_trait;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use signet_core::port::{
    CallbackRequest, CallbackSender, DeliveryError, Email, Mailer, Store, StoreError, TimedResponse,
};
use time::OffsetDateTime;

/// Labels of a request: method, matched route template and status class (`2xx`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

/// Labels of a job run: its kind and whether it succeeded (`ok`, `error`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    kind: String,
    outcome: String,
}

/// Labels of a delivery count: `sent` or `failed`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

/// Labels of a queue gauge: job kind and, for queued jobs, `due` or `scheduled`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    kind: String,
    state: String,
}

/// Labels of a per-kind gauge.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: String,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// This process's metrics and their registry.
pub struct Metrics {
    registry: Registry,
    requests: Histograms<RequestLabels>,
    jobs: Histograms<JobLabels>,
    seals: Histogram,
    emails: Family<ResultLabels, Counter>,
    callbacks: Family<ResultLabels, Counter>,
    queued: Family<QueueLabels, Gauge>,
    dead: Family<KindLabels, Gauge>,
    oldest_due: Family<KindLabels, Gauge<f64, AtomicU64>>,
}

fn latency_buckets() -> Histogram {
    // 5 ms to ~80 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 15))
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Empty metrics, registered under their `signet_` names.
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let requests: Histograms<RequestLabels> = Family::new_with_constructor(latency_buckets);
        let jobs: Histograms<JobLabels> = Family::new_with_constructor(latency_buckets);
        let seals = latency_buckets();
        let emails = Family::<ResultLabels, Counter>::default();
        let callbacks = Family::<ResultLabels, Counter>::default();
        let queued = Family::<QueueLabels, Gauge>::default();
        let dead = Family::<KindLabels, Gauge>::default();
        let oldest_due = Family::<KindLabels, Gauge<f64, AtomicU64>>::default();
        registry.register(
            "signet_http_request_duration_seconds",
            "HTTP request latency by method, matched route template and status class",
            requests.clone(),
        );
        registry.register(
            "signet_job_duration_seconds",
            "Job run time by kind and outcome (ok, error)",
            jobs.clone(),
        );
        registry.register(
            "signet_seal_duration_seconds",
            "Time to seal an envelope (successful seal_envelope jobs)",
            seals.clone(),
        );
        registry.register(
            "signet_emails",
            "E-mails handed to the mail system (sent) or refused (failed)",
            emails.clone(),
        );
        registry.register(
            "signet_callbacks",
            "Callback deliveries answered with 2xx (sent) or not (failed)",
            callbacks.clone(),
        );
        registry.register(
            "signet_jobs_queued",
            "Pending jobs by kind, due now or scheduled for later (read from the database)",
            queued.clone(),
        );
        registry.register(
            "signet_jobs_dead",
            "Dead jobs by kind (read from the database)",
            dead.clone(),
        );
        registry.register(
            "signet_jobs_oldest_due_age_seconds",
            "How long the oldest due job of each kind has waited (read from the database)",
            oldest_due.clone(),
        );
        Self {
            registry,
            requests,
            jobs,
            seals,
            emails,
            callbacks,
            queued,
            dead,
            oldest_due,
        }
    }

    /// Records a finished job run.
    pub fn job_ran(&self, kind: &str, ok: bool, seconds: f64) {
        let outcome = if ok { "ok" } else { "error" };
        self.jobs
            .get_or_create(&JobLabels {
                kind: kind.to_string(),
                outcome: outcome.to_string(),
            })
            .observe(seconds);
        if ok && kind == "seal_envelope" {
            self.seals.observe(seconds);
        }
    }

    /// Reads the queue figures from the database and renders everything in the text format.
    pub async fn render(
        &self,
        store: &dyn Store,
        now: OffsetDateTime,
    ) -> Result<String, StoreError> {
        let counts = store.job_queue_counts(now).await?;
        self.queued.clear();
        self.dead.clear();
        self.oldest_due.clear();
        for count in counts {
            let kind = KindLabels {
                kind: count.kind.clone(),
            };
            if count.state == "dead" {
                self.dead.get_or_create(&kind).set(count.count);
                continue;
            }
            if count.state == "due"
                && let Some(oldest) = count.oldest_run_at
            {
                let age = (now - oldest).as_seconds_f64().max(0.0);
                self.oldest_due.get_or_create(&kind).set(age);
            }
            self.queued
                .get_or_create(&QueueLabels {
                    kind: count.kind,
                    state: count.state,
                })
                .set(count.count);
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .map_err(|_| StoreError::Backend("the metrics could not be encoded".into()))?;
        Ok(text)
    }
}

/// Middleware: times each request under its matched route template and status class.
pub async fn track_request(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("<unmatched>", MatchedPath::as_str)
        .to_string();
    let response = next.run(request).await;
    let status = format!("{}xx", response.status().as_u16() / 100);
    metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status,
        })
        .observe(started.elapsed().as_secs_f64());
    response
}

/// A [`Mailer`] that counts what the one it wraps sends and fails to send.
pub struct CountingMailer {
    /// The real mailer.
    pub inner: Arc<dyn Mailer>,
    /// Where to count.
    pub metrics: Arc<Metrics>,
}

#[async_trait]
impl Mailer for CountingMailer {
    async fn send(&self, email: &Email) -> Result<(), DeliveryError> {
        let result = self.inner.send(email).await;
        let label = if result.is_ok() { "sent" } else { "failed" };
        self.metrics
            .emails
            .get_or_create(&ResultLabels { result: label })
            .inc();
        result
    }
}

/// A [`CallbackSender`] that counts deliveries answered with 2xx and the others.
pub struct CountingCallbacks {
    /// The real sender.
    pub inner: Arc<dyn CallbackSender>,
    /// Where to count.
    pub metrics: Arc<Metrics>,
}

#[async_trait]
impl CallbackSender for CountingCallbacks {
    async fn post(&self, request: &CallbackRequest) -> Result<u16, DeliveryError> {
        let result = self.inner.post(request).await;
        self.count(&result);
        result
    }

    async fn post_timed(&self, request: &CallbackRequest) -> TimedResponse {
        let response = self.inner.post_timed(request).await;
        self.count(&response.status);
        response
    }

    async fn check_target(&self, url: &str) -> Result<(), DeliveryError> {
        self.inner.check_target(url).await
    }
}

impl CountingCallbacks {
    /// Counts one delivery (an envelope callback or a webhook): sent on 2xx, else failed.
    fn count(&self, result: &Result<u16, DeliveryError>) {
        let sent = matches!(result, Ok(status) if (200..300).contains(status));
        let label = if sent { "sent" } else { "failed" };
        self.metrics
            .callbacks
            .get_or_create(&ResultLabels { result: label })
            .inc();
    }
}
