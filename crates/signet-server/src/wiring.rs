//! Picks the concrete implementations and wires them into the core.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

use anyhow::Context;
use axum::serve::ListenerExt;
use signet_core::instance::{InstanceKeys, PkiSettings};
use signet_core::port::{
    CallbackSender, DocumentConverter, IdentityProviders, JobSignal, Mailer, Sms, TimestampClient,
};
use signet_core::time::{Clock, OffsetDateTime};
use signet_core::{CoreConfig, Deps, Signet};
use signet_worker::{
    CallbackConfig, HttpCallbackSender, HttpCrlClient, HttpIdentityProviders, HttpSmsGateway,
    HttpTimestampClient, LibreOfficeConverter, OutboxMailer, SmtpMailer, Worker,
};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::keys::master_key;
use crate::metrics::{CountingCallbacks, CountingMailer};
use crate::ops::{MeasuredExecutor, Ops};

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// Wakes this process's worker when a request commits jobs (the worker also polls).
#[derive(Default)]
struct WakeWorker(OnceLock<Weak<Worker>>);

impl JobSignal for WakeWorker {
    fn jobs_enqueued(&self) {
        if let Some(worker) = self.0.get().and_then(Weak::upgrade) {
            worker.wake();
        }
    }
}

/// A wired Signet: the core and its worker.
pub struct App {
    /// The core.
    pub signet: Signet,
    /// The job worker.
    pub worker: Arc<Worker>,
    /// Trusted proxies and rate limits for the HTTP surface.
    pub api: signet_api::ApiOptions,
    /// Health, readiness and metrics.
    pub ops: Arc<Ops>,
    /// How long shutdown waits for in-flight requests.
    pub shutdown_grace: Duration,
}

/// The remote TSA client, when `SIGNET_TSA_URL` is set.
fn remote_tsa(config: &Config) -> anyhow::Result<Option<Arc<dyn TimestampClient>>> {
    let Some(url) = &config.tsa_url else {
        return Ok(None);
    };
    let client = HttpTimestampClient::new(url, Duration::from_secs(30))
        .context("configuring the time-stamping authority (SIGNET_TSA_URL)")?;
    tracing::info!(%url, "time-stamps come from a remote TSA");
    Ok(Some(Arc::new(client)))
}

/// The SMS gateway for one-time codes, when `SIGNET_SMS_URL` is set.
fn sms(config: &Config) -> anyhow::Result<Option<Arc<dyn Sms>>> {
    let Some(gateway) = config.sms.gateway()? else {
        return Ok(None);
    };
    let client = HttpSmsGateway::new(gateway).context("configuring the SMS gateway")?;
    Ok(Some(Arc::new(client)))
}

fn identity(config: &Config) -> anyhow::Result<Option<Arc<dyn IdentityProviders>>> {
    let Some(oidc) = crate::oidc_config::oidc_config(
        config.oidc_providers.as_deref(),
        config.allow_private_callbacks,
    )?
    else {
        return Ok(None);
    };
    let providers =
        HttpIdentityProviders::new(oidc).context("configuring SIGNET_OIDC_PROVIDERS")?;
    Ok(Some(Arc::new(providers)))
}

fn converter(config: &Config) -> Option<Arc<dyn DocumentConverter>> {
    let Some(program) = config.office_program() else {
        tracing::info!("LibreOffice not found: DOC and DOCX uploads are refused (415)");
        return None;
    };
    tracing::info!(program = %program.display(), "DOC and DOCX uploads are converted with LibreOffice");
    let timeout = Duration::from_secs(config.convert_timeout_secs);
    Some(Arc::new(LibreOfficeConverter::new(program, timeout)))
}

impl App {
    /// Opens the database (running migrations), the blob store and the instance keys
    /// (creating them on first start), and wires everything. `public_url` is where signers
    /// reach this instance.
    /// With `with_wake`, committing jobs wakes this process's worker at once (turn it off when
    /// the caller drives jobs itself, as the tests do).
    pub async fn build(
        config: &Config,
        public_url: String,
        clock: Arc<dyn Clock>,
        with_wake: bool,
    ) -> anyhow::Result<Self> {
        let wake = Arc::new(WakeWorker::default());
        let ops = Arc::new(Ops::new(config.metrics_token.as_deref()));
        let metrics = Arc::clone(&ops.metrics);
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating the data folder {}", config.data_dir.display()))?;
        let store = signet_store::open_store(&config.database_url())
            .await
            .context("opening the database")?;
        let blobs = crate::blobs::open_blob_store(&config.blobs, &config.data_dir)?;
        let key = master_key(config.master_key.as_deref(), &config.data_dir)?;
        let now = signet_core::time::storable(clock.now());
        let settings = PkiSettings {
            organization: config.organization.clone(),
            crl_url: config.crl_url(),
            algorithm: config.seal_key,
        };
        let keys = InstanceKeys::load_or_create(store.as_ref(), &key, &settings, now)
            .await
            .context("loading the instance keys")?;
        let core_config = CoreConfig {
            public_url,
            max_upload_bytes: config.max_upload_bytes,
            mail_attachment_limit_bytes: config.mail_attachment_limit_bytes,
            allow_private_callbacks: config.allow_private_callbacks,
            pades_level: config.pades_level,
            trust_roots: config.trust_root_certificates()?,
            verify_timeout: Duration::from_secs(config.verify_timeout_secs),
            inspect_timeout: Duration::from_secs(config.pdf_timeout_secs),
            pdf_limits: config.pdf_limits(),
            password_reset_ttl: time::Duration::minutes(config.password_reset_ttl_mins.into()),
            personal_token_ttl: time::Duration::days(i64::from(config.pat_ttl_days)),
            oauth_access_ttl: Duration::from_secs(config.oauth_access_ttl_secs),
            oauth_refresh_ttl: Duration::from_secs(
                config.oauth_refresh_ttl_days.saturating_mul(24 * 3600),
            ),
            ..CoreConfig::default()
        };
        let deps = Deps {
            store,
            blobs,
            mailer: Arc::new(CountingMailer {
                inner: mailer(config)?,
                metrics: Arc::clone(&metrics),
            }),
            callbacks: Arc::new(CountingCallbacks {
                inner: Arc::new(HttpCallbackSender::new(CallbackConfig {
                    allow_private: config.allow_private_callbacks,
                    ..CallbackConfig::default()
                })?) as Arc<dyn CallbackSender>,
                metrics: Arc::clone(&metrics),
            }),
            clock,
            keys: Arc::new(keys),
            job_signal: Arc::clone(&wake) as Arc<dyn JobSignal>,
            remote_tsa: remote_tsa(config)?,
            converter: converter(config),
            crl_client: Some(Arc::new(
                HttpCrlClient::new(Duration::from_secs(30)).context("configuring CRL downloads")?,
            )),
            sms: sms(config)?,
            identity: identity(config)?,
            config: core_config,
        };
        let signet = Signet::new(deps);
        let shutdown_grace = Duration::from_secs(config.shutdown_grace_secs);
        let executor = MeasuredExecutor {
            signet: signet.clone(),
            metrics,
        };
        let worker_config = signet_worker::WorkerConfig {
            shutdown_grace,
            ..config.jobs.worker()
        };
        let worker = Arc::new(Worker::with_executor(Arc::new(executor), worker_config));
        if with_wake {
            let _ = wake.0.set(Arc::downgrade(&worker));
        }
        Ok(Self {
            signet,
            worker,
            api: config.api_options(),
            ops,
            shutdown_grace,
        })
    }

