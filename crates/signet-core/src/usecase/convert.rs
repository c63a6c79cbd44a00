//! DOC and DOCX uploads become PDFs: the configured converter (LibreOffice) reads the stored
//! upload and writes the PDF into a new blob beside it; the upload is kept unchanged as
//! evidence.

use std::io::Write;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::CoreError;
use crate::model::StoredFile;
use crate::port::{BlobStore, ConvertError, DocumentConverter, StagedBlob};
use crate::service::Signet;
use crate::usecase::document::UploadKind;

impl Signet {
    /// Converts the stored upload to a PDF blob next to it (blocking work off the async
    /// threads). 415 when no converter is installed, 422 when the file cannot be converted.
    pub(crate) async fn convert_upload(
        &self,
        upload: &StoredFile,
        kind: UploadKind,
    ) -> Result<StoredFile, CoreError> {
        let Some(converter) = self.deps.converter.clone() else {
            return Err(CoreError::ConversionUnavailable(
                "DOC and DOCX documents are converted to PDF with LibreOffice, which is not installed on this server; upload a PDF, or ask the operator to install LibreOffice (Debian: libreoffice-writer-nogui)".into(),
            ));
        };
        let blobs = self.blobs();
        let source = upload.blob_key.clone();
        let target = source.rsplit_once('.').map_or_else(
            || format!("{source}.pdf"),
            |(stem, _)| format!("{stem}.pdf"),
        );
        let extension = kind.extension();
        tokio::task::spawn_blocking(move || {
            convert_blocking(&*converter, &blobs, (&source, extension), &target)
        })
        .await
        .map_err(|err| CoreError::Internal(format!("the conversion task failed: {err}")))?
    }
}

fn convert_blocking(
    converter: &dyn DocumentConverter,
    blobs: &Arc<dyn BlobStore>,
    (source, extension): (&str, &str),
    target: &str,
) -> Result<StoredFile, CoreError> {
    let mut staged = HashingWriter {
        inner: blobs.stage()?,
        hasher: Sha256::new(),
        size: 0,
    };
    converter
        .convert_to_pdf(&mut blobs.open(source)?, extension, &mut staged)
        .map_err(|err| match err {
            ConvertError::Rejected(_) | ConvertError::TimedOut(_) => {
                CoreError::invalid("conversion_failed", err.to_string())
            }
            ConvertError::Failed(_) => CoreError::Internal(err.to_string()),
        })?;
    let HashingWriter {
        inner,
        hasher,
        size,
    } = staged;
    inner.commit(target)?;
    Ok(StoredFile {
        blob_key: target.to_string(),
        sha256: hasher.finalize().into(),
        size,
    })
}

/// Hashes and counts what passes through to a staged blob.
struct HashingWriter {
    inner: Box<dyn StagedBlob>,
    hasher: Sha256,
    size: u64,
}

impl Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        let written = buf.get(..n).unwrap_or_default();
        self.hasher.update(written);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
