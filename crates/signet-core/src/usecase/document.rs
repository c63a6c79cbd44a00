//! Uploading documents: streamed to the blob store with a size limit, checked to be a PDF (or
//! a DOC or DOCX, converted to one and kept beside it), inspected in isolation (page sizes,
//! `{{tags}}`), and recorded. A rejected upload leaves nothing behind.

use bytes::Bytes;
use futures::{Stream, StreamExt};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::CoreError;
use crate::id::{DocumentId, EnvelopeId};
use crate::model::{
    Document, EnvelopeStatus, EventKind, PageSize, Rect, SourceFile, StoredFile, Tag,
};
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
        let (uploaded, kind) = self.stage_upload(who, envelope_id, body).await?;
        let (stored, source) = match kind.media_type() {
            None => (uploaded, None),
            Some(media_type) => match self.convert_upload(&uploaded, kind).await {
                Ok(pdf) => (
                    pdf,
                    Some(SourceFile {
                        file: uploaded,
                        media_type: media_type.into(),
                    }),
                ),
                Err(err) => {
                    self.delete_blobs(vec![uploaded.blob_key]).await;
                    return Err(err);
                }
            },
        };
        let mut keys = vec![stored.blob_key.clone()];
        keys.extend(source.as_ref().map(|s| s.file.blob_key.clone()));
        let info = match self
            .inspect_blob(&stored.blob_key)
            .await
            .and_then(check_signable)
        {
            Ok(info) => info,
            Err(err) => {
                self.delete_blobs(keys).await;
                return Err(err);
            }
        };
        let filename = clean_filename(filename);
        let upload = Upload {
            filename: &filename,
            stored: &stored,
            source: source.as_ref(),
            info: &info,
        };
        let result = retrying(|| self.record_document(who, envelope_id, &upload, client)).await;
        if result.is_err() {
            self.delete_blobs(keys).await;
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
        upload: &Upload<'_>,
        client: &ClientInfo,
    ) -> Result<Document, CoreError> {
        let (stored, info) = (upload.stored, upload.info);
        let record = self.load_visible(who, envelope_id).await?;
        require_draft(record.envelope.status)?;
        let mut change = Mutation::of(record, self.now());
        let document = Document {
            id: DocumentId::generate(),
            envelope_id,
            filename: upload.filename.to_string(),
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
            source: upload.source.cloned(),
            revision: None,
            created_at: change.now,
        };
        let data = json!({
            "document_id": document.id,
            "filename": document.filename,
            "sha256": hex::encode(stored.sha256),
            "size": stored.size,
            "pages": document.pages.len(),
            "converted_from": upload.source.map(|s| json!({
                "media_type": s.media_type, "sha256": hex::encode(s.file.sha256), "size": s.file.size,
            })),
        });
        change.event(EventKind::DocumentAdded, who.actor(), client, data);
        change.put_document(document.clone());
        self.commit(change).await?;
        Ok(document)
    }

    /// Streams `body` into a new blob of the envelope, enforcing the size limit; accepts a PDF,
    /// a DOC or a DOCX.
    async fn stage_upload<S>(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        body: S,
    ) -> Result<(StoredFile, UploadKind), CoreError>
    where
        S: Stream<Item = Result<Bytes, CoreError>> + Send + Unpin,
    {
        let key = |kind: UploadKind| {
            format!(
                "{}/{}/{}.{}",
                who.account_id,
                envelope_id,
                uuid::Uuid::now_v7(),
                kind.extension()
            )
        };
        self.stage_file(key, body, true).await
    }

    /// Streams `body` into the blob `key`, enforcing the size limit and the PDF header.
    pub(crate) async fn stage_pdf<S>(&self, key: String, body: S) -> Result<StoredFile, CoreError>
    where
        S: Stream<Item = Result<Bytes, CoreError>> + Send + Unpin,
    {
        let (stored, _) = self.stage_file(|_| key.clone(), body, false).await?;
        Ok(stored)
    }

    /// Streams `body` into a blob named by `key_for` once the first bytes tell what the file
    /// is (a PDF; with `office`, also a DOC or DOCX), enforcing the size limit. Anything else is
    /// refused before a byte is stored.
    async fn stage_file<S>(
        &self,
        key_for: impl FnOnce(UploadKind) -> String,
        mut body: S,
        office: bool,
    ) -> Result<(StoredFile, UploadKind), CoreError>
    where
        S: Stream<Item = Result<Bytes, CoreError>> + Send + Unpin,
    {
        let limit = self.config().max_upload_bytes;
        let mut head = Vec::new();
        let mut size: u64 = 0;
        let kind = loop {
            let chunk = body.next().await.transpose()?;
            let done = chunk.is_none();
            if let Some(chunk) = chunk {
                size += chunk.len() as u64;
                if size > limit {
                    return Err(CoreError::TooLarge { limit });
                }
                head.extend_from_slice(&chunk);
            }
            if let Some(kind) = UploadKind::sniff(&head, office, done) {
                break kind?;
            }
        };
        let key = key_for(kind);
        let (tx, rx) = tokio::sync::mpsc::channel::<Chunk>(8);
        let writer = self.spawn_blob_writer(key.clone(), rx);
        let mut sent = tx.send(Chunk::Data(Bytes::from(head))).await.is_ok();
        while sent && let Some(chunk) = body.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            if size > limit {
                return Err(CoreError::TooLarge { limit });
            }
            sent = tx.send(Chunk::Data(chunk)).await.is_ok();
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
        let stored = StoredFile {
            blob_key: key,
            sha256,
            size,
        };
        Ok((stored, kind))
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

    /// Parses a stored PDF on a blocking thread (the engine is panic-safe and limited), for at
    /// most `inspect_timeout` (see [`within`]).
    pub(crate) async fn inspect_blob(&self, key: &str) -> Result<signet_pdf::PdfInfo, CoreError> {
        let blobs = self.blobs();
        let key = key.to_string();
        let limits = self.config().pdf_limits.clone();
        let task = tokio::task::spawn_blocking(move || {
            let reader = blobs.open(&key)?;
            signet_pdf::inspect(reader, &limits).map_err(pdf_rejection)
        });
        within(self.config().inspect_timeout, "reading", task)
            .await?
            .map_err(|err| {
                CoreError::invalid("pdf_damaged", format!("the PDF could not be read: {err}"))
            })?
    }
}

