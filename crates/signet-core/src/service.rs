//! [`Signet`]: the entry point to every use case, holding the ports it works through.

use std::sync::Arc;

use time::OffsetDateTime;

use crate::instance::InstanceKeys;
use crate::port::{
    BlobStore, CallbackSender, CrlClient, DocumentConverter, IdentityProviders, JobSignal, Mailer,
    Sms, Store, TimestampClient,
};
use crate::time::{Clock, storable};

/// Settings the use cases need (read from the environment by the server, never here).
#[derive(Clone, Debug)]
pub struct CoreConfig {
    /// Base URL of this instance as seen by signers, without a trailing slash.
    pub public_url: String,
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: u64,
    /// Most documents an envelope may hold.
    pub max_documents: usize,
    /// Most recipients an envelope may hold.
    pub max_signers: usize,
    /// Limits for parsing untrusted PDFs.
    pub pdf_limits: signet_pdf::Limits,
    /// Accept callback URLs on loopback and private networks (for tests and closed networks).
    pub allow_private_callbacks: bool,
    /// PAdES baseline level of sealed documents and proofs. B-T and above are time-stamped by
    /// the built-in TSA; B-LT and above embed the instance CRL; B-LTA adds a document time-stamp.
    pub pades_level: signet_pdf::PadesLevel,
    /// Root certificates (DER) the verifier trusts besides the instance root (for example the
    /// root of a remote TSA).
    pub trust_roots: Vec<Vec<u8>>,
    /// Longest a `POST /api/v1/verify` may take before the client gets 422
    /// `pdf_limit_exceeded` (the work itself is bounded by `pdf_limits`).
    pub verify_timeout: std::time::Duration,
    /// Longest reading an uploaded document (pages and tags) may take before the upload gets
    /// 422 `pdf_limit_exceeded`.
    pub inspect_timeout: std::time::Duration,
    /// How long a password-reset link works.
    pub password_reset_ttl: time::Duration,
    /// How long a personal access token is valid when its creator names no expiry.
    pub personal_token_ttl: time::Duration,
    /// How long an OAuth2 access token works.
    pub oauth_access_ttl: std::time::Duration,
    /// How long an OAuth2 refresh token can be exchanged.
    pub oauth_refresh_ttl: std::time::Duration,
    /// Above this many bytes of sealed PDFs the completed e-mail carries a download link
    /// instead of attachments.
    pub mail_attachment_limit_bytes: u64,
}

impl Default for CoreConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            max_upload_bytes: 25 * 1024 * 1024,
            max_documents: 20,
            max_signers: 100,
            pdf_limits: signet_pdf::Limits::default(),
            allow_private_callbacks: false,
            pades_level: signet_pdf::PadesLevel::BLTA,
            trust_roots: Vec::new(),
            verify_timeout: std::time::Duration::from_secs(10),
            inspect_timeout: std::time::Duration::from_secs(30),
            password_reset_ttl: time::Duration::hours(1),
            personal_token_ttl: time::Duration::days(30),
            oauth_access_ttl: std::time::Duration::from_secs(30 * 60),
            oauth_refresh_ttl: std::time::Duration::from_secs(14 * 24 * 3600),
            mail_attachment_limit_bytes: crate::model::ATTACHMENT_LIMIT_BYTES,
        }
    }
}

/// The ports and settings a [`Signet`] works with.
pub struct Deps {
    /// Persistence.
    pub store: Arc<dyn Store>,
    /// Document bytes.
    pub blobs: Arc<dyn BlobStore>,
    /// Outgoing e-mail.
    pub mailer: Arc<dyn Mailer>,
    /// Outgoing callbacks.
    pub callbacks: Arc<dyn CallbackSender>,
    /// Time.
    pub clock: Arc<dyn Clock>,
    /// The instance's seal, link key and master key.
    pub keys: Arc<InstanceKeys>,
    /// Nudges a local worker when jobs are committed.
    pub job_signal: Arc<dyn JobSignal>,
    /// A remote time-stamping authority; `None` uses the instance's built-in TSA.
    pub remote_tsa: Option<Arc<dyn TimestampClient>>,
    /// Converts DOC and DOCX uploads to PDF; `None` refuses them (415).
    pub converter: Option<Arc<dyn DocumentConverter>>,
    /// Fetches the CRLs of an imported seal's chain for B-LT and above; without it such seals
    /// are delayed (never made without revocation data).
    pub crl_client: Option<Arc<dyn CrlClient>>,
    /// Sends one-time codes by SMS; without it signers with `sms` authentication cannot be
    /// added (422 `sms_unavailable`).
    pub sms: Option<Arc<dyn Sms>>,
    /// The OpenID Connect identity providers signers with `oidc` authentication log in at;
    /// without it such signers cannot be added (422 `identity_provider_unknown`).
    pub identity: Option<Arc<dyn IdentityProviders>>,
    /// Settings.
    pub config: CoreConfig,
}

/// The application core. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Signet {
    pub(crate) deps: Arc<Deps>,
}

impl Signet {
    /// Builds the core from its ports.
    pub fn new(deps: Deps) -> Self {
        Self {
            deps: Arc::new(deps),
        }
    }

    /// The settings in use.
    pub fn config(&self) -> &CoreConfig {
        &self.deps.config
    }

    /// The store (for the worker and operational commands).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.deps.store
    }

    /// The instance's keys.
    pub fn keys(&self) -> &InstanceKeys {
        &self.deps.keys
    }

    /// The root's CRL as of now (see [`InstanceKeys::current_crl`]).
    pub fn current_crl(&self) -> Result<Vec<u8>, crate::CoreError> {
        self.deps.keys.current_crl(self.now())
    }

    /// "Now", as stored.
    pub fn now(&self) -> OffsetDateTime {
        storable(self.deps.clock.now())
    }

    pub(crate) fn store_ref(&self) -> &dyn Store {
        self.deps.store.as_ref()
    }

    /// Commits a change and, if it enqueued jobs, nudges the local worker.
    pub(crate) async fn commit(
        &self,
        mut change: crate::mutation::Mutation,
    ) -> Result<crate::model::EnvelopeRecord, crate::CoreError> {
        // A change that starts a signer's turn also writes its first scheduled reminder.
        self.schedule_turn_reminders(&mut change).await?;
        let has_jobs = change.has_jobs();
        let record = change.commit(self.store_ref()).await?;
        if has_jobs {
            self.deps.job_signal.jobs_enqueued();
        }
        Ok(record)
    }

    pub(crate) fn blobs(&self) -> Arc<dyn BlobStore> {
        Arc::clone(&self.deps.blobs)
    }
}