    /// The HTTP router (with its own, empty rate limiters): the API, timed per route for the
    /// metrics, and the health, readiness and metrics routes.
    pub fn router(&self) -> axum::Router {
        let metrics = Arc::clone(&self.ops.metrics);
        signet_api::router(self.signet.clone(), self.api.clone())
            .layer(axum::middleware::from_fn_with_state(
                metrics,
                crate::metrics::track_request,
            ))
            .merge(crate::ops::routes(
                self.signet.clone(),
                Arc::clone(&self.ops),
            ))
    }
}

/// Says, once at start-up of a process that sends mail, where mail goes when SMTP is not set.
pub fn warn_if_mail_goes_to_the_outbox(config: &Config) {
    if config.smtp_url.is_none() {
        let outbox = config.data_dir.join("outbox");
        tracing::warn!(outbox = %outbox.display(), "SIGNET_SMTP_URL is not set: e-mails are written to the outbox folder instead of being sent");
    }
}

fn mailer(config: &Config) -> anyhow::Result<Arc<dyn Mailer>> {
    match &config.smtp_url {
        Some(url) => Ok(Arc::new(
            SmtpMailer::from_url(url, &config.smtp_from).context("SIGNET_SMTP_URL")?,
        )),
        None => {
            let outbox = config.data_dir.join("outbox");
            Ok(Arc::new(
                OutboxMailer::new(outbox, &config.smtp_from)
                    .context("opening the outbox folder")?,
            ))
        }
    }
}

/// Serves HTTP on `listener` (and runs the worker when `with_worker`) until `shutdown` fires;
/// then `/readyz` turns 503, the listener closes, in-flight requests get up to the shutdown
/// grace period to finish, and the worker stops claiming and finishes or releases its jobs.
pub async fn serve(
    app: &App,
    listener: TcpListener,
    shutdown: CancellationToken,
    with_worker: bool,
) -> anyhow::Result<()> {
    let addr: SocketAddr = listener.local_addr()?;
    tracing::info!(%addr, public_url = %app.signet.config().public_url, "signet is listening");
    let router = app
        .router()
        .into_make_service_with_connect_info::<SocketAddr>();
    // Small responses go out at once instead of waiting on Nagle's algorithm (delayed-ACK
    // stalls of ~40 ms were measured on downloads without this).
    let listener = listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(%err, "could not set TCP_NODELAY");
        }
    });
    let ops = Arc::clone(&app.ops);
    let stop = shutdown.clone();
    let http = axum::serve(listener, router).with_graceful_shutdown(async move {
        stop.cancelled().await;
        ops.stop();
    });
    let http = bounded(http.into_future(), shutdown.clone(), app.shutdown_grace);
    if with_worker {
        let worker = Arc::clone(&app.worker);
        let sweep = crate::blobs::sweep_orphan_blobs(app.signet.clone(), shutdown.clone());
        let retention =
            crate::retention::schedule_retention_sweeps(app.signet.clone(), shutdown.clone());
        let (served, (), (), ()) = tokio::join!(http, worker.run(shutdown), sweep, retention);
        served?;
    } else {
        http.await?;
    }
    Ok(())
}

/// Runs the server until it has drained, or until `grace` after `shutdown` fired, whichever
/// comes first (then the requests still running are dropped).
async fn bounded(
    http: impl std::future::Future<Output = std::io::Result<()>>,
    shutdown: CancellationToken,
    grace: Duration,
) -> anyhow::Result<()> {
    tokio::select! {
        served = http => Ok(served?),
        () = async { shutdown.cancelled().await; tokio::time::sleep(grace).await } => {
            tracing::warn!(grace_s = grace.as_secs(), "shutdown grace period over; dropping requests still running");
            Ok(())
        }
    }
}
