//! Blobs as files under one root directory, written crash-safely: bytes go to a temp file in
//! `root/.staging/` (same file system, so the final rename is atomic), and commit is flush,
//! `fsync` of the file, `rename` into place, then `fsync` of the directories, so after a crash a
//! key holds either nothing or the complete bytes, never a torn file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use signet_core::port::{BlobError, BlobRead, BlobStore, StagedBlob, valid_blob_key};
use time::OffsetDateTime;
use uuid::Uuid;

/// The staging directory's name under the root. Keys whose first segment is this name are
/// refused, so no key can reach a temp file.
const STAGING: &str = ".staging";
/// Suffix of temp files, so a sweep removes only what the store created.
const TEMP_SUFFIX: &str = ".tmp";

/// A [`BlobStore`] on the local file system.
#[derive(Clone, Debug)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    /// A store rooted at `root`; directories are created when first needed.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Removes temp files of blobs that were staged at least `older_than` ago and never
    /// committed (left by a crash). Run it at startup; returns how many were removed.
    pub fn sweep_staging(&self, older_than: Duration) -> Result<usize, BlobError> {
        sweep_temp_files(&self.root.join(STAGING), older_than)
    }

    /// The path of a key, after checking that it is one the core generates.
    fn path_of(&self, key: &str) -> Result<PathBuf, BlobError> {
        let first_segment = key.split('/').next().unwrap_or_default();
        if !valid_blob_key(key) || first_segment == STAGING {
            return Err(BlobError::InvalidKey(key.to_owned()));
        }
        Ok(self.root.join(key))
    }
}

impl BlobStore for FsBlobStore {
    fn stage(&self) -> Result<Box<dyn StagedBlob>, BlobError> {
        let staging = self.root.join(STAGING);
        fs::create_dir_all(&staging).map_err(|e| io_error("creating the staging directory", &e))?;
        let temp = staging.join(format!("{}{TEMP_SUFFIX}", Uuid::new_v4()));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|e| io_error("creating a temp file", &e))?;
        Ok(Box::new(FsStagedBlob {
            root: self.root.clone(),
            temp,
            file: Some(BufWriter::new(file)),
        }))
    }

    fn open(&self, key: &str) -> Result<Box<dyn BlobRead>, BlobError> {
        match File::open(self.path_of(key)?) {
            Ok(file) => Ok(Box::new(BufReader::new(file))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(BlobError::NotFound(key.to_owned()))
            }
            Err(e) => Err(io_error("opening a blob", &e)),
        }
    }

    fn delete(&self, key: &str) -> Result<(), BlobError> {
        let path = self.path_of(key)?;
        match fs::remove_file(&path) {
            Ok(()) => sync_parent(&path).map_err(|e| io_error("syncing a directory", &e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("deleting a blob", &e)),
        }
    }

    fn keys_written_before(&self, cutoff: OffsetDateTime) -> Result<Vec<String>, BlobError> {
        let mut keys = Vec::new();
        let mut folders = vec![(self.root.clone(), String::new())];
        while let Some((folder, prefix)) = folders.pop() {
            let entries = match fs::read_dir(&folder) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_error("listing blobs", &e)),
            };
            for entry in entries {
                let entry = entry.map_err(|e| io_error("listing blobs", &e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                let key = format!("{prefix}{name}");
                let metadata = entry
                    .metadata()
                    .map_err(|e| io_error("listing blobs", &e))?;
                if metadata.is_dir() {
                    if prefix.is_empty() && name == STAGING {
                        continue;
                    }
                    folders.push((entry.path(), format!("{key}/")));
                } else if valid_blob_key(&key)
                    && metadata
                        .modified()
                        .is_ok_and(|at| OffsetDateTime::from(at) < cutoff)
                {
                    keys.push(key);
                }
            }
        }
        Ok(keys)
    }
}

/// A blob being written to its temp file.
struct FsStagedBlob {
    root: PathBuf,
    temp: PathBuf,
    /// `None` once committed: the temp file has become the blob.
    file: Option<BufWriter<File>>,
}

impl Write for FsStagedBlob {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

impl FsStagedBlob {
    fn writer(&mut self) -> io::Result<&mut BufWriter<File>> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("the blob was already committed"))
    }
}

impl StagedBlob for FsStagedBlob {
    fn commit(mut self: Box<Self>, key: &str) -> Result<(), BlobError> {
        let target = FsBlobStore {
            root: self.root.clone(),
        }
        .path_of(key)?;
        let writer = self
            .file
            .take()
            .ok_or_else(|| BlobError::Io("the blob was already committed".into()))?;
        let file = writer
            .into_inner()
            .map_err(|e| io_error("writing a blob", e.error()))?;
        file.sync_all()
            .map_err(|e| io_error("syncing a blob", &e))?;
        drop(file);
        let parent = target.parent().unwrap_or(&self.root);
        fs::create_dir_all(parent).map_err(|e| io_error("creating a blob directory", &e))?;
        // On failure Drop removes the temp file.
        fs::rename(&self.temp, &target).map_err(|e| io_error("moving a blob into place", &e))?;
        // The rename is durable once the directory entries are: sync every directory from the
        // blob's up to the root (some may just have been created).
        let mut dir = Some(parent);
        while let Some(current) = dir {
            sync_dir(current).map_err(|e| io_error("syncing a directory", &e))?;
            if current == self.root {
                break;
            }
            dir = current.parent();
        }
        self.temp = PathBuf::new();
        Ok(())
    }
}

impl Drop for FsStagedBlob {
    /// An uncommitted blob leaves nothing behind.
    fn drop(&mut self) {
        if self.temp.as_os_str().is_empty() {
            return;
        }
        self.file = None;
        if let Err(e) = fs::remove_file(&self.temp)
            && e.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!(path = %self.temp.display(), error = %e, "cannot remove an abandoned temp file");
        }
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn sync_parent(path: &Path) -> io::Result<()> {
    path.parent().map_or(Ok(()), sync_dir)
}

fn io_error(action: &str, error: &io::Error) -> BlobError {
    tracing::error!(error = %error, "blob storage failed while {action}");
    BlobError::Io(format!("{action}: {}", error.kind()))
}

/// Removes the store's temp files in `dir` that were last written at least `older_than` ago;
/// returns how many were removed. A missing folder has none.
pub(crate) fn sweep_temp_files(dir: &Path, older_than: Duration) -> Result<usize, BlobError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io_error("listing the staging directory", &e)),
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(|e| io_error("listing the staging directory", &e))?;
        let is_temp = entry.file_name().to_string_lossy().ends_with(TEMP_SUFFIX);
        let modified = entry.metadata().and_then(|m| m.modified());
        let old = modified.is_ok_and(|at| now.duration_since(at).unwrap_or_default() >= older_than);
        if is_temp && old {
            match fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error("removing a stale temp file", &e)),
            }
        }
    }
    Ok(removed)
}

/// A temp file in a staging folder, removed when dropped.
pub(crate) struct TempFile {
    path: PathBuf,
}

impl TempFile {
    /// Creates a new, empty temp file in `dir` (created if missing), open for reading and writing.
    pub(crate) fn create(dir: &Path) -> Result<(Self, File), BlobError> {
        fs::create_dir_all(dir).map_err(|e| io_error("creating the staging directory", &e))?;
        let path = dir.join(format!("{}{TEMP_SUFFIX}", Uuid::new_v4()));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| io_error("creating a temp file", &e))?;
        Ok((Self { path }, file))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Err(e) = fs::remove_file(&self.path)
            && e.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!(path = %self.path.display(), error = %e, "cannot remove a temp file");
        }
    }
}
