//! Where document blobs live: the data folder (default) or an S3-compatible bucket
//! (`SIGNET_BLOB_URL=s3://bucket/prefix`), and the periodic orphan-blob sweep.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use signet_core::Signet;
use signet_core::port::BlobStore;
use signet_store::{FsBlobStore, S3BlobStore, S3Config};
use tokio_util::sync::CancellationToken;

/// How old a blob no row references must be before the sweep deletes it: longer than any
/// upload or sealing takes between writing a blob and committing its row.
pub const ORPHAN_GRACE: Duration = Duration::from_secs(3600);
/// How often a worker sweeps (it also sweeps when it starts).
pub const SWEEP_EVERY: Duration = Duration::from_secs(6 * 3600);

/// Blob storage settings.
#[derive(Args, Clone, Debug)]
pub struct BlobConfig {
    /// `s3://bucket/prefix` to keep document blobs in an S3-compatible object store (so nodes
    /// need no shared disk); by default they are files under the data folder's `blobs/`.
    #[arg(long, env = "SIGNET_BLOB_URL")]
    pub blob_url: Option<String>,
    /// Endpoint of an S3-compatible service (MinIO, Ceph, …), e.g. `https://s3.example.net`;
    /// AWS S3 when unset.
    #[arg(long, env = "SIGNET_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    /// Region of the bucket.
    #[arg(long, env = "SIGNET_S3_REGION", default_value = "us-east-1")]
    pub s3_region: String,
    /// Access key id; without it (and the secret), credentials come from the instance
    /// metadata service.
    #[arg(long, env = "SIGNET_S3_ACCESS_KEY_ID")]
    pub s3_access_key_id: Option<String>,
    /// Secret access key.
    #[arg(long, env = "SIGNET_S3_SECRET_ACCESS_KEY", hide_env_values = true)]
    pub s3_secret_access_key: Option<String>,
    /// Allow a plain `http://` endpoint (a loopback or closed network only).
    #[arg(long, env = "SIGNET_S3_ALLOW_HTTP", default_value_t = false)]
    pub s3_allow_http: bool,
}

impl Default for BlobConfig {
    /// The flags' defaults: blobs in the data folder.
    fn default() -> Self {
        Self {
            blob_url: None,
            s3_endpoint: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_allow_http: false,
        }
    }
}

/// Opens the configured blob store and removes temp files a crash left in its staging folder.
/// Must run inside the Tokio runtime (the S3 store captures it).
pub fn open_blob_store(config: &BlobConfig, data_dir: &Path) -> anyhow::Result<Arc<dyn BlobStore>> {
    let Some(url) = &config.blob_url else {
        let blobs = FsBlobStore::new(data_dir.join("blobs"));
        blobs
            .sweep_staging(ORPHAN_GRACE)
            .context("cleaning the blob staging folder")?;
        return Ok(Arc::new(blobs));
    };
    let (bucket, prefix) = S3Config::parse_url(url).context("SIGNET_BLOB_URL")?;
    let s3 = S3Config {
        bucket,
        prefix,
        endpoint: config.s3_endpoint.clone(),
        region: config.s3_region.clone(),
        access_key_id: config.s3_access_key_id.clone(),
        secret_access_key: config.s3_secret_access_key.clone(),
        allow_http: config.s3_allow_http,
        staging_dir: data_dir.join("s3-staging"),
    };
    tracing::info!(bucket = %s3.bucket, prefix = %s3.prefix, endpoint = ?s3.endpoint, "document blobs are kept in S3");
    let blobs = S3BlobStore::new(s3, tokio::runtime::Handle::current())
        .context("configuring the S3 blob store (SIGNET_BLOB_URL, SIGNET_S3_*)")?;
    blobs
        .sweep_staging(ORPHAN_GRACE)
        .context("cleaning the blob staging folder")?;
    Ok(Arc::new(blobs))
}

/// Sweeps orphan blobs now and every [`SWEEP_EVERY`] until `shutdown`. A failed sweep is
/// logged and tried again next time.
pub async fn sweep_orphan_blobs(signet: Signet, shutdown: CancellationToken) {
    loop {
        if let Err(err) = signet.sweep_orphan_blobs(ORPHAN_GRACE).await {
            tracing::warn!(%err, "the orphan blob sweep failed; it runs again later");
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(SWEEP_EVERY) => {}
        }
    }
}
