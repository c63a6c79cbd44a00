//! The signed documents of a completed envelope for its parties: attached to the completed
//! e-mail, or (the account's `link` choice, or attachments over the configured limit,
//! [`ATTACHMENT_LIMIT_BYTES`](crate::model::ATTACHMENT_LIMIT_BYTES) by default) a
//! download link per recipient. A link's token is 256 random bits made by the mail job and
//! mailed once; only its SHA-256 is stored. It serves only its envelope's sealed documents,
//! only while the envelope is completed and not deleted (a purge deletes it with the
//! envelope), for [`DOWNLOAD_LINK_DAYS`] days; each document fetched through it is an audit
//! event.

use serde_json::json;
use time::Duration;

use crate::CoreError;
use crate::id::SignerId;
use crate::message::Notice;
use crate::model::{
    Actor, CompletedDocuments, DOWNLOAD_LINK_DAYS, DownloadLink, EnvelopeRecord, EnvelopeStatus,
    EventKind,
};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::secret::{constant_time_eq, random_base62, sha256};
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::download::{Download, suffixed};
use crate::usecase::settings::AccountSettings;

/// Characters of a download token: 43 base62 characters are 256 bits.
const TOKEN_CHARS: usize = 43;

/// What a download link opens.
#[derive(Debug)]
pub enum LinkedDocuments {
    /// One sealed document, ready to stream.
    Document(Download),
    /// The envelope has several: their file names, in order (each at `/d/{token}/{n}`, from 1).
    Listing {
        /// The envelope's title.
        title: String,
        /// The sealed documents' file names.
        filenames: Vec<String>,
    },
}

impl Signet {
    /// Sets (or with `None` returns to attaching) how the completed e-mail delivers the signed
    /// documents of the caller's account; owners and admins only.
    pub async fn set_completed_documents(
        &self,
        who: &Principal,
        choice: Option<CompletedDocuments>,
    ) -> Result<AccountSettings, CoreError> {
        who.require_admin()?;
        if !self
            .store_ref()
            .set_account_completed_documents(who.account_id, choice)
            .await?
        {
            return Err(CoreError::NotFound("account"));
        }
        self.account_settings(who).await
    }

    /// The completed notice's content for one recipient: the sealed PDFs attached, or a new
    /// download link for them.
    pub(crate) async fn completed_notice(
        &self,
        record: &EnvelopeRecord,
        recipient: Option<SignerId>,
    ) -> Result<Notice, CoreError> {
        let envelope = &record.envelope;
        let choice = self
            .store_ref()
            .account_completed_documents(envelope.account_id)
            .await?
            .unwrap_or(CompletedDocuments::Attach);
        let size: u64 = record
            .documents
            .iter()
            .filter_map(|d| d.signed.as_ref())
            .map(|f| f.size)
            .sum();
        if choice == CompletedDocuments::Attach && size <= self.config().mail_attachment_limit_bytes
        {
            return Ok(Notice::Completed {
                attachments: self.signed_attachments(record).await?,
                download: None,
            });
        }
        let token = random_base62(TOKEN_CHARS);
        let now = self.now();
        let link = DownloadLink {
            id: uuid::Uuid::now_v7(),
            account_id: envelope.account_id,
            envelope_id: envelope.id,
            signer_id: recipient,
            token_hash: sha256(token.as_bytes()),
            created_at: now,
            expires_at: now + Duration::days(DOWNLOAD_LINK_DAYS),
        };
        self.store_ref().insert_download_link(&link).await?;
        Ok(Notice::Completed {
            attachments: Vec::new(),
            download: Some(format!("{}/d/{token}", self.config().public_url)),
        })
    }

    /// Opens a download link: document `number` (from 1; `None` with one document is that
    /// one, with several the listing), recorded as `download_link_opened`. 404 for an unknown
    /// token or an envelope deleted, purged or not completed; 410 `link_expired` after
    /// [`DOWNLOAD_LINK_DAYS`] days.
    pub async fn open_download_link(
        &self,
        token: &str,
        number: Option<usize>,
        client: &ClientInfo,
    ) -> Result<LinkedDocuments, CoreError> {
        let hash = sha256(token.as_bytes());
        let link = self
            .store_ref()
            .download_link_by_hash(&hash)
            .await?
            .filter(|link| constant_time_eq(&link.token_hash, &hash))
            .ok_or(CoreError::NotFound("download link"))?;
        if link.expires_at <= self.now() {
            return Err(CoreError::gone(
                "link_expired",
                format!("download links work for {DOWNLOAD_LINK_DAYS} days"),
            ));
        }
        let record = self
            .store_ref()
            .load_envelope(link.account_id, link.envelope_id)
            .await?
            .filter(|r| {
                r.envelope.deleted_at.is_none() && r.envelope.status == EnvelopeStatus::Completed
            })
            .ok_or(CoreError::NotFound("download link"))?;
        let documents = &record.documents;
        let index = match number {
            None if documents.len() == 1 => 0,
            None => {
                return Ok(LinkedDocuments::Listing {
                    title: record.envelope.title.clone(),
                    filenames: documents
                        .iter()
                        .map(|d| suffixed(&d.filename, "signed"))
                        .collect(),
                });
            }
            Some(n) if (1..=documents.len()).contains(&n) => n - 1,
            Some(_) => return Err(CoreError::NotFound("document")),
        };
        let doc = &documents[index];
        let file = doc.signed.as_ref().ok_or_else(|| {
            CoreError::Integrity(format!("document {} has no sealed output", doc.id))
        })?;
        let download = self
            .download(file, &suffixed(&doc.filename, "signed"))
            .await?;
        let data = json!({"link_id": link.id, "signer_id": link.signer_id, "document_id": doc.id});
        self.record_opened(&link, data, client).await?;
        Ok(LinkedDocuments::Document(download))
    }

    async fn record_opened(
        &self,
        link: &DownloadLink,
        data: serde_json::Value,
        client: &ClientInfo,
    ) -> Result<(), CoreError> {
        retrying(|| async {
            let Some(record) = self
                .store_ref()
                .load_envelope(link.account_id, link.envelope_id)
                .await?
            else {
                return Err(CoreError::NotFound("download link"));
            };
            let mut change = Mutation::of(record, self.now());
            change.event(
                EventKind::DownloadLinkOpened,
                Actor::System,
                client,
                data.clone(),
            );
            self.commit(change).await.map(|_| ())
        })
        .await
    }
}
