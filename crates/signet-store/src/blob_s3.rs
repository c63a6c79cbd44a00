//! Blobs in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, …) through `object_store`,
//! so several nodes share documents without a shared disk.
//!
//! - **Staging**: [`stage`](S3BlobStore::stage) writes to a temp file in a local staging folder
//!   (nothing reaches the bucket before commit); [`commit`](StagedBlob::commit) uploads it under
//!   `prefix/key`: one PUT up to [`PART_SIZE`], a multipart upload (parts of `PART_SIZE`, up to
//!   [`PARTS_IN_FLIGHT`] at once) above. A PUT is atomic, so a key holds either nothing or the
//!   complete bytes; a failed multipart upload is aborted.
//! - **Reading**: [`open`](S3BlobStore::open) does one HEAD and then ranged GETs pinned to the
//!   object's ETag (`If-Match`), through a read-ahead buffer that grows while reads are
//!   sequential (see `reader.rs`): seeks cost one small GET, a whole download a few large ones,
//!   and a document is never held in memory whole.
//! - **Sync over async**: the core calls blob stores from blocking threads. Each call hands its
//!   future to the Tokio runtime captured at construction and waits on a channel for the
//!   result. It never calls `Handle::block_on`, so a misplaced call cannot panic. The contract
//!   is the port's: call from blocking threads (`spawn_blocking`, plain threads), never from a
//!   runtime thread, which would sit waiting instead of driving the request (on a
//!   current-thread runtime, forever).

mod reader;
mod upload;

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use signet_core::port::{BlobError, BlobRead, BlobStore, StagedBlob, valid_blob_key};
use time::OffsetDateTime;
use tokio::runtime::Handle;

use crate::blob_fs::{TempFile, sweep_temp_files};

/// Size of one part of a multipart upload; smaller blobs go up in a single PUT.
pub const PART_SIZE: usize = 8 * 1024 * 1024;
/// Parts of one multipart upload sent at once (bounds its memory to about 4 × `PART_SIZE`).
pub const PARTS_IN_FLIGHT: usize = 4;

/// Where and how to reach the bucket. `Debug` leaves the secret out.
#[derive(Clone)]
pub struct S3Config {
    /// The bucket (it must exist).
    pub bucket: String,
    /// Key prefix inside the bucket (`""` for none), without leading or trailing `/`.
    pub prefix: String,
    /// Endpoint URL for S3-compatible services (e.g. `http://127.0.0.1:9000`); AWS when `None`.
    pub endpoint: Option<String>,
    /// Region (MinIO and most others accept any, e.g. `us-east-1`).
    pub region: String,
    /// Access key id; without keys, credentials come from the instance metadata service.
    pub access_key_id: Option<String>,
    /// Secret access key.
    pub secret_access_key: Option<String>,
    /// Allows a plain `http://` endpoint (a loopback or closed network only).
    pub allow_http: bool,
    /// Local folder for staged blobs (temp files until commit).
    pub staging_dir: PathBuf,
}

impl S3Config {
    /// Splits `s3://bucket/prefix/...` into bucket and prefix.
    pub fn parse_url(url: &str) -> Result<(String, String), BlobError> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| BlobError::Io("a blob URL must look like s3://bucket/prefix".into()))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let prefix = prefix.trim_matches('/');
        let valid_prefix = prefix.is_empty() || valid_blob_key(prefix);
        if bucket.is_empty() || !valid_prefix {
            return Err(BlobError::Io(format!(
                "invalid blob URL {url:?}: s3://bucket/prefix, the prefix in [a-z0-9._-] segments"
            )));
        }
        Ok((bucket.to_owned(), prefix.to_owned()))
    }
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("allow_http", &self.allow_http)
            .field("staging_dir", &self.staging_dir)
            .finish_non_exhaustive()
    }
}

/// A [`BlobStore`] on an S3-compatible object store.
#[derive(Clone)]
pub struct S3BlobStore {
    inner: Arc<Inner>,
}

/// What staged blobs and readers share with the store.
pub(crate) struct Inner {
    pub(crate) store: Arc<dyn ObjectStore>,
    prefix: String,
    staging: PathBuf,
    runtime: Handle,
}

impl fmt::Debug for S3BlobStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3BlobStore")
            .field("store", &self.inner.store.to_string())
            .field("prefix", &self.inner.prefix)
            .finish_non_exhaustive()
    }
}

