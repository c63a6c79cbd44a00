//! What operators and orchestrators call: `/healthz` (the process answers), `/readyz` (the
//! database answers, its schema is current, the seal key is loaded, and the process is not
//! shutting down) and `/metrics` (Prometheus text, behind a bearer token of its own). These
//! routes sit outside the API's rate limits and carry no account data.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use sha2::{Digest, Sha256};
use signet_api::ApiError;
use signet_core::Signet;
use signet_core::model::JobPayload;
use signet_core::port::Store;
use signet_core::usecase::job::JobError;
use signet_worker::JobExecutor;
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use crate::metrics::Metrics;

/// The operations state of one process.
pub struct Ops {
    /// This process's metrics.
    pub metrics: Arc<Metrics>,
    /// SHA-256 of the token `/metrics` asks for; `None`: `/metrics` is off (404).
    metrics_token: Option<[u8; 32]>,
    /// Set once shutdown begins: `/readyz` answers 503 so load balancers stop sending.
    stopping: AtomicBool,
}

impl Ops {
    /// Operations state with `/metrics` behind `metrics_token` (off without one).
    pub fn new(metrics_token: Option<&str>) -> Self {
        Self {
            metrics: Arc::new(Metrics::new()),
            metrics_token: metrics_token
                .filter(|t| !t.is_empty())
                .map(|t| Sha256::digest(t.as_bytes()).into()),
            stopping: AtomicBool::new(false),
        }
    }

    /// Marks the process as shutting down.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }
}

#[derive(Clone)]
struct OpsState {
    signet: Signet,
    ops: Arc<Ops>,
}

/// The `/healthz`, `/readyz` and `/metrics` routes.
pub fn routes(signet: Signet, ops: Arc<Ops>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(OpsState { signet, ops })
}

async fn healthz() -> axum::Json<serde_json::Value> {
    axum::Json(json!({"status": "ok"}))
}

async fn readyz(State(state): State<OpsState>) -> Response {
    let store = state.signet.store();
    let (database, migrations) = match store.ping().await {
        Err(_) => (false, false),
        Ok(()) => (true, matches!(store.schema_current().await, Ok(true))),
    };
    let seal_key = !state.signet.keys().seal_cert_der.is_empty();
    let running = !state.ops.stopping.load(Ordering::SeqCst);
    let checks = [
        ("database", database),
        ("migrations", migrations),
        ("seal_key", seal_key),
        ("accepting", running),
    ];
    let failed: Vec<&str> = checks
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(name, _)| *name)
        .collect();
    if failed.is_empty() {
        let checks: serde_json::Map<_, _> = checks
            .iter()
            .map(|(name, _)| ((*name).to_string(), json!("ok")))
            .collect();
        return axum::Json(json!({"status": "ready", "checks": checks})).into_response();
    }
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "not_ready",
        format!("not ready; failed checks: {}", failed.join(", ")),
    )
    .into_response()
}

async fn metrics(State(state): State<OpsState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.ops.metrics_token else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "metrics are off (set SIGNET_METRICS_TOKEN)",
        )
        .into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| Sha256::digest(t.trim().as_bytes()));
    let allowed = given.is_some_and(|given| bool::from(given.as_slice().ct_eq(&expected)));
    if !allowed {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "the metrics token is missing or wrong",
        )
        .into_response();
    }
    let now = state.signet.now();
    match state
        .ops
        .metrics
        .render(state.signet.store().as_ref(), now)
        .await
    {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            )],
            text,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "reading the queue figures for /metrics failed");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database did not answer",
            )
            .into_response()
        }
    }
}

/// The job executor the worker uses: the core, timed per job kind.
pub struct MeasuredExecutor {
    /// The core.
    pub signet: Signet,
    /// Where run times go.
    pub metrics: Arc<Metrics>,
}

#[async_trait]
impl JobExecutor for MeasuredExecutor {
    fn store(&self) -> &dyn Store {
        self.signet.store().as_ref()
    }

    fn now(&self) -> OffsetDateTime {
        self.signet.now()
    }

    async fn execute(&self, payload: &JobPayload) -> Result<(), JobError> {
        let started = Instant::now();
        let result = self.signet.run_job(payload).await;
        let seconds = started.elapsed().as_secs_f64();
        self.metrics
            .job_ran(payload.kind(), result.is_ok(), seconds);
        result
    }

    async fn gave_up(&self, payload: &JobPayload, error: &str) {
        // What a dead job means (an e-mail that will never arrive) is the core's to record.
        JobExecutor::gave_up(&self.signet, payload, error).await;
    }
}
