//! Uploading documents: streamed to the blob store with a size limit, checked to be a PDF,
//! inspected in isolation (page sizes, `{{tags}}`), and recorded. A rejected upload leaves
//! nothing behind.

use bytes::Bytes;
use futures::{Stream, StreamExt};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::CoreError;
use crate::id::{DocumentId, EnvelopeId};
use crate::model::{Document, EnvelopeStatus, EventKind, PageSize, Rect, StoredFile, Tag};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::service::Signet;
use crate::usecase::account::Principal;

/// How far into a file the `%PDF-` header may start (the PDF specification allows junk before it).
const HEADER_WINDOW: usize = 1024;

enum Chunk {
    Data(Bytes),
    Finish,
}

impl Signet {
    /// Adds a PDF to a draft envelope, reading `body` as it arrives.
    pub async fn add_document<S>(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        filename: &str,
        body: S,
        client: &ClientInfo,
    ) -> Result<Document, CoreError>
    where
        S: Stream<Item = Result<Bytes, CoreError>> + Send + Unpin,
    {
        self.check_can_add_document(who, envelope_id).await?;
        let stored = self.stage_upload(who, envelope_id, body).await?;
        let info = match self
            .inspect_blob(&stored.blob_key)
            .await
            .and_then(check_unsigned)
        {
            Ok(info) => info,
            Err(err) => {
                self.delete_blobs(vec![stored.blob_key]).await;
                return Err(err);
            }
        };
        let filename = clean_filename(filename);
        let key = stored.blob_key.clone();
        let result =
            retrying(|| self.record_document(who, envelope_id, &filename, &stored, &info, client))
                .await;
        if result.is_err() {
            self.delete_blobs(vec![key]).await;
        }
        result
    }

    async fn check_can_add_document(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
    ) -> Result<(), CoreError> {
        let record = self.load_visible(who, envelope_id).await?;
        require_draft(record.envelope.status)?;
        if record.documents.len() >= self.config().max_documents {
            return Err(CoreError::invalid(
                "too_many_documents",
                format!(
                    "an envelope holds at most {} documents",
                    self.config().max_documents
                ),
            ));
        }
        Ok(())
    }

    async fn record_document(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        filename: &str,
        stored: &StoredFile,
        info: &signet_pdf::PdfInfo,
        client: &ClientInfo,
    ) -> Result<Document, CoreError> {
        let record = self.load_visible(who, envelope_id).await?;
        require_draft(record.envelope.status)?;
        let mut change = Mutation::of(record, self.now());
        let document = Document {
            id: DocumentId::generate(),
            envelope_id,
            filename: filename.to_string(),
            original: stored.clone(),
            pages: info
                .pages
                .iter()
                .map(|p| PageSize {
                    width: p.width,
                    height: p.height,
                    rotation: p.rotation,
                })
                .collect(),
            tags: info.tags.iter().map(tag_from_pdf).collect(),
            position: change.record.documents.len() as i32,
            signed: None,
            created_at: change.now,
        };
        let data = json!({
            "document_id": document.id,
            "filename": document.filename,
            "sha256": hex::encode(stored.sha256),
            "size": stored.size,
            "pages": document.pages.len(),
        });
        change.event(EventKind::DocumentAdded, who.actor(), client, data);
        change.put_document(document.clone());
        self.commit(change).await?;
        Ok(document)
    }

    /// Streams `body` into a new blob of the envelope, enforcing the size limit and the PDF
    /// header.
    async fn stage_upload<S>(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        body: S,
    ) -> Result<StoredFile, CoreError>
    where
        S: Stream<Item = Result<Bytes, CoreError>> + Send + Unpin,
    {
        let key = format!(
            "{}/{}/{}.pdf",
            who.account_id,
            envelope_id,
            uuid::Uuid::now_v7()
        );
        self.stage_pdf(key, body).await
    }

