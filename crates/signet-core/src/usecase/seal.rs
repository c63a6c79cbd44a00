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
use crate::remote_tsa::RemoteTsa;
use crate::service::{Deps, Signet};
use crate::usecase::proof::SealDescription;
use crate::usecase::signing::schedule_callback;

/// What to seal, sent to a blocking thread.
enum SealInput {
    /// An original document in the blob store.
    Blob(String),
    /// A report to render first (the proof), off the async threads like the sealing.
    Report(Box<signet_pdf::Report>),
}

impl Signet {
    /// What a seal at `level` is: the level and where its time-stamps come from.
    pub fn seal_description(&self, level: signet_pdf::PadesLevel) -> SealDescription {
        let timestamps = match &self.deps.remote_tsa {
            _ if level < signet_pdf::PadesLevel::BT => "none".to_string(),
            Some(client) => client.url().to_string(),
            None => "the instance's built-in TSA".to_string(),
        };
        SealDescription { level, timestamps }
    }

    /// Seals a PDF that belongs to no envelope with the instance seal at `level`, as an
    /// approval signature (the `signet sign` command). Blocking: call it off async threads.
    /// A damaged, encrypted or certified-against-changes input is the caller's error.
    pub fn seal_standalone<R: std::io::Read + std::io::Seek, W: std::io::Write>(
        &self,
        input: R,
        output: W,
        level: signet_pdf::PadesLevel,
    ) -> Result<signet_pdf::SealOutcome, CoreError> {
        let options = signet_pdf::SealOptions {
            signing_time: self.now(),
            signer_name: "Signet seal".into(),
            reason: Some("Sealed with signet sign".into()),
            location: None,
            contact_info: None,
            certify: false,
        };
        seal_with_instance(
            &self.deps,
            (input, output),
            &[],
            &options,
            level,
            crate::usecase::document::pdf_rejection,
        )
    }

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
        let account = self
            .store_ref()
            .account(account_id)
            .await?
            .ok_or(CoreError::NotFound("account"))?;
        let level = self.effective_pades_level(&account);
        let mut written = Vec::new();
        let result = self
            .seal_record(record, (&account.name, level), &mut written)
            .await;
        if result.is_err() {
            // Not committed: remove what this attempt wrote.
            self.delete_blobs(written).await;
        }
        if let Err(CoreError::Unavailable(reason)) = &result {
            // Say on the envelope why it is still sealing; the job retries with backoff.
            let data = json!({"reason": reason, "level": level.as_str()});
            self.record_system_event(account_id, envelope_id, EventKind::SealingDelayed, data)
                .await?;
        }
        result
    }

    async fn seal_record(
        &self,
        record: EnvelopeRecord,
        (account_name, level): (&str, signet_pdf::PadesLevel),
        written: &mut Vec<String>,
    ) -> Result<(), CoreError> {
        let now = self.now();
        let seal = self.seal_description(level);
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
                    (now, level),
                )
                .await?;
            written.push(key);
            sealed_docs.push(json!({"document_id": document.id, "original_sha256": hex::encode(document.original.sha256), "signed_sha256": hex::encode(signed.sha256)}));
            change.put_document(Document {
                signed: Some(signed),
                ..document
            });
        }
        let events = self
            .store_ref()
            .events(change.record.envelope.account_id, change.record.envelope.id)
            .await?;
        let report = crate::usecase::proof::build(
            &change.record,
            &events,
            account_name,
            now,
            &signatures,
            &seal,
        );
        let key = self.output_key(&change.record, "proof");
        let proof = self
            .seal_blob(
                SealInput::Report(Box::new(report)),
                Vec::new(),
                &key,
                (now, level),
            )
            .await?;
        written.push(key);
        let proof_sha = hex::encode(proof.sha256);
        change.record.envelope.proof = Some(proof);
        change.record.envelope.status = EnvelopeStatus::Completed;
        change.record.envelope.finished_at = Some(now);
        change.event(
            EventKind::Sealed,
            Actor::System,
            &ClientInfo::none(),
            json!({
                "documents": sealed_docs, "proof_sha256": proof_sha,
                "level": format!("PAdES-{}", seal.level.as_str()), "timestamps": seal.timestamps,
            }),
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
        at: (time::OffsetDateTime, signet_pdf::PadesLevel),
    ) -> Result<StoredFile, CoreError> {
        let deps: Arc<Deps> = Arc::clone(&self.deps);
        let key = key.to_string();
        tokio::task::spawn_blocking(move || seal_blocking(&deps, input, &stamps, &key, at))
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
    (now, level): (time::OffsetDateTime, signet_pdf::PadesLevel),
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
    let mut staged = deps.blobs.stage()?;
    let outcome = match input {
        SealInput::Blob(source) => seal_with_instance(
            deps,
            (deps.blobs.open(&source)?, &mut staged),
            stamps,
            &options,
            level,
            internal_seal_error,
        )?,
        SealInput::Report(report) => {
            let rendered = signet_pdf::render_report(&report)
                .map_err(|err| CoreError::Internal(format!("rendering the proof failed: {err}")))?;
            let input = std::io::Cursor::new(rendered);
            seal_with_instance(
                deps,
                (input, &mut staged),
                stamps,
                &options,
                level,
                internal_seal_error,
            )?
        }
    };
    staged.commit(key)?;
    Ok(StoredFile {
        blob_key: key.to_string(),
        sha256: outcome.sha256,
        size: outcome.size,
    })
}

