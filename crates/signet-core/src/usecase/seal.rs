//! The seal job: add to each document the signers' approval signatures it still lacks and the
//! instance's final, locking PAdES seal; build and certify the proof document; then complete
//! the envelope — once.

use std::collections::HashMap;
use std::io::{Read, Seek, Write};
use std::sync::Arc;

use serde_json::json;

use crate::CoreError;
use crate::id::{AccountId, EnvelopeId, SignerId};
use crate::model::{
    Actor, AdoptedSignature, Document, EnvelopeRecord, EnvelopeStatus, EventKind, StoredFile,
};
use crate::mutation::{ClientInfo, Mutation};
use crate::remote_tsa::RemoteTsa;
use crate::service::{Deps, Signet};
use crate::usecase::proof::SealDescription;
use crate::usecase::revisions::{self, RevisionPlan};
use crate::usecase::signatures::current_revision;
use crate::usecase::signing::schedule_callback;

/// The reason the proof document's certification gives.
const PROOF_REASON: &str = "The evidence of the envelope's signatures, sealed on completion";

/// What to seal, sent to a blocking thread.
pub(crate) enum SealInput {
    /// An original document in the blob store and the revisions to add to it.
    Revisions(String, Vec<RevisionPlan>),
    /// A report to render first (the proof, a notarization certificate), off the async
    /// threads like the sealing, then certify at this time, giving this reason.
    Report(Box<signet_pdf::Report>, time::OffsetDateTime, &'static str),
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
        let seal = Seal {
            options: &options,
            kind: None,
            fields: &[],
            level,
        };
        seal_with_instance(
            &self.deps,
            (input, output),
            &[],
            &seal,
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
        let events = self
            .store_ref()
            .events(record.envelope.account_id, record.envelope.id)
            .await?;
        let mut change = Mutation::of(record, now);
        let documents = change.record.documents.clone();
        let mut sealed_docs = Vec::new();
        // The signed revisions the sealed documents replace, deleted once that is committed.
        let mut superseded = Vec::new();
        for document in documents {
            let plans = revisions::plan(&revisions::PlanInput {
                record: &change.record,
                document: &document,
                events: &events,
                images: &signatures,
                now,
            });
            let signer_signatures =
                document.revision.as_ref().map_or(0, |r| r.signers.len()) + plans.len() - 1;
            let key = self.output_key(&change.record, "signed");
            let source = current_revision(&document).to_string();
            let signed = self
                .seal_blob(SealInput::Revisions(source, plans), &key, level)
                .await?;
            written.push(key);
            superseded.extend(document.revision.as_ref().map(|r| r.file.blob_key.clone()));
            sealed_docs.push(json!({"document_id": document.id, "original_sha256": hex::encode(document.original.sha256), "signed_sha256": hex::encode(signed.sha256), "signer_signatures": signer_signatures}));
            change.put_document(Document {
                signed: Some(signed),
                revision: None,
                ..document
            });
        }
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
                SealInput::Report(Box::new(report), now, PROOF_REASON),
                &key,
                level,
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
        crate::usecase::notify::notify_parties(&mut change, crate::model::NoticeKind::Completed);
        match self.commit(change).await {
            Ok(_) => {
                self.delete_blobs(superseded).await;
                Ok(())
            }
            Err(err @ CoreError::Storage(_)) => {
                // The commit may have happened before the error surfaced: keep the blobs (an
                // unreferenced one is only an orphan; a referenced one must never be deleted).
                written.clear();
                Err(err)
            }
            Err(err) => Err(err),
        }
    }

    pub(crate) fn output_key(&self, record: &EnvelopeRecord, kind: &str) -> String {
        format!(
            "{}/{}/{kind}-{}.pdf",
            record.envelope.account_id,
            record.envelope.id,
            uuid::Uuid::now_v7()
        )
    }

    /// Seals `input` into a new blob on a blocking thread.
    pub(crate) async fn seal_blob(
        &self,
        input: SealInput,
        key: &str,
        level: signet_pdf::PadesLevel,
    ) -> Result<StoredFile, CoreError> {
        let deps: Arc<Deps> = Arc::clone(&self.deps);
        let key = key.to_string();
        tokio::task::spawn_blocking(move || seal_blocking(&deps, input, &key, level))
            .await
            .map_err(|err| CoreError::Internal(format!("sealing task failed: {err}")))?
    }

    /// The PNG of every drawn signature, by signer.
    pub(crate) async fn signature_images(
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
    key: &str,
    level: signet_pdf::PadesLevel,
) -> Result<StoredFile, CoreError> {
    let mut staged = deps.blobs.stage()?;
    let outcome = match input {
        SealInput::Revisions(source, plans) => {
            add_revisions(deps, &source, &mut staged, plans, level)?
        }
        SealInput::Report(report, now, reason) => {
            let rendered = signet_pdf::render_report(&report)
                .map_err(|err| CoreError::Internal(format!("rendering the proof failed: {err}")))?;
            let options = signet_pdf::SealOptions {
                signing_time: now,
                signer_name: "Signet seal".into(),
                reason: Some(reason.into()),
                location: None,
                contact_info: None,
                certify: true,
            };
            let seal = Seal {
                options: &options,
                kind: None,
                fields: &[],
                level,
            };
            seal_with_instance(
                deps,
                (std::io::Cursor::new(rendered), &mut staged),
                &[],
                &seal,
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

/// Adds each planned revision in turn to the blob `source`: every one but the last into a
/// scratch blob the next reads (all deleted before returning), the last (the final seal, at
/// `level`) into `output`.
fn add_revisions<W: Write>(
    deps: &Deps,
    source: &str,
    output: W,
    plans: Vec<RevisionPlan>,
    level: signet_pdf::PadesLevel,
) -> Result<signet_pdf::SealOutcome, CoreError> {
    let mut scratch: Vec<String> = Vec::new();
    let result = add_revisions_via(deps, source, output, plans, level, &mut scratch);
    for key in scratch {
        if let Err(err) = deps.blobs.delete(&key) {
            tracing::warn!(%key, %err, "could not delete a scratch revision");
        }
    }
    result
}

fn add_revisions_via<W: Write>(
    deps: &Deps,
    source: &str,
    output: W,
    plans: Vec<RevisionPlan>,
    level: signet_pdf::PadesLevel,
    scratch: &mut Vec<String>,
) -> Result<signet_pdf::SealOutcome, CoreError> {
    let mut current = source.to_string();
    let mut output = Some(output);
    let count = plans.len();
    for (index, plan) in plans.into_iter().enumerate() {
        let seal = Seal {
            options: &plan.options,
            kind: Some(plan.kind),
            fields: &plan.fields,
            // A signer's signature gets its signature time-stamp now; the final seal's
            // validation data and document time-stamp then cover every signature.
            level: if plan.is_final {
                level
            } else {
                level.min(signet_pdf::PadesLevel::BT)
            },
        };
        let input = deps.blobs.open(&current)?;
        if index + 1 == count {
            let out = output
                .take()
                .ok_or_else(|| CoreError::Internal("output used twice".into()))?;
            return seal_with_instance(
                deps,
                (input, out),
                &plan.stamps,
                &seal,
                internal_seal_error,
            );
        }
        let mut next = deps.blobs.stage()?;
        seal_with_instance(
            deps,
            (input, &mut next),
            &plan.stamps,
            &seal,
            internal_seal_error,
        )?;
        let key = scratch_key(source, index);
        next.commit(&key)?;
        scratch.push(key.clone());
        current = key;
    }
    Err(CoreError::Internal("no revision to seal".into()))
}

/// `<folder of source>/revision-<n>-<uuid>.pdf`.
fn scratch_key(source: &str, index: usize) -> String {
    let folder = source.rsplit_once('/').map_or("", |(folder, _)| folder);
    let name = format!("revision-{}-{}.pdf", index + 1, uuid::Uuid::now_v7());
    if folder.is_empty() {
        name
    } else {
        format!("{folder}/{name}")
    }
}

/// One signature to add: its claims, its kind (None: from `options.certify`), the form fields
/// it fills and its PAdES level.
pub(crate) struct Seal<'a> {
    pub options: &'a signet_pdf::SealOptions,
    pub kind: Option<signet_pdf::SignatureKind>,
    pub fields: &'a [signet_pdf::FormField],
    pub level: signet_pdf::PadesLevel,
}

/// Seals `input` into `output` with the instance seal at `level`: the built-in TSA time-stamps
/// B-T and above, and B-LT and above embed a CRL the root signs now (and, for an imported
/// seal, its CA's current CRLs, fetched now). `pdf_error` says what an
/// engine failure means to the caller (the input's fault, or ours).
pub(crate) fn seal_with_instance<R: Read + Seek, W: Write>(
    deps: &Deps,
    (input, output): (R, W),
    stamps: &[signet_pdf::Stamp],
    seal: &Seal<'_>,
    pdf_error: fn(signet_pdf::PdfError) -> CoreError,
) -> Result<signet_pdf::SealOutcome, CoreError> {
    use signet_pdf::PadesLevel;
    let (options, level) = (seal.options, seal.level);
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
        kind: seal.kind,
        fields: seal.fields,
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