    /// Streams `body` into the blob `key`, enforcing the size limit and the PDF header.
    pub(crate) async fn stage_pdf<S>(
        &self,
        key: String,
        mut body: S,
    ) -> Result<StoredFile, CoreError>
    where
        S: Stream<Item = Result<Bytes, CoreError>> + Send + Unpin,
    {
        let limit = self.config().max_upload_bytes;
        let (tx, rx) = tokio::sync::mpsc::channel::<Chunk>(8);
        let writer = self.spawn_blob_writer(key.clone(), rx);
        let mut head = Vec::with_capacity(HEADER_WINDOW);
        let mut size: u64 = 0;
        let mut header_checked = false;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            if size > limit {
                return Err(CoreError::TooLarge { limit });
            }
            if !header_checked {
                head.extend_from_slice(&chunk[..chunk.len().min(HEADER_WINDOW - head.len())]);
                header_checked = head.len() >= HEADER_WINDOW || has_pdf_header(&head);
                if head.len() >= HEADER_WINDOW && !has_pdf_header(&head) {
                    return Err(not_a_pdf());
                }
            }
            if tx.send(Chunk::Data(chunk)).await.is_err() {
                break;
            }
        }
        if size == 0 || !has_pdf_header(&head) {
            return Err(not_a_pdf());
        }
        tx.send(Chunk::Finish)
            .await
            .map_err(|_| CoreError::Storage("blob writer stopped".into()))?;
        drop(tx);
        let (sha256, written) = writer
            .await
            .map_err(|err| CoreError::Internal(format!("blob writer panicked: {err}")))??;
        if written != size {
            return Err(CoreError::Storage("blob writer lost bytes".into()));
        }
        Ok(StoredFile {
            blob_key: key,
            sha256,
            size,
        })
    }

    /// A blocking task that writes chunks to a staged blob and commits it on `Finish`.
    fn spawn_blob_writer(
        &self,
        key: String,
        mut rx: tokio::sync::mpsc::Receiver<Chunk>,
    ) -> tokio::task::JoinHandle<Result<([u8; 32], u64), CoreError>> {
        let blobs = self.blobs();
        tokio::task::spawn_blocking(move || {
            use std::io::Write;
            let mut staged = blobs.stage()?;
            let mut hasher = Sha256::new();
            let mut written = 0u64;
            while let Some(message) = rx.blocking_recv() {
                match message {
                    Chunk::Data(bytes) => {
                        staged
                            .write_all(&bytes)
                            .map_err(|err| CoreError::Storage(err.to_string()))?;
                        hasher.update(&bytes);
                        written += bytes.len() as u64;
                    }
                    Chunk::Finish => {
                        staged.commit(&key)?;
                        return Ok((hasher.finalize().into(), written));
                    }
                }
            }
            Err(CoreError::Storage("upload aborted".into()))
        })
    }

    /// Parses a stored PDF on a blocking thread (the engine is panic-safe and limited).
    pub(crate) async fn inspect_blob(&self, key: &str) -> Result<signet_pdf::PdfInfo, CoreError> {
        let blobs = self.blobs();
        let key = key.to_string();
        let limits = self.config().pdf_limits.clone();
        tokio::task::spawn_blocking(move || {
            let reader = blobs.open(&key)?;
            signet_pdf::inspect(reader, &limits).map_err(pdf_rejection)
        })
        .await
        .map_err(|err| {
            CoreError::invalid("pdf_damaged", format!("the PDF could not be read: {err}"))
        })?
    }
}

fn require_draft(status: EnvelopeStatus) -> Result<(), CoreError> {
    if status != EnvelopeStatus::Draft {
        return Err(CoreError::conflict(
            "envelope_not_draft",
            format!("the envelope is {status}; only drafts can be changed"),
        ));
    }
    Ok(())
}

pub(crate) fn require_draft_status(status: EnvelopeStatus) -> Result<(), CoreError> {
    require_draft(status)
}

/// Field values are stamped into the pages, which would invalidate an existing signature or
/// break a certification: such documents are refused up front rather than failing at sealing.
fn check_unsigned(info: signet_pdf::PdfInfo) -> Result<signet_pdf::PdfInfo, CoreError> {
    if info.signed || info.certification.is_some() {
        return Err(CoreError::invalid(
            "pdf_already_signed",
            "the PDF already carries a digital signature or certification; adding fields would invalidate it, so upload the unsigned original",
        ));
    }
    Ok(info)
}

fn has_pdf_header(head: &[u8]) -> bool {
    head.windows(5).any(|w| w == b"%PDF-")
}

fn not_a_pdf() -> CoreError {
    CoreError::UnsupportedMediaType(
        "only PDF documents are accepted (no %PDF- header found)".into(),
    )
}

/// Maps an engine refusal of an uploaded PDF to the client-facing error.
pub(crate) fn pdf_rejection(err: signet_pdf::PdfError) -> CoreError {
    use signet_pdf::PdfError as P;
    match err {
        P::NotPdf => not_a_pdf(),
        P::Encrypted => CoreError::invalid(
            "pdf_encrypted",
            "encrypted PDFs are not accepted; remove the password first",
        ),
        P::LimitExceeded { .. } => CoreError::invalid(
            "pdf_limit_exceeded",
            format!("the PDF exceeds a processing limit: {err}"),
        ),
        other => CoreError::invalid(
            "pdf_damaged",
            format!("the PDF is damaged or unsupported: {other}"),
        ),
    }
}

fn tag_from_pdf(hit: &signet_pdf::TagHit) -> Tag {
    let r = hit.rect;
    Tag {
        name: hit.tag.clone(),
        page: hit.page,
        rect: Rect {
            x: r.x,
            y: r.y,
            width: r.width,
            height: r.height,
        },
    }
}

/// The file name without any path, control characters or quotes; never empty.
fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\''))
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "document.pdf".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_lose_paths_and_control_characters() {
        assert_eq!(clean_filename("../../../..out/pwn.pdf"), "pwn.pdf");
        assert_eq!(clean_filename("a\"\r\nX-Evil: 1.pdf"), "aX-Evil: 1.pdf");
        assert_eq!(clean_filename("C:\\docs\\contract.pdf"), "contract.pdf");
        assert_eq!(clean_filename(""), "document.pdf");
        assert_eq!(clean_filename("..."), "document.pdf");
    }

    #[test]
    fn the_pdf_header_may_follow_some_junk() {
        assert!(has_pdf_header(b"junk%PDF-1.7"));
        assert!(!has_pdf_header(b"PK\x03\x04"));
    }
}