/// Seals `input` into `output` with the instance seal at `level`: the built-in TSA time-stamps
/// B-T and above, and B-LT and above embed a CRL the root signs now (and, for an imported
/// seal, its CA's current CRLs, fetched now). `pdf_error` says what an
/// engine failure means to the caller (the input's fault, or ours).
pub(crate) fn seal_with_instance<R: std::io::Read + std::io::Seek, W: std::io::Write>(
    deps: &Deps,
    (input, output): (R, W),
    stamps: &[signet_pdf::Stamp],
    options: &signet_pdf::SealOptions,
    level: signet_pdf::PadesLevel,
    pdf_error: fn(signet_pdf::PdfError) -> CoreError,
) -> Result<signet_pdf::SealOutcome, CoreError> {
    use signet_pdf::PadesLevel;
    let tsa: Option<Box<dyn signet_pdf::TimestampAuthority>> = match &deps.remote_tsa {
        _ if level < PadesLevel::BT => None,
        Some(client) => Some(Box::new(RemoteTsa::new(Arc::clone(client))?)),
        None => Some(Box::new(
            deps.keys.timestamp_authority(Arc::clone(&deps.clock))?,
        )),
    };
    let mut crls = Vec::new();
    if level >= PadesLevel::BLT {
        crls.push(deps.keys.current_crl(options.signing_time)?);
        if let Some(chain) = &deps.keys.imported_chain {
            let client = deps.crl_client.as_ref();
            crls.extend(crate::revocation::chain_crls(
                client,
                chain,
                options.signing_time,
            )?);
        }
    }
    let pades = signet_pdf::PadesOptions {
        level,
        tsa: tsa.as_deref(),
        validation: signet_pdf::ValidationData {
            crls,
            ..signet_pdf::ValidationData::default()
        },
        kind: None,
    };
    let limits = &deps.config.pdf_limits;
    signet_pdf::seal_pades(
        input,
        output,
        stamps,
        &deps.keys.seal,
        options,
        &pades,
        limits,
    )
    .map_err(|err| match err {
        signet_pdf::PdfError::Timestamp(reason) => CoreError::Unavailable(reason),
        other => pdf_error(other),
    })
}

fn internal_seal_error(err: signet_pdf::PdfError) -> CoreError {
    CoreError::Internal(format!("sealing failed: {err}"))
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
