//! The add-signatures job: when a signer signs (and the envelope is not yet sealing), each
//! document gets that signer's approval signature at once, as a new signed revision on top of
//! the previous one, with a signature time-stamp from the time of signing. The seal adds any
//! that are still missing before its own.

use crate::CoreError;
use crate::id::{AccountId, EnvelopeId};
use crate::model::{Document, EnvelopeStatus, SignedRevision};
use crate::mutation::Mutation;
use crate::service::Signet;
use crate::usecase::revisions::{self, PlanInput};
use crate::usecase::seal::SealInput;

impl Signet {
    /// Adds the missing approval signatures to every document of an envelope in progress.
    /// Idempotent: a document that has them all is left alone; once the envelope is sealing
    /// the seal job does this itself.
    pub(crate) async fn add_signatures(
        &self,
        account_id: AccountId,
        envelope_id: EnvelopeId,
    ) -> Result<(), CoreError> {
        let store = self.store_ref();
        let Some(record) = store.load_envelope(account_id, envelope_id).await? else {
            return Ok(());
        };
        if record.envelope.status != EnvelopeStatus::InProgress {
            return Ok(());
        }
        let account = store
            .account(account_id)
            .await?
            .ok_or(CoreError::NotFound("account"))?;
        let level = self.effective_pades_level(&account);
        let events = store.events(account_id, envelope_id).await?;
        let images = self.signature_images(&record).await?;
        let now = self.now();
        let mut change = Mutation::of(record, now);
        let (mut written, mut superseded) = (Vec::new(), Vec::new());
        for document in change.record.documents.clone() {
            let plans = revisions::signer_revisions(&PlanInput {
                record: &change.record,
                document: &document,
                events: &events,
                images: &images,
                now,
            });
            if plans.is_empty() {
                continue;
            }
            let mut signers = document
                .revision
                .as_ref()
                .map(|r| r.signers.clone())
                .unwrap_or_default();
            signers.extend(plans.iter().filter_map(|p| p.signer));
            let source = current_revision(&document);
            let key = self.output_key(&change.record, "revision");
            let input = SealInput::Revisions(source.to_string(), plans);
            let file = match self.seal_blob(input, &key, level).await {
                Ok(file) => file,
                Err(err) => {
                    self.delete_blobs(written).await;
                    return Err(err);
                }
            };
            written.push(key);
            superseded.extend(document.revision.as_ref().map(|r| r.file.blob_key.clone()));
            change.put_document(Document {
                revision: Some(SignedRevision { file, signers }),
                ..document
            });
        }
        if written.is_empty() {
            return Ok(());
        }
        match self.commit(change).await {
            Ok(_) => {
                self.delete_blobs(superseded).await;
                Ok(())
            }
            // The commit may have happened before the error surfaced: keep the blobs.
            Err(err @ CoreError::Storage(_)) => Err(err),
            Err(err) => {
                self.delete_blobs(written).await;
                Err(err)
            }
        }
    }
}

/// The blob the next signature goes on: the latest signed revision, else the original.
pub(crate) fn current_revision(document: &Document) -> &str {
    document
        .revision
        .as_ref()
        .map_or(&document.original.blob_key, |r| &r.file.blob_key)
}
