//! The seal job: stamp the field values into each document, seal it with the instance's
//! PAdES seal, build and seal the proof document, then complete the envelope — once.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use serde_json::json;

use crate::CoreError;
use crate::id::{AccountId, EnvelopeId, SignerId};
use crate::model::{
    Actor, AdoptedSignature, Document, EnvelopeRecord, EnvelopeStatus, EventKind, FieldKind,
    FieldValue, StoredFile,
};
use crate::mutation::{ClientInfo, Mutation};
use crate::service::{Deps, Signet};
use crate::usecase::signing::schedule_callback;

/// What to seal, sent to a blocking thread.
enum SealInput {
    /// An original document in the blob store.
    Blob(String),
    /// A report to render first (the proof), off the async threads like the sealing.
    Report(Box<signet_pdf::Report>),
}

impl Signet {
    /// Seals an envelope whose signers are all done. Idempotent: a completed envelope is left
    /// alone, and an attempt that does not commit removes what it wrote.
    pub(crate) async fn seal_envelope(
        &self,
        account_id: AccountId,
        envelope_id: EnvelopeId,
    ) -> Result<(), CoreError> {
        let Some(record) = self
            .store_ref()
            .load_envelope(account_id, envelope_id)
            .await?
        else {
            return Ok(());
        };
        if record.envelope.status != EnvelopeStatus::Sealing {
            tracing::info!(%envelope_id, status = %record.envelope.status, "seal job found nothing to seal");
            return Ok(());
        }
        let mut written = Vec::new();
        let result = self.seal_record(record, &mut written).await;
        if result.is_err() {
            // Not committed: remove what this attempt wrote.
            self.delete_blobs(written).await;
        }
        result
    }

    async fn seal_record(
        &self,
        record: EnvelopeRecord,
        written: &mut Vec<String>,
    ) -> Result<(), CoreError> {
        let now = self.now();
        let signatures = self.signature_images(&record).await?;
        let mut change = Mutation::of(record, now);
        let documents = change.record.documents.clone();
        let mut sealed_docs = Vec::new();
        for document in documents {
            let stamps = stamps_for(&change.record, &document, &signatures);
            let key = self.output_key(&change.record, "signed");
            let signed = self
                .seal_blob(
                    SealInput::Blob(document.original.blob_key.clone()),
                    stamps,
                    &key,
                    now,
                )
                .await?;
            written.push(key);
            sealed_docs.push(json!({"document_id": document.id, "original_sha256": hex::encode(document.original.sha256), "signed_sha256": hex::encode(signed.sha256)}));
            change.put_document(Document {
                signed: Some(signed),
                ..document
            });
        }
        let account_name = self.account_name(change.record.envelope.account_id).await?;
        let events = self
            .store_ref()
            .events(change.record.envelope.account_id, change.record.envelope.id)
            .await?;
        let report =
            crate::usecase::proof::build(&change.record, &events, &account_name, now, &signatures);
        let key = self.output_key(&change.record, "proof");
        let proof = self
            .seal_blob(SealInput::Report(Box::new(report)), Vec::new(), &key, now)
            .await?;
        written.push(key);
        let proof_sha = hex::encode(proof.sha256);
        change.record.envelope.proof = Some(proof);
        change.record.envelope.status = EnvelopeStatus::Completed;
        change.record.envelope.finished_at = Some(now);
        let level = "PAdES-B-B";
        change.event(
            EventKind::Sealed,
            Actor::System,
            &ClientInfo::none(),
            json!({"documents": sealed_docs, "proof_sha256": proof_sha, "level": level}),
        );
        change.event(
            EventKind::Completed,
            Actor::System,
            &ClientInfo::none(),
            json!({}),
        );
        schedule_callback(&mut change, "envelope.completed");
        match self.commit(change).await {
            Ok(_) => Ok(()),
            Err(err @ CoreError::Storage(_)) => {
                // The commit may have happened before the error surfaced: keep the blobs (an
                // unreferenced one is only an orphan; a referenced one must never be deleted).
                written.clear();
                Err(err)
            }
            Err(err) => Err(err),
        }
    }

    fn output_key(&self, record: &EnvelopeRecord, kind: &str) -> String {
        format!(
            "{}/{}/{kind}-{}.pdf",
            record.envelope.account_id,
            record.envelope.id,
            uuid::Uuid::now_v7()
        )
    }

    /// Stamps and seals `input` into a new blob on a blocking thread.
    async fn seal_blob(
        &self,
        input: SealInput,
        stamps: Vec<signet_pdf::Stamp>,
        key: &str,
        now: time::OffsetDateTime,
    ) -> Result<StoredFile, CoreError> {
        let deps: Arc<Deps> = Arc::clone(&self.deps);
        let key = key.to_string();
        tokio::task::spawn_blocking(move || seal_blocking(&deps, input, &stamps, &key, now))
            .await
            .map_err(|err| CoreError::Internal(format!("sealing task failed: {err}")))?
    }

