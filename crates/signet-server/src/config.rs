//! Settings, from flags or environment variables (flags win).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use signet_api::client_ip::{IpNet, TrustedProxies};
use signet_api::rate_limit::{Quota, RateLimitConfig};

/// Where Signet keeps its data and how it reaches the outside world.
#[derive(Args, Clone, Debug)]
pub struct Config {
    /// Data folder: the SQLite database, document blobs, the mail outbox and the master key.
    #[arg(long, env = "SIGNET_DATA_DIR", default_value = "./signet-data")]
    pub data_dir: PathBuf,
    /// `postgres://...` to use PostgreSQL; by default an SQLite file in the data folder.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Base URL of this instance in the links it mails (default: http://<listen address>).
    #[arg(long, env = "SIGNET_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// SMTP server for outgoing mail: `smtp://[user:pass@]host[:port][?tls=starttls]` or
    /// `smtps://...`. Without it, mail is written to the data folder's `outbox/`.
    #[arg(long, env = "SIGNET_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The From address of outgoing mail.
    #[arg(long, env = "SIGNET_SMTP_FROM", default_value = "signet@localhost")]
    pub smtp_from: String,
    /// Above this many bytes of sealed PDFs the completed e-mail carries a download link
    /// instead of attachments, whatever the account chose.
    #[arg(long, env = "SIGNET_MAIL_ATTACHMENT_LIMIT_BYTES", default_value_t = 10 * 1024 * 1024)]
    pub mail_attachment_limit_bytes: u64,
    /// Largest accepted document upload, in bytes.
    #[arg(long, env = "SIGNET_MAX_UPLOAD_BYTES", default_value_t = 25 * 1024 * 1024)]
    pub max_upload_bytes: u64,
    /// Longest one `POST /api/v1/verify` may take, in seconds, before the client gets 422.
    #[arg(long, env = "SIGNET_VERIFY_TIMEOUT_SECS", default_value_t = 10)]
    pub verify_timeout_secs: u64,
    /// Call callback URLs on loopback and private networks (closed networks and tests only).
    #[arg(long, env = "SIGNET_ALLOW_PRIVATE_CALLBACKS", default_value_t = false)]
    pub allow_private_callbacks: bool,
    /// OpenID Connect identity providers for signer authentication, as a JSON array of
    /// `{"name", "issuer", "client_id", "client_secret", "scopes", "required_claim",
    /// "token_auth", "userinfo"}` (see docs/operations.md). Register `{public URL}/oidc/callback`
    /// as the redirect URI at each.
    #[arg(long, env = "SIGNET_OIDC_PROVIDERS", hide_env_values = true)]
    pub oidc_providers: Option<String>,
    /// Base64 of 32 bytes that encrypt the instance's keys in the database. Every node sharing
    /// a database needs the same value. Default: `master.key` in the data folder, created on
    /// first start.
    #[arg(long, env = "SIGNET_MASTER_KEY", hide_env_values = true)]
    pub master_key: Option<String>,
    /// Organisation name in the instance's seal certificate (used when it is first created).
    #[arg(long, env = "SIGNET_ORGANIZATION", default_value = "Signet")]
    pub organization: String,
    /// PAdES baseline level of sealed documents and proofs: B-B, B-T, B-LT or B-LTA. B-T and
    /// above carry a time-stamp from the built-in TSA; B-LT and above embed revocation data so
    /// they validate offline; B-LTA adds a document time-stamp.
    #[arg(long, env = "SIGNET_PADES_LEVEL", default_value = "B-LTA", value_parser = parse_pades_level)]
    pub pades_level: signet_pdf::PadesLevel,
    /// Root certificates (PEM files, comma-separated) the verifier trusts besides the instance
    /// root, e.g. the root of the TSA at SIGNET_TSA_URL.
    #[arg(long, env = "SIGNET_TRUST_ROOTS", value_delimiter = ',')]
    pub trust_roots: Vec<std::path::PathBuf>,
    /// Key type of the instance's root, seal and TSA keys when they are first created:
    /// `ecdsa-p256` or `rsa-3072` (existing keys are kept).
    #[arg(long, env = "SIGNET_SEAL_KEY", default_value = "ecdsa-p256", value_parser = parse_key_algorithm)]
    pub seal_key: signet_pdf::KeyAlgorithm,
    /// An RFC 3161 time-stamping authority to use instead of the built-in one, e.g.
    /// `https://freetsa.org/tsr`. When it fails, sealing waits and retries; it never falls back
    /// to the built-in TSA or a lower level.
    #[arg(long, env = "SIGNET_TSA_URL")]
    pub tsa_url: Option<String>,
    /// The LibreOffice program that converts DOC and DOCX uploads to PDF; default: `soffice`
    /// or `libreoffice` on the PATH; `none` turns conversion off. Without one, such uploads
    /// get 415 `conversion_unavailable`.
    #[arg(long, env = "SIGNET_SOFFICE")]
    pub soffice: Option<std::path::PathBuf>,
    /// Longest one DOC or DOCX conversion may take, in seconds, before the upload gets 422.
    #[arg(long, env = "SIGNET_CONVERT_TIMEOUT_SECS", default_value_t = 60)]
    pub convert_timeout_secs: u64,
    /// Longest reading an uploaded PDF (pages, tags) may take, in seconds, before it gets 422.
    #[arg(long, env = "SIGNET_PDF_TIMEOUT_SECS", default_value_t = 30)]
    pub pdf_timeout_secs: u64,
    /// Most pages a PDF may have.
    #[arg(long, env = "SIGNET_PDF_MAX_PAGES", default_value_t = 10_000)]
    pub pdf_max_pages: u32,
    /// Most objects (cross-reference entries) a PDF may have.
    #[arg(long, env = "SIGNET_PDF_MAX_OBJECTS", default_value_t = 1_000_000)]
    pub pdf_max_objects: u64,
    /// Most bytes the streams of one PDF may decode to in all, in MiB (bounds the memory a
    /// document can make Signet use; one stream gets at most a quarter of it).
    #[arg(long, env = "SIGNET_PDF_MAX_DECODED_MB", default_value_t = 1024)]
    pub pdf_max_decoded_mb: u64,
    /// How long an e-mailed password-reset link works, in minutes.
    #[arg(long, env = "SIGNET_PASSWORD_RESET_TTL_MINS", default_value_t = 60,
        value_parser = clap::value_parser!(u32).range(1..=10_080))]
    pub password_reset_ttl_mins: u32,
    /// How many days a personal access token is valid when its creator names no expiry.
    #[arg(long, env = "SIGNET_PAT_TTL_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub pat_ttl_days: u32,
    /// How long an OAuth2 access token works, in seconds.
    #[arg(long, env = "SIGNET_OAUTH_ACCESS_TTL_SECS", default_value_t = 1800)]
    pub oauth_access_ttl_secs: u64,
    /// How long an OAuth2 refresh token can be exchanged, in days.
    #[arg(long, env = "SIGNET_OAUTH_REFRESH_TTL_DAYS", default_value_t = 14)]
    pub oauth_refresh_ttl_days: u64,
    /// Bearer token that `GET /metrics` asks for (Prometheus `authorization` setting). Without
    /// it `/metrics` answers 404.
    #[arg(long, env = "SIGNET_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// On SIGTERM or Ctrl-C, how long in-flight requests and running jobs may take to finish, in
    /// seconds; jobs still running then are released for another worker.
    #[arg(long, env = "SIGNET_SHUTDOWN_GRACE_SECS", default_value_t = 30)]
    pub shutdown_grace_secs: u64,
    /// Reverse proxies (IP addresses or CIDR networks, comma-separated) whose
    /// `X-Forwarded-For` / `Forwarded` headers name the client. Default: none, so the client
    /// is the socket peer and those headers are ignored.
    #[arg(long, env = "SIGNET_TRUSTED_PROXIES", value_delimiter = ',', value_parser = TrustedProxies::parse_entry)]
    pub trusted_proxies: Vec<IpNet>,
    /// Rate limits.
    #[command(flatten)]
    pub rate: RateConfig,
    /// How this process's job worker claims and runs jobs.
    #[command(flatten)]
    pub jobs: JobConfig,
    /// Where document blobs live (the data folder, or S3).
    #[command(flatten)]
    pub blobs: crate::blobs::BlobConfig,
    /// The SMS gateway for one-time codes.
    #[command(flatten)]
    pub sms: SmsConfig,
}