/// Waits at most `limit` for a blocking PDF task (`doing`: "reading", "verifying"). On timeout
/// the client gets 422 `pdf_limit_exceeded` now, while the task runs on to its end (bounded by
/// the PDF limits).
pub(crate) async fn within<T>(
    limit: std::time::Duration,
    doing: &str,
    task: tokio::task::JoinHandle<T>,
) -> Result<Result<T, tokio::task::JoinError>, CoreError> {
    tokio::time::timeout(limit, task).await.map_err(|_| {
        CoreError::invalid(
            "pdf_limit_exceeded",
            format!(
                "{doing} the PDF took longer than {} s; simplify or split the document",
                limit.as_secs_f32()
            ),
        )
    })
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
/// So is active content: scripts could show signers different things, and embedded files
/// would be signed unseen.
fn check_signable(info: signet_pdf::PdfInfo) -> Result<signet_pdf::PdfInfo, CoreError> {
    if info.signed || info.certification.is_some() {
        return Err(CoreError::invalid(
            "pdf_already_signed",
            "the PDF already carries a digital signature or certification; adding fields would invalidate it, so upload the unsigned original",
        ));
    }
    if !info.active_content.is_empty() {
        return Err(CoreError::invalid(
            "pdf_active_content",
            format!(
                "the PDF holds active content that is not signed: {}; remove it (for example by printing the document to a new PDF) and upload again",
                info.active_content.join(", ")
            ),
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

/// What an upload is, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UploadKind {
    Pdf,
    /// Office Open XML (a ZIP container).
    Docx,
    /// Word 97-2003 (an OLE2 compound file).
    Doc,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

impl UploadKind {
    /// The kind `head` starts as, once that is certain (`done`: no more bytes will come);
    /// `office` also accepts DOC and DOCX. `None`: need more bytes.
    fn sniff(head: &[u8], office: bool, done: bool) -> Option<Result<Self, CoreError>> {
        if office && head.starts_with(ZIP_MAGIC) {
            return Some(Ok(Self::Docx));
        }
        if office && head.starts_with(OLE2_MAGIC) {
            return Some(Ok(Self::Doc));
        }
        if has_pdf_header(head) {
            return Some(Ok(Self::Pdf));
        }
        let unsure = head.len() < OLE2_MAGIC.len()
            && (ZIP_MAGIC.starts_with(head) || OLE2_MAGIC.starts_with(head));
        if done || (head.len() >= HEADER_WINDOW && !unsure) {
            return Some(Err(if office {
                CoreError::UnsupportedMediaType(
                    "only PDF, DOC and DOCX documents are accepted".into(),
                )
            } else {
                not_a_pdf()
            }));
        }
        None
    }

    /// The media type of a file Signet converts (None for a PDF).
    fn media_type(self) -> Option<&'static str> {
        match self {
            Self::Pdf => None,
            Self::Docx => {
                Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            }
            Self::Doc => Some("application/msword"),
        }
    }

    pub(crate) fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Doc => "doc",
        }
    }
}

/// A stored upload ready to be recorded.
struct Upload<'a> {
    filename: &'a str,
    /// The PDF that is signed.
    stored: &'a StoredFile,
    /// What the client uploaded, when it was converted.
    source: Option<&'a SourceFile>,
    info: &'a signet_pdf::PdfInfo,
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
    fn uploads_are_known_by_their_first_bytes() {
        let sniff = |head: &[u8], office, done| UploadKind::sniff(head, office, done);
        assert!(matches!(
            sniff(b"%PDF-1.7", true, false),
            Some(Ok(UploadKind::Pdf))
        ));
        assert!(matches!(
            sniff(b"PK\x03\x04rest", true, false),
            Some(Ok(UploadKind::Docx))
        ));
        assert!(matches!(
            sniff(OLE2_MAGIC, true, false),
            Some(Ok(UploadKind::Doc))
        ));
        // Office files only where conversion is wanted.
        assert!(matches!(
            sniff(b"PK\x03\x04rest", false, true),
            Some(Err(_))
        ));
        // A prefix of a magic number waits for more bytes; junk waits up to the header window.
        assert!(sniff(b"PK", true, false).is_none());
        assert!(sniff(b"junk", true, false).is_none());
        assert!(matches!(
            sniff(&[b'x'; HEADER_WINDOW], true, false),
            Some(Err(_))
        ));
        assert!(matches!(sniff(b"", true, true), Some(Err(_))));
    }

    #[test]
    fn the_pdf_header_may_follow_some_junk() {
        assert!(has_pdf_header(b"junk%PDF-1.7"));
        assert!(!has_pdf_header(b"PK\x03\x04"));
    }
}
