//! Where the cluster keeps its document blobs. By default in an S3-compatible server (moto,
//! started by the test) with a data folder of its own per node, so the nodes share no disk,
//! only the database and the bucket. With `SIGNET_MULTINODE_BLOBS=folder` both nodes share one
//! data folder instead. The checks read blobs back through the same store the nodes use.

use std::path::PathBuf;
use std::sync::Arc;

use signet_core::port::BlobStore;
use signet_server::BlobConfig;
use signet_server::blobs::open_blob_store;
use signet_testkit::s3::S3Server;
use tempfile::TempDir;

/// The one data folder of every node with `SIGNET_MULTINODE_BLOBS=folder`.
const SHARED: &str = "shared";

/// The cluster's blob storage and the test's own handle on it.
pub struct ClusterBlobs {
    /// Parent of every node's data folder (or the one shared folder).
    data: TempDir,
    config: BlobConfig,
    store: Arc<dyn BlobStore>,
    /// The S3 server, kept alive for the run (moto stops when dropped); none for a folder.
    s3: Option<S3Server>,
}

impl ClusterBlobs {
    /// S3 unless `SIGNET_MULTINODE_BLOBS=folder`.
    pub async fn from_env() -> ClusterBlobs {
        let shared_folder = std::env::var("SIGNET_MULTINODE_BLOBS").is_ok_and(|v| v == "folder");
        let data = tempfile::tempdir().unwrap();
        let (config, s3) = if shared_folder {
            (BlobConfig::default(), None)
        } else {
            let server = tokio::task::spawn_blocking(S3Server::start)
                .await
                .unwrap()
                .expect("start moto");
            (crate::support::app::s3_blobs(&server), Some(server))
        };
        // The checks read through the nodes' own store: the bucket, or the shared folder.
        let checks_dir = data
            .path()
            .join(if shared_folder { SHARED } else { "checks" });
        let store = open_blob_store(&config, &checks_dir).unwrap();
        ClusterBlobs {
            data,
            config,
            store,
            s3,
        }
    }

    /// `s3` or `shared folder`, for the report.
    pub fn describe(&self) -> &'static str {
        if self.s3.is_some() {
            "S3 (moto), one data folder per node"
        } else {
            "one shared data folder"
        }
    }

    /// The data folder and blob settings of the node called `node`.
    pub fn node_env(&self, node: &str) -> Vec<(String, String)> {
        let mut env = vec![("SIGNET_DATA_DIR".to_string(), self.data_dir(node))];
        let c = &self.config;
        let settings = [
            ("SIGNET_BLOB_URL", c.blob_url.clone()),
            ("SIGNET_S3_ENDPOINT", c.s3_endpoint.clone()),
            ("SIGNET_S3_REGION", Some(c.s3_region.clone())),
            ("SIGNET_S3_ACCESS_KEY_ID", c.s3_access_key_id.clone()),
            (
                "SIGNET_S3_SECRET_ACCESS_KEY",
                c.s3_secret_access_key.clone(),
            ),
            ("SIGNET_S3_ALLOW_HTTP", Some(c.s3_allow_http.to_string())),
        ];
        if c.blob_url.is_some() {
            env.extend(
                settings
                    .into_iter()
                    .filter_map(|(k, v)| Some((k.to_string(), v?))),
            );
        }
        env
    }

    fn data_dir(&self, node: &str) -> String {
        let dir: PathBuf = if self.s3.is_some() {
            self.data.path().join(node)
        } else {
            self.data.path().join(SHARED)
        };
        std::fs::create_dir_all(&dir).unwrap();
        dir.display().to_string()
    }

    /// The bytes stored under `key`.
    pub async fn read(&self, key: &str) -> Vec<u8> {
        let (store, key) = (Arc::clone(&self.store), key.to_string());
        tokio::task::spawn_blocking(move || {
            let mut reader = store
                .open(&key)
                .unwrap_or_else(|e| panic!("blob {key}: {e}"));
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut reader, &mut bytes)
                .unwrap_or_else(|e| panic!("blob {key}: {e}"));
            bytes
        })
        .await
        .unwrap()
    }

    /// Every stored key.
    pub async fn keys(&self) -> Vec<String> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || {
            let later = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
            store.keys_written_before(later).unwrap()
        })
        .await
        .unwrap()
    }
}
