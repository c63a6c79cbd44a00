//! Settings, from flags or environment variables (flags win).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

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
    /// Largest accepted document upload, in bytes.
    #[arg(long, env = "SIGNET_MAX_UPLOAD_BYTES", default_value_t = 25 * 1024 * 1024)]
    pub max_upload_bytes: u64,
    /// Call callback URLs on loopback and private networks (closed networks and tests only).
    #[arg(long, env = "SIGNET_ALLOW_PRIVATE_CALLBACKS", default_value_t = false)]
    pub allow_private_callbacks: bool,
    /// Base64 of 32 bytes that encrypt the instance's keys in the database. Every node sharing
    /// a database needs the same value. Default: `master.key` in the data folder, created on
    /// first start.
    #[arg(long, env = "SIGNET_MASTER_KEY", hide_env_values = true)]
    pub master_key: Option<String>,
    /// Organisation name in the instance's seal certificate (used when it is first created).
    #[arg(long, env = "SIGNET_ORGANIZATION", default_value = "Signet")]
    pub organization: String,
}

impl Config {
    /// The database URL in use.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("signet.db").display()))
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