/// An HTTP SMS gateway for signers' one-time codes (`auth_method` `sms`). Without a URL,
/// signers cannot be given `sms` authentication.
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct SmsConfig {
    /// The gateway's URL; `{to}` (E.164 number) and `{text}` are replaced, URL-encoded.
    #[arg(long, env = "SIGNET_SMS_URL")]
    pub sms_url: Option<String>,
    /// HTTP method: POST, PUT or GET.
    #[arg(long, env = "SIGNET_SMS_METHOD", default_value = "POST")]
    pub sms_method: String,
    /// Request headers as a JSON object, e.g. `{"Authorization": "Bearer …"}`.
    #[arg(long, env = "SIGNET_SMS_HEADERS", hide_env_values = true)]
    pub sms_headers: Option<String>,
    /// Body template with `{to}` and `{text}` (JSON-escaped for a JSON content type, the
    /// default; URL-encoded for `application/x-www-form-urlencoded`).
    #[arg(
        long,
        env = "SIGNET_SMS_BODY",
        default_value = r#"{"to": "{to}", "text": "{text}"}"#
    )]
    pub sms_body: String,
}

impl SmsConfig {
    /// The gateway's settings, or `None` when no URL is configured.
    pub fn gateway(&self) -> anyhow::Result<Option<signet_worker::SmsGatewayConfig>> {
        use anyhow::Context;
        let Some(url) = &self.sms_url else {
            return Ok(None);
        };
        let headers: std::collections::BTreeMap<String, String> = match &self.sms_headers {
            Some(json) => serde_json::from_str(json)
                .context("SIGNET_SMS_HEADERS must be a JSON object of strings")?,
            None => Default::default(),
        };
        let body = (!self.sms_method.eq_ignore_ascii_case("GET")).then(|| self.sms_body.clone());
        Ok(Some(signet_worker::SmsGatewayConfig {
            url: url.clone(),
            method: self.sms_method.clone(),
            headers: headers.into_iter().collect(),
            body,
            timeout: std::time::Duration::from_secs(15),
        }))
    }
}