impl S3BlobStore {
    /// A store on the configured bucket whose requests run on `runtime` while the calling
    /// (blocking) threads wait for them. Checks the configuration, not the bucket.
    pub fn new(config: S3Config, runtime: Handle) -> Result<Self, BlobError> {
        // reqwest is built without a TLS crypto provider (the workspace uses ring everywhere);
        // installing it is a no-op when the process already has one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_allow_http(config.allow_http);
        if let Some(endpoint) = &config.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let (Some(id), Some(secret)) = (&config.access_key_id, &config.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let store = builder.build().map_err(|err| {
            tracing::error!(error = %err, "the S3 blob store configuration was refused");
            BlobError::Io(format!("configuring the S3 blob store: {err}"))
        })?;
        std::fs::create_dir_all(&config.staging_dir).map_err(|err| {
            BlobError::Io(format!("creating the blob staging folder: {}", err.kind()))
        })?;
        Ok(Self {
            inner: Arc::new(Inner {
                store: Arc::new(store),
                prefix: config.prefix,
                staging: config.staging_dir,
                runtime,
            }),
        })
    }

    /// Removes local temp files of blobs staged at least `older_than` ago and never committed
    /// (left by a crash). Run it at startup; returns how many were removed.
    pub fn sweep_staging(&self, older_than: Duration) -> Result<usize, BlobError> {
        sweep_temp_files(&self.inner.staging, older_than)
    }
}

impl Inner {
    /// The object path of a key, after checking that it is one the core generates.
    pub(crate) fn path_of(&self, key: &str) -> Result<Path, BlobError> {
        if !valid_blob_key(key) {
            return Err(BlobError::InvalidKey(key.to_owned()));
        }
        let full = if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}/{key}", self.prefix)
        };
        Path::parse(full).map_err(|_| BlobError::InvalidKey(key.to_owned()))
    }

    /// Runs `future` on the store's runtime and waits for it on this (blocking) thread.
    pub(crate) fn run<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, BlobError> {
        let (done, result) = std::sync::mpsc::sync_channel(1);
        self.runtime.spawn(async move {
            let _ = done.send(future.await);
        });
        result
            .recv()
            .map_err(|_| BlobError::Io("the object store runtime has shut down".into()))
    }
}

impl BlobStore for S3BlobStore {
    fn stage(&self) -> Result<Box<dyn StagedBlob>, BlobError> {
        let temp = TempFile::create(&self.inner.staging)?;
        Ok(Box::new(upload::S3StagedBlob::new(
            Arc::clone(&self.inner),
            temp,
        )))
    }

    fn open(&self, key: &str) -> Result<Box<dyn BlobRead>, BlobError> {
        let path = self.inner.path_of(key)?;
        let store = Arc::clone(&self.inner.store);
        let head = self.inner.run(async move {
            let meta = store.head(&path).await;
            (path, meta)
        })?;
        match head {
            (path, Ok(meta)) => Ok(Box::new(reader::S3Reader::new(
                Arc::clone(&self.inner),
                path,
                meta,
            ))),
            (_, Err(err)) => Err(store_error("opening a blob", key, err)),
        }
    }

    fn delete(&self, key: &str) -> Result<(), BlobError> {
        let path = self.inner.path_of(key)?;
        let store = Arc::clone(&self.inner.store);
        match self.inner.run(async move { store.delete(&path).await })? {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(store_error("deleting a blob", key, err)),
        }
    }

    fn keys_written_before(&self, cutoff: OffsetDateTime) -> Result<Vec<String>, BlobError> {
        let store = Arc::clone(&self.inner.store);
        let prefix =
            (!self.inner.prefix.is_empty()).then(|| Path::from(self.inner.prefix.as_str()));
        let listed = self
            .inner
            .run(async move { store.list(prefix.as_ref()).try_collect::<Vec<_>>().await })?;
        let objects = listed.map_err(|err| store_error("listing blobs", "", err))?;
        let strip = if self.inner.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.inner.prefix)
        };
        let cutoff = cutoff.unix_timestamp();
        Ok(objects
            .into_iter()
            .filter(|meta| meta.last_modified.timestamp() < cutoff)
            .filter_map(|meta| {
                let key = meta.location.as_ref().strip_prefix(&strip)?.to_owned();
                valid_blob_key(&key).then_some(key)
            })
            .collect())
    }
}

/// Maps an object store error: a missing object is `NotFound`, anything else is logged once
/// with its cause and reported without it.
pub(crate) fn store_error(action: &str, key: &str, err: object_store::Error) -> BlobError {
    match err {
        object_store::Error::NotFound { .. } => BlobError::NotFound(key.to_owned()),
        other => {
            tracing::error!(error = %other, %key, "the object store failed while {action}");
            BlobError::Io(format!("{action}: the object store failed"))
        }
    }
}