    /// The PNG of every drawn signature, by signer.
    async fn signature_images(
        &self,
        record: &EnvelopeRecord,
    ) -> Result<HashMap<SignerId, Vec<u8>>, CoreError> {
        let mut images = HashMap::new();
        for signer in &record.signers {
            if let Some(AdoptedSignature::Drawn { blob_key, .. }) = &signer.signature {
                let blobs = self.blobs();
                let key = blob_key.clone();
                let png = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, CoreError> {
                    let mut bytes = Vec::new();
                    blobs
                        .open(&key)?
                        .read_to_end(&mut bytes)
                        .map_err(|err| CoreError::Storage(err.to_string()))?;
                    Ok(bytes)
                })
                .await
                .map_err(|err| CoreError::Internal(err.to_string()))??;
                images.insert(signer.id, png);
            }
        }
        Ok(images)
    }
}

fn seal_blocking(
    deps: &Deps,
    input: SealInput,
    stamps: &[signet_pdf::Stamp],
    key: &str,
    now: time::OffsetDateTime,
) -> Result<StoredFile, CoreError> {
    let options = signet_pdf::SealOptions {
        signing_time: now,
        signer_name: "Signet seal".into(),
        reason: Some(
            "Sealed on completion of all signatures; see the proof document for the evidence"
                .into(),
        ),
        location: None,
        contact_info: None,
        certify: true,
    };
    let limits = &deps.config.pdf_limits;
    let seal_err =
        |err: signet_pdf::PdfError| CoreError::Internal(format!("sealing failed: {err}"));
    let mut staged = deps.blobs.stage()?;
    let outcome = match input {
        SealInput::Blob(source) => {
            let reader = deps.blobs.open(&source)?;
            signet_pdf::seal(
                reader,
                &mut staged,
                stamps,
                &deps.keys.seal,
                &options,
                limits,
            )
            .map_err(seal_err)?
        }
        SealInput::Report(report) => signet_pdf::seal(
            std::io::Cursor::new(signet_pdf::render_report(&report).map_err(|err| {
                CoreError::Internal(format!("rendering the proof failed: {err}"))
            })?),
            &mut staged,
            stamps,
            &deps.keys.seal,
            &options,
            limits,
        )
        .map_err(seal_err)?,
    };
    staged.commit(key)?;
    Ok(StoredFile {
        blob_key: key.to_string(),
        sha256: outcome.sha256,
        size: outcome.size,
    })
}

/// The stamps for one document: white covers over the tags first, then the field values.
fn stamps_for(
    record: &EnvelopeRecord,
    document: &Document,
    images: &HashMap<SignerId, Vec<u8>>,
) -> Vec<signet_pdf::Stamp> {
    use signet_pdf::{Stamp, StampContent};
    let fields: Vec<_> = record
        .fields
        .iter()
        .filter(|f| f.document_id == document.id)
        .collect();
    let rect = |r: crate::model::Rect| signet_pdf::Rect {
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
    };
    // Glyphs such as braces reach a little beyond the text box: cover with a margin.
    let margin = |r: crate::model::Rect| {
        let pad = r.height * 0.25;
        crate::model::Rect {
            x: r.x - 1.0,
            y: r.y - pad,
            width: r.width + 2.0,
            height: r.height + 2.0 * pad,
        }
    };
    let covers = fields.iter().filter_map(|f| {
        f.tag_rect.map(|r| Stamp {
            page: f.page,
            rect: rect(margin(r)),
            content: StampContent::Cover,
        })
    });
    let values = fields.iter().filter_map(|field| {
        let signer = record.signer(field.signer_id)?;
        let drawn = || images.get(&signer.id).cloned().map(StampContent::Image);
        let content = match (field.kind, field.value.as_ref()?, signer.signature.as_ref()) {
            (
                FieldKind::Signature,
                FieldValue::Signature,
                Some(AdoptedSignature::Typed { text }),
            ) => StampContent::Script(text.clone()),
            (FieldKind::Signature, FieldValue::Signature, Some(AdoptedSignature::Drawn { .. })) => {
                drawn()?
            }
            (FieldKind::Initials, FieldValue::Initials { text: Some(text) }, _) => {
                StampContent::Script(text.clone())
            }
            (FieldKind::Initials, FieldValue::Initials { text: None }, _) => drawn()?,
            (FieldKind::Date, FieldValue::Date { text }, _)
            | (FieldKind::Text, FieldValue::Text { text }, _) => StampContent::Text(text.clone()),
            (FieldKind::Checkbox, FieldValue::Checkbox { checked }, _) => {
                StampContent::Checkbox(*checked)
            }
            _ => return None,
        };
        Some(Stamp {
            page: field.page,
            rect: rect(field.rect),
            content,
        })
    });
    covers.chain(values).collect()
}