/// The job worker's settings. Every node of a cluster may use its own values.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct JobConfig {
    /// How long a claimed job stays reserved for its worker, in seconds (renewed every third of
    /// it while the job runs). When a node dies, its jobs run elsewhere once this has passed.
    #[arg(long, env = "SIGNET_JOB_LEASE_SECS", default_value_t = 300,
        value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub job_lease_secs: u64,
    /// Most jobs this process runs at once.
    #[arg(long, env = "SIGNET_JOB_CONCURRENCY", default_value_t = 4,
        value_parser = clap::value_parser!(u64).range(1..=256))]
    pub job_concurrency: u64,
}

impl Default for JobConfig {
    /// The same values as the flags' defaults.
    fn default() -> Self {
        Self {
            job_lease_secs: 300,
            job_concurrency: 4,
        }
    }
}

impl JobConfig {
    /// The worker settings: these values, the runner's defaults for the rest.
    pub fn worker(&self) -> signet_worker::WorkerConfig {
        signet_worker::WorkerConfig {
            lease: std::time::Duration::from_secs(self.job_lease_secs),
            concurrency: usize::try_from(self.job_concurrency).unwrap_or(4),
            ..signet_worker::WorkerConfig::default()
        }
    }
}

/// Rate limits, each a refill rate per minute (0 turns it off) and a burst. They are kept
/// in each node's memory: with several nodes, each limits on its own.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct RateConfig {
    /// Failed authentications (401) per client address per minute; when they are used up,
    /// every request from that address gets 429 until the bucket refills.
    #[arg(long, env = "SIGNET_RATE_AUTH_FAILURES_PER_MIN", default_value_t = 10)]
    pub auth_failures_per_min: u32,
    /// Failed authentications allowed at once.
    #[arg(long, env = "SIGNET_RATE_AUTH_FAILURES_BURST", default_value_t = 20)]
    pub auth_failures_burst: u32,
    /// Authenticated API requests per credential per minute.
    #[arg(long, env = "SIGNET_RATE_API_PER_MIN", default_value_t = 600)]
    pub api_per_min: u32,
    /// Authenticated API requests per credential at once.
    #[arg(long, env = "SIGNET_RATE_API_BURST", default_value_t = 100)]
    pub api_burst: u32,
    /// Signing-link requests (`/s/…`, `/api/v1/signing/…`) per client address per minute.
    #[arg(long, env = "SIGNET_RATE_SIGNING_PER_MIN", default_value_t = 120)]
    pub signing_per_min: u32,
    /// Signing-link requests per client address at once.
    #[arg(long, env = "SIGNET_RATE_SIGNING_BURST", default_value_t = 60)]
    pub signing_burst: u32,
    /// Token-endpoint requests per client address and per client id per minute.
    #[arg(long, env = "SIGNET_RATE_TOKEN_PER_MIN", default_value_t = 60)]
    pub token_per_min: u32,
    /// Token-endpoint requests per client address and per client id at once.
    #[arg(long, env = "SIGNET_RATE_TOKEN_BURST", default_value_t = 20)]
    pub token_burst: u32,
}

