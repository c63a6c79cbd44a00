//! Verifying a PDF: the engine's verifier trusting the instance root and the configured extra
//! roots only; for a file the caller's account sealed, its envelope, who signed when, and
//! whether its audit chain is intact; for a file of an envelope since purged under retention
//! (any account's), only when this instance sealed it and when it was purged.

use bytes::Bytes;
use futures::Stream;
use time::OffsetDateTime;

use crate::CoreError;
use crate::id::{AccountId, EnvelopeId};
use crate::model::{AuditEvent, SignerRole};
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::document::{pdf_rejection, within};

/// The verifier's report types, for the layers that render them.
pub use signet_pdf::{
    Coverage, Modification, SignatureReport, SignatureRole, TimestampReport, Verdict, VerifyReport,
};

/// A verification report, with the envelope when the file is one of the account's.
#[derive(Debug)]
pub struct Verification {
    /// The engine's report.
    pub report: signet_pdf::VerifyReport,
    /// The envelope whose sealed document or proof this file is, if any.
    pub envelope: Option<SealedEnvelope>,
    /// Otherwise, when the file is a sealed document or proof of an envelope since purged
    /// under retention (of any account), what its tombstone says.
    pub purged: Option<crate::usecase::retention::PurgedSeal>,
}

/// The envelope a verified file belongs to.
#[derive(Debug)]
pub struct SealedEnvelope {
    /// Its id.
    pub id: EnvelopeId,
    /// Its title.
    pub title: String,
    /// True when the file is the proof document, false when it is a sealed document.
    pub is_proof: bool,
    /// Its recipients in signing order.
    pub signers: Vec<SignerSummary>,
    /// Whether every event of its audit trail links and hashes correctly.
    pub audit_chain_intact: bool,
    /// How many audit events were checked.
    pub audit_events: usize,
}

/// One recipient of a sealed envelope.
#[derive(Debug)]
pub struct SignerSummary {
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Signer, approver or carbon copy.
    pub role: SignerRole,
    /// When they signed or approved.
    pub signed_at: Option<OffsetDateTime>,
}

impl Signet {
    /// The roots the verifier trusts: an imported seal's root, the instance root and the
    /// configured extra roots.
    pub fn trust_roots(&self) -> Vec<Vec<u8>> {
        let mut roots = self.deps.keys.trust_anchors();
        roots.extend(self.config().trust_roots.iter().cloned());
        roots
    }

    /// Verifies a PDF against [`Signet::trust_roots`]. Blocking: call it off async threads.
    pub fn verify_pdf<R: std::io::Read + std::io::Seek>(
        &self,
        input: R,
    ) -> Result<signet_pdf::VerifyReport, CoreError> {
        let options = signet_pdf::VerifyOptions {
            trust_roots: self.trust_roots(),
            now: self.now(),
        };
        signet_pdf::verify(input, &options, &self.config().pdf_limits).map_err(pdf_rejection)
    }

    /// Verifies an uploaded PDF (up to the upload limit) for `who`'s account. The upload is
    /// streamed to a temporary blob, verified from there and deleted.
    pub async fn verify_upload<S>(
        &self,
        who: &Principal,
        body: S,
    ) -> Result<Verification, CoreError>
    where
        S: Stream<Item = Result<Bytes, CoreError>> + Send + Unpin,
    {
        let key = format!("{}/verify-{}.pdf", who.account_id, uuid::Uuid::now_v7());
        let result = self.verify_staged(&key, body).await;
        self.delete_blobs(vec![key]).await;
        let report = result?;
        let envelope = self.sealed_envelope(who.account_id, &report.sha256).await?;
        let purged = match envelope {
            Some(_) => None,
            None => self.purged_seal(&report.sha256).await?,
        };
        Ok(Verification {
            report,
            envelope,
            purged,
        })
    }

    /// Stages the upload under `key` and verifies it on a blocking thread.
    async fn verify_staged<S>(&self, key: &str, body: S) -> Result<VerifyReport, CoreError>
    where
        S: Stream<Item = Result<Bytes, CoreError>> + Send + Unpin,
    {
        self.stage_pdf(key.to_string(), body).await?;
        let (signet, key) = (self.clone(), key.to_string());
        let task = tokio::task::spawn_blocking(move || {
            let blob = signet.blobs().open(&key)?;
            signet.verify_pdf(std::io::BufReader::new(blob))
        });
        within(self.config().verify_timeout, "verifying", task)
            .await?
            .map_err(|err| CoreError::Internal(format!("verification task failed: {err}")))?
    }

    async fn sealed_envelope(
        &self,
        account: AccountId,
        sha256: &[u8; 32],
    ) -> Result<Option<SealedEnvelope>, CoreError> {
        let store = self.store_ref();
        let Some((id, is_proof)) = store.envelope_by_sealed_sha256(account, sha256).await? else {
            return Ok(None);
        };
        let Some(record) = store.load_envelope(account, id).await? else {
            return Ok(None);
        };
        let events = store.events(account, id).await?;
        let chain = AuditEvent::verify_chain(&events);
        let mut signers: Vec<_> = record.signers.iter().collect();
        signers.sort_by_key(|s| s.order);
        Ok(Some(SealedEnvelope {
            id,
            title: record.envelope.title.clone(),
            is_proof,
            signers: signers
                .into_iter()
                .map(|s| SignerSummary {
                    name: s.name.clone(),
                    email: s.email.clone(),
                    role: s.role,
                    signed_at: s.signed_at,
                })
                .collect(),
            audit_chain_intact: chain.ok,
            audit_events: chain.events,
        }))
    }
}
