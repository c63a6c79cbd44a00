//! A staged S3 blob: bytes go to a local temp file; commit uploads it (one PUT, or a multipart
//! upload for large blobs) and the temp file is removed either way.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use signet_core::port::{BlobError, StagedBlob};
use tokio::io::AsyncReadExt;

use super::{Inner, PART_SIZE, PARTS_IN_FLIGHT, store_error};
use crate::blob_fs::TempFile;

/// A blob being written to its local temp file.
pub(crate) struct S3StagedBlob {
    inner: Arc<Inner>,
    /// Removes the temp file when the staged blob goes, committed or not.
    _temp: TempFile,
    /// `None` once committed.
    writer: Option<BufWriter<File>>,
}

impl S3StagedBlob {
    pub(crate) fn new(inner: Arc<Inner>, (temp, file): (TempFile, File)) -> Self {
        Self {
            inner,
            _temp: temp,
            writer: Some(BufWriter::new(file)),
        }
    }

    fn writer(&mut self) -> io::Result<&mut BufWriter<File>> {
        self.writer
            .as_mut()
            .ok_or_else(|| io::Error::other("the blob was already committed"))
    }
}

impl Write for S3StagedBlob {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

impl StagedBlob for S3StagedBlob {
    fn commit(mut self: Box<Self>, key: &str) -> Result<(), BlobError> {
        let path = self.inner.path_of(key)?;
        let writer = self
            .writer
            .take()
            .ok_or_else(|| BlobError::Io("the blob was already committed".into()))?;
        let mut file = writer
            .into_inner()
            .map_err(|e| local_error("writing a staged blob", e.error()))?;
        let size = file
            .seek(SeekFrom::End(0))
            .map_err(|e| local_error("sizing a staged blob", &e))?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| local_error("rewinding a staged blob", &e))?;
        let store = Arc::clone(&self.inner.store);
        let key = key.to_owned();
        if size <= PART_SIZE as u64 {
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(PART_SIZE));
            file.read_to_end(&mut bytes)
                .map_err(|e| local_error("reading a staged blob", &e))?;
            let put = async move { store.put(&path, PutPayload::from(bytes)).await };
            self.inner
                .run(put)?
                .map(drop)
                .map_err(|err| store_error("uploading a blob", &key, err))
        } else {
            self.inner
                .run(async move { upload_in_parts(store, path, file, &key).await })?
        }
    }
}

/// A multipart upload of `file`, [`PART_SIZE`] a part and at most [`PARTS_IN_FLIGHT`] at once;
/// aborted (so the store drops the parts) when anything fails.
async fn upload_in_parts(
    store: Arc<dyn ObjectStore>,
    path: Path,
    file: File,
    key: &str,
) -> Result<(), BlobError> {
    let mut file = tokio::fs::File::from_std(file);
    let upload = store
        .put_multipart(&path)
        .await
        .map_err(|err| store_error("starting a multipart upload", key, err))?;
    let mut parts = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
    loop {
        let part = match read_part(&mut file).await {
            Ok(part) => part,
            Err(err) => {
                abort(parts, key).await;
                return Err(local_error("reading a staged blob", &err));
            }
        };
        if part.is_empty() {
            break;
        }
        if let Err(err) = parts.wait_for_capacity(PARTS_IN_FLIGHT).await {
            abort(parts, key).await;
            return Err(store_error("uploading a part", key, err));
        }
        parts.put(part);
    }
    // `finish` aborts the upload itself when completing it fails.
    parts
        .finish()
        .await
        .map(drop)
        .map_err(|err| store_error("completing a multipart upload", key, err))
}

/// The next [`PART_SIZE`] bytes of `file` (fewer at its end, none after it).
async fn read_part(file: &mut tokio::fs::File) -> io::Result<Bytes> {
    let mut part = BytesMut::with_capacity(PART_SIZE);
    while part.len() < PART_SIZE {
        let mut limited = (&mut *file).take((PART_SIZE - part.len()) as u64);
        if limited.read_buf(&mut part).await? == 0 {
            break;
        }
    }
    Ok(part.freeze())
}

async fn abort(parts: WriteMultipart, key: &str) {
    if let Err(err) = parts.abort().await {
        tracing::warn!(%key, error = %err, "could not abort a multipart upload; its parts stay until the bucket's lifecycle rule removes them");
    }
}

fn local_error(action: &str, error: &io::Error) -> BlobError {
    tracing::error!(error = %error, "blob storage failed while {action}");
    BlobError::Io(format!("{action}: {}", error.kind()))
}