impl Default for RateConfig {
    /// The same values as the flags' defaults.
    fn default() -> Self {
        Self {
            auth_failures_per_min: 10,
            auth_failures_burst: 20,
            api_per_min: 600,
            api_burst: 100,
            signing_per_min: 120,
            signing_burst: 60,
            token_per_min: 60,
            token_burst: 20,
        }
    }
}

impl RateConfig {
    /// The limits for the HTTP surface.
    pub fn limits(&self) -> RateLimitConfig {
        RateLimitConfig {
            auth_failures: Quota::new(self.auth_failures_per_min, self.auth_failures_burst),
            api: Quota::new(self.api_per_min, self.api_burst),
            signing: Quota::new(self.signing_per_min, self.signing_burst),
            token: Quota::new(self.token_per_min, self.token_burst),
            ..RateLimitConfig::default()
        }
    }
}

impl Config {
    /// How the HTTP surface treats clients: trusted proxies and rate limits.
    pub fn api_options(&self) -> signet_api::ApiOptions {
        signet_api::ApiOptions {
            trusted_proxies: TrustedProxies::new(self.trusted_proxies.clone()),
            rate_limits: self.rate.limits(),
        }
    }

    /// The limits for reading untrusted PDFs, from the settings above and the engine's
    /// defaults for the rest.
    pub fn pdf_limits(&self) -> signet_pdf::Limits {
        let decoded = self.pdf_max_decoded_mb.saturating_mul(1024 * 1024);
        signet_pdf::Limits {
            max_pages: self.pdf_max_pages,
            max_objects: self.pdf_max_objects,
            max_document_decoded: decoded,
            max_stream_decoded: decoded / 4,
            ..signet_pdf::Limits::default()
        }
    }

    /// The LibreOffice program to convert with: the configured one if it exists (so a path
    /// such as `none` turns conversion off), else the first `soffice` or `libreoffice` on the
    /// PATH.
    pub fn office_program(&self) -> Option<std::path::PathBuf> {
        if let Some(program) = &self.soffice {
            return program.is_file().then(|| program.clone());
        }
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .flat_map(|dir| [dir.join("soffice"), dir.join("libreoffice")])
            .find(|candidate| candidate.is_file())
    }
}

