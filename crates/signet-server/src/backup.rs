//! `signet backup` and `signet restore` for SQLite deployments.
//!
//! A backup is one tar file: `signet.db` (a `VACUUM INTO` snapshot taken while the server
//! runs), every blob that snapshot references under `blobs/`, the data folder's `master.key`
//! when there is one (without it the instance keys cannot be decrypted), and `manifest.json`
//! last, with the SHA-256 and size of every other entry. The running server deletes blobs that
//! newer ones replaced, possibly right after the snapshot: the backup first hard-links every
//! referenced blob into a private folder next to the blobs (once linked, a blob survives its
//! deletion), and if one is already gone it takes a new snapshot and starts over.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Config;

/// How many snapshots a backup takes before giving up on blobs vanishing under it.
const ATTEMPTS: u32 = 5;
/// The manifest's format name.
const FORMAT: &str = "signet-backup/1";
const DATABASE: &str = "signet.db";
const MASTER_KEY: &str = "master.key";
const MANIFEST: &str = "manifest.json";

/// The archive's table of contents.
#[derive(Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// When the backup was taken (RFC 3339).
    pub created_at: String,
    /// Every other entry of the archive.
    pub files: Vec<FileEntry>,
}

/// One archived file.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct FileEntry {
    /// Its path in the archive (and under the data folder).
    pub path: String,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// What a backup or restore did.
#[derive(Serialize)]
pub struct Summary {
    /// Blobs archived or restored.
    pub blobs: usize,
    /// Bytes of every file.
    pub bytes: u64,
    /// Snapshots taken (more than one when blobs vanished under the first).
    pub attempts: u32,
}

/// Takes an online backup of the SQLite deployment `config` names into `out`.
pub async fn backup(config: &Config, out: &Path) -> anyhow::Result<Summary> {
    let db = sqlite_path(config)?;
    let blobs = config.data_dir.join("blobs");
    fs::create_dir_all(&blobs).context("creating the blobs folder")?;
    // Next to the blobs, so hard links work (same file system); removed when done.
    let work = tempfile::Builder::new()
        .prefix(".backup-")
        .tempdir_in(&config.data_dir)
        .context("creating the backup's work folder")?;
    for attempt in 1..=ATTEMPTS {
        let dir = work.path().join(attempt.to_string());
        fs::create_dir_all(&dir)?;
        let snapshot = dir.join(DATABASE);
        let keys = signet_store::backup::snapshot_sqlite(&db, &snapshot)
            .await
            .context("taking the database snapshot")?;
        match link_blobs(&blobs, &dir.join("blobs"), &keys)? {
            Some(missing) => {
                tracing::warn!(%missing, attempt, "a blob was deleted after the snapshot; taking a new one");
                fs::remove_dir_all(&dir)?;
            }
            None => {
                let master = config.data_dir.join(MASTER_KEY);
                let master = master.exists().then_some(master);
                let mut summary = write_archive(&dir, &keys, master.as_deref(), out)?;
                summary.attempts = attempt;
                return Ok(summary);
            }
        }
    }
    bail!(
        "blobs kept disappearing under {ATTEMPTS} snapshots; try again when the server is less busy"
    )
}

/// The database file of a SQLite deployment; PostgreSQL is refused with the way to back it up.
fn sqlite_path(config: &Config) -> anyhow::Result<PathBuf> {
    let url = config.database_url();
    let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        bail!(
            "signet backup covers SQLite deployments only; back up PostgreSQL with pg_dump \
             (for example `pg_dump --format=custom`) and copy the blobs folder and master key \
             (see docs/operations.md)"
        );
    };
    Ok(PathBuf::from(path))
}

/// Hard-links (or, across file systems, copies) each blob into `into`; returns the first key
/// whose blob is gone.
fn link_blobs(from: &Path, into: &Path, keys: &[String]) -> anyhow::Result<Option<String>> {
    for key in keys {
        let (source, target) = (from.join(key), into.join(key));
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let linked = fs::hard_link(&source, &target).or_else(|err| match err.kind() {
            io::ErrorKind::NotFound => Err(err),
            _ => fs::copy(&source, &target).map(drop),
        });
        match linked {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Some(key.clone())),
            Err(err) => return Err(err).with_context(|| format!("copying blob {key}")),
        }
    }
    Ok(None)
}

/// Writes the tar (database, master key, blobs, then the manifest) to a temp file beside `out`
/// and moves it into place once complete and synced.
fn write_archive(
    dir: &Path,
    keys: &[String],
    master: Option<&Path>,
    out: &Path,
) -> anyhow::Result<Summary> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    let staged = tempfile::NamedTempFile::new_in(parent.unwrap_or(Path::new(".")))
        .context("creating the archive file")?;
    let mut tar = tar::Builder::new(io::BufWriter::new(staged.as_file()));
    let mut files = vec![append(&mut tar, DATABASE, &dir.join(DATABASE))?];
    if let Some(master) = master {
        files.push(append(&mut tar, MASTER_KEY, master)?);
    }
    for key in keys {
        files.push(append(
            &mut tar,
            &format!("blobs/{key}"),
            &dir.join("blobs").join(key),
        )?);
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        created_at: signet_core::time::rfc3339(time::OffsetDateTime::now_utc()),
        files,
    };
    let json = serde_json::to_vec_pretty(&manifest)?;
    let mut header = file_header(json.len() as u64, 0o644);
    tar.append_data(&mut header, MANIFEST, json.as_slice())?;
    tar.into_inner()?.flush()?;
    staged.as_file().sync_all()?;
    staged
        .persist(out)
        .with_context(|| format!("writing {}", out.display()))?;
    Ok(Summary {
        blobs: keys.len(),
        bytes: manifest.files.iter().map(|f| f.size).sum(),
        attempts: 0,
    })
}

/// Appends one file, hashing it on the way.
fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    name: &str,
    path: &Path,
) -> anyhow::Result<FileEntry> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let size = file.metadata()?.len();
    let mode = if name == MASTER_KEY { 0o600 } else { 0o644 };
    let mut reader = Hashing::new(file.take(size));
    tar.append_data(&mut file_header(size, mode), name, &mut reader)?;
    if reader.count != size {
        bail!("{name} changed size while it was archived");
    }
    Ok(FileEntry {
        path: name.to_string(),
        sha256: hex::encode(reader.hasher.finalize()),
        size,
    })
}

fn file_header(size: u64, mode: u32) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(mode);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

/// A reader that hashes and counts what passes through it.
pub(crate) struct Hashing<R> {
    inner: R,
    pub(crate) hasher: Sha256,
    pub(crate) count: u64,
}

impl<R> Hashing<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            count: 0,
        }
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}
