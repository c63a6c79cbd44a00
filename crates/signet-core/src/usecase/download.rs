//! Downloads. Every read re-checks the stored SHA-256 first and refuses bytes that changed.

use std::io::{Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

use crate::CoreError;
use crate::id::{DocumentId, EnvelopeId};
use crate::model::{EnvelopeRecord, EnvelopeStatus, StoredFile};
use crate::port::BlobRead;
use crate::secret::constant_time_eq;
use crate::service::Signet;
use crate::usecase::account::Principal;

/// A verified file, ready to stream.
pub struct Download {
    /// Positioned at the start.
    pub reader: Box<dyn BlobRead>,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes.
    pub sha256: [u8; 32],
    /// Suggested file name.
    pub filename: String,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("size", &self.size)
            .field("filename", &self.filename)
            .finish()
    }
}

impl Signet {
    /// The sealed PDF of a completed envelope. `document` may be omitted when the envelope has
    /// exactly one document.
    pub async fn signed_pdf(
        &self,
        who: &Principal,
        id: EnvelopeId,
        document: Option<DocumentId>,
    ) -> Result<Download, CoreError> {
        let record = self.load_visible(who, id).await?;
        require_completed(&record)?;
        let doc = pick_document(&record, document)?;
        let file = doc.signed.as_ref().ok_or_else(|| {
            CoreError::Integrity(format!("document {} has no sealed output", doc.id))
        })?;
        self.download(file, &suffixed(&doc.filename, "signed"))
            .await
    }

    /// The sealed proof document (certificate of completion) of a completed envelope.
    pub async fn proof_pdf(&self, who: &Principal, id: EnvelopeId) -> Result<Download, CoreError> {
        let record = self.load_visible(who, id).await?;
        require_completed(&record)?;
        let file = record
            .envelope
            .proof
            .as_ref()
            .ok_or_else(|| CoreError::Integrity("the envelope has no proof document".into()))?;
        self.download(file, &format!("{}-proof.pdf", record.envelope.id))
            .await
    }

    /// A document as uploaded.
    pub async fn original_pdf(
        &self,
        who: &Principal,
        id: EnvelopeId,
        document: DocumentId,
    ) -> Result<Download, CoreError> {
        let record = self.load_visible(who, id).await?;
        let doc = pick_document(&record, Some(document))?;
        self.download(&doc.original, &doc.filename).await
    }

    /// Opens a stored file after checking its hash and size.
    pub(crate) async fn download(
        &self,
        file: &StoredFile,
        filename: &str,
    ) -> Result<Download, CoreError> {
        let blobs = self.blobs();
        let expected = file.clone();
        let reader = tokio::task::spawn_blocking(move || -> Result<Box<dyn BlobRead>, CoreError> {
            let mut reader = blobs.open(&expected.blob_key)?;
            let (sha256, size) = hash_reader(&mut reader)?;
            if size != expected.size || !constant_time_eq(&sha256, &expected.sha256) {
                tracing::error!(blob = %expected.blob_key, "stored blob does not match its recorded SHA-256");
                return Err(CoreError::Integrity(format!("blob {} changed since it was stored", expected.blob_key)));
            }
            reader.seek(SeekFrom::Start(0)).map_err(|err| CoreError::Storage(err.to_string()))?;
            Ok(reader)
        })
        .await
        .map_err(|err| CoreError::Internal(err.to_string()))??;
        Ok(Download {
            reader,
            size: file.size,
            sha256: file.sha256,
            filename: filename.to_string(),
        })
    }
}

fn require_completed(record: &EnvelopeRecord) -> Result<(), CoreError> {
    if record.envelope.status != EnvelopeStatus::Completed {
        let status = record.envelope.status;
        return Err(CoreError::conflict(
            "not_completed",
            format!("the envelope is {status}; signed documents exist once it is completed"),
        ));
    }
    Ok(())
}

fn pick_document(
    record: &EnvelopeRecord,
    id: Option<DocumentId>,
) -> Result<&crate::model::Document, CoreError> {
    match id {
        Some(id) => record
            .documents
            .iter()
            .find(|d| d.id == id)
            .ok_or(CoreError::NotFound("document")),
        None if record.documents.len() == 1 => Ok(&record.documents[0]),
        None => Err(CoreError::conflict(
            "multiple_documents",
            "this envelope has several documents; download each through /documents/{document_id}/signed.pdf",
        )),
    }
}

pub(crate) fn suffixed(filename: &str, suffix: &str) -> String {
    let stem = filename
        .strip_suffix(".pdf")
        .or_else(|| filename.strip_suffix(".PDF"))
        .unwrap_or(filename);
    format!("{stem}-{suffix}.pdf")
}

/// Streams a reader through SHA-256; returns the hash and the byte count.
pub(crate) fn hash_reader(reader: &mut dyn Read) -> Result<([u8; 32], u64), CoreError> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|err| CoreError::Storage(err.to_string()))?;
        if n == 0 {
            return Ok((hasher.finalize().into(), total));
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
}