fn parse_key_algorithm(value: &str) -> Result<signet_pdf::KeyAlgorithm, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "ecdsa-p256" | "p256" | "ec" => Ok(signet_pdf::KeyAlgorithm::EcdsaP256),
        "rsa-3072" | "rsa" => Ok(signet_pdf::KeyAlgorithm::Rsa3072),
        _ => Err(format!(
            "{value:?} is not a seal key type; use ecdsa-p256 or rsa-3072"
        )),
    }
}

/// Parses a PAdES level name (B-B, B-T, B-LT, B-LTA; any case).
pub fn parse_pades_level(value: &str) -> Result<signet_pdf::PadesLevel, String> {
    signet_pdf::PadesLevel::parse(value)
        .ok_or_else(|| format!("{value:?} is not a PAdES level; use B-B, B-T, B-LT or B-LTA"))
}

/// Every `CERTIFICATE` block of a PEM file, as DER.
pub fn read_pem_certificates(path: &std::path::Path) -> anyhow::Result<Vec<Vec<u8>>> {
    use anyhow::Context;
    use base64::Engine;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the certificates in {}", path.display()))?;
    let mut certs = Vec::new();
    for block in text.split("-----BEGIN CERTIFICATE-----").skip(1) {
        let body = block
            .split("-----END CERTIFICATE-----")
            .next()
            .unwrap_or_default();
        let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .with_context(|| format!("a certificate in {} is not valid base64", path.display()))?;
        certs.push(der);
    }
    anyhow::ensure!(
        !certs.is_empty(),
        "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
        path.display()
    );
    Ok(certs)
}

impl Config {
    /// The trusted extra roots (SIGNET_TRUST_ROOTS), as DER.
    pub fn trust_root_certificates(&self) -> anyhow::Result<Vec<Vec<u8>>> {
        let mut roots = Vec::new();
        for path in &self.trust_roots {
            roots.extend(read_pem_certificates(path)?);
        }
        Ok(roots)
    }

    /// The database URL in use.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("signet.db").display()))
    }

    /// Where validators fetch the instance CRL, written into certificates created from now on;
    /// only when the public URL is configured (a guessed one would be baked into them).
    pub fn crl_url(&self) -> Option<String> {
        self.public_url
            .as_ref()
            .map(|url| format!("{}/api/v1/trust/root.crl", url.trim_end_matches('/')))
    }

    /// The public URL in use, without a trailing slash.
    pub fn public_url(&self, listen: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        rate: RateConfig,
        #[arg(long, value_delimiter = ',', value_parser = TrustedProxies::parse_entry)]
        trusted_proxies: Vec<IpNet>,
    }

    #[test]
    fn rate_defaults_match_the_flags_and_the_api_defaults() {
        let flags = Flags::parse_from(["signet"]);
        assert_eq!(flags.rate, RateConfig::default());
        assert_eq!(RateConfig::default().limits(), RateLimitConfig::default());
    }

    #[derive(Parser)]
    struct JobFlags {
        #[command(flatten)]
        jobs: JobConfig,
    }

    #[test]
    fn job_defaults_match_the_flags_and_a_zero_lease_is_refused() {
        let flags = JobFlags::parse_from(["signet"]);
        assert_eq!(flags.jobs, JobConfig::default());
        let worker = JobFlags::parse_from(["signet", "--job-lease-secs", "5"])
            .jobs
            .worker();
        assert_eq!(worker.lease, std::time::Duration::from_secs(5));
        assert_eq!(worker.concurrency, 4);
        assert!(JobFlags::try_parse_from(["signet", "--job-lease-secs", "0"]).is_err());
    }

    #[test]
    fn trusted_proxies_are_a_comma_separated_list_of_networks() {
        let flags = Flags::parse_from(["signet", "--trusted-proxies", "10.0.0.0/8,127.0.0.1"]);
        assert_eq!(flags.trusted_proxies.len(), 2);
        assert!(Flags::try_parse_from(["signet", "--trusted-proxies", "proxy.local"]).is_err());
    }
}
