//! [`Mutation`]: how every use case changes an envelope. It collects the rows that changed,
//! appends audit events to the hash chain and enqueues jobs, then commits everything in one
//! version-checked transaction. Nothing reaches storage except through [`Mutation::commit`] (via `Signet::commit`).

use std::collections::BTreeSet;
use std::future::Future;

use serde_json::Value;
use time::OffsetDateTime;

use crate::CoreError;
use crate::id::{DocumentId, FieldId, JobId, SignerId};
use crate::model::{
    Actor, AuditEvent, ChainHead, Document, Envelope, EnvelopeRecord, EventKind, Field, JobPayload,
    NewJob, Signer,
};
use crate::port::{EnvelopeChange, Store};
use crate::usecase::webhook::message_for;

/// Where a request came from, recorded in audit events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientInfo {
    /// The client's IP address.
    pub ip: Option<String>,
    /// The client's User-Agent header.
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// No client: a background job.
    pub fn none() -> Self {
        Self::default()
    }
}

/// Default number of attempts for jobs.
pub(crate) const JOB_ATTEMPTS: i32 = 8;

/// A pending change to one envelope.
pub(crate) struct Mutation {
    pub record: EnvelopeRecord,
    pub now: OffsetDateTime,
    expected_version: Option<i64>,
    head: Option<ChainHead>,
    dirty_documents: BTreeSet<DocumentId>,
    dirty_signers: BTreeSet<SignerId>,
    dirty_fields: BTreeSet<FieldId>,
    events: Vec<AuditEvent>,
    jobs: Vec<NewJob>,
    removed_documents: Vec<DocumentId>,
    removed_signers: Vec<SignerId>,
    attributes: Option<Value>,
    /// The (signer, link generation) pairs whose turn it was when the envelope was loaded
    /// in progress, so a commit can tell which turns it starts.
    turns_before: Vec<(SignerId, i32)>,
}

impl Mutation {
    /// A change to an envelope that does not exist yet.
    pub fn create(envelope: Envelope, now: OffsetDateTime) -> Self {
        let record = EnvelopeRecord {
            envelope,
            documents: Vec::new(),
            signers: Vec::new(),
            fields: Vec::new(),
            chain_head: None,
        };
        Self::start(record, None, now)
    }

    /// A change to a loaded envelope.
    pub fn of(record: EnvelopeRecord, now: OffsetDateTime) -> Self {
        let expected = Some(record.envelope.version);
        Self::start(record, expected, now)
    }

    fn start(record: EnvelopeRecord, expected_version: Option<i64>, now: OffsetDateTime) -> Self {
        let head = record.chain_head;
        let turns_before = if record.envelope.status == crate::model::EnvelopeStatus::InProgress {
            let up_now = record.signers_up_now().into_iter();
            up_now.map(|s| (s.id, s.token_generation)).collect()
        } else {
            Vec::new()
        };
        Self {
            record,
            now,
            expected_version,
            head,
            dirty_documents: BTreeSet::new(),
            dirty_signers: BTreeSet::new(),
            dirty_fields: BTreeSet::new(),
            events: Vec::new(),
            jobs: Vec::new(),
            removed_documents: Vec::new(),
            removed_signers: Vec::new(),
            attributes: None,
            turns_before,
        }
    }

    /// Appends an audit event to the envelope's chain.
    pub fn event(&mut self, kind: EventKind, actor: Actor, client: &ClientInfo, data: Value) {
        let envelope = &self.record.envelope;
        let (seq, prev_hash) = match self.head {
            Some(head) => (head.seq + 1, head.hash),
            None => (1, [0u8; 32]),
        };
        let mut event = AuditEvent {
            envelope_id: envelope.id,
            account_id: envelope.account_id,
            seq,
            at: self.now,
            kind,
            actor,
            ip: client.ip.clone(),
            user_agent: client.user_agent.clone(),
            data,
            prev_hash,
            hash: [0; 32],
        };
        event.hash = event.compute_hash();
        self.head = Some(ChainHead {
            seq,
            hash: event.hash,
        });
        self.events.push(event);
    }

    /// Adds a document (or marks an existing one changed).
    pub fn put_document(&mut self, document: Document) {
        self.dirty_documents.insert(document.id);
        replace_or_push(&mut self.record.documents, document, |d| d.id);
    }

    /// Adds a signer (or marks an existing one changed).
    pub fn put_signer(&mut self, signer: Signer) {
        self.dirty_signers.insert(signer.id);
        replace_or_push(&mut self.record.signers, signer, |s| s.id);
    }

    /// Adds a field (or marks an existing one changed).
    pub fn put_field(&mut self, field: Field) {
        self.dirty_fields.insert(field.id);
        replace_or_push(&mut self.record.fields, field, |f| f.id);
    }

    /// Removes a document of a draft, with the fields placed on it and the statements about it.
    pub fn remove_document(&mut self, id: DocumentId) {
        self.record.documents.retain(|d| d.id != id);
        let statements = &mut self.record.envelope.statements;
        statements.retain(|s| s.document_id != Some(id));
        self.dirty_documents.remove(&id);
        self.drop_fields(|f| f.document_id == id);
        self.removed_documents.push(id);
    }

    /// Removes a signer of a draft, with its fields.
    pub fn remove_signer(&mut self, id: SignerId) {
        self.record.signers.retain(|s| s.id != id);
        self.dirty_signers.remove(&id);
        self.drop_fields(|f| f.signer_id == id);
        self.removed_signers.push(id);
    }

    fn drop_fields(&mut self, gone: impl Fn(&Field) -> bool) {
        for field in self.record.fields.iter().filter(|f| gone(f)) {
            self.dirty_fields.remove(&field.id);
        }
        self.record.fields.retain(|f| !gone(f));
    }

    /// Replaces the envelope's front-door attributes (stored with the change).
    pub fn set_attributes(&mut self, attributes: Value) {
        self.attributes = Some(attributes);
    }

    /// Enqueues a job that runs at `run_at` (or now).
    pub fn job(
        &mut self,
        payload: JobPayload,
        run_at: Option<OffsetDateTime>,
        dedupe_key: Option<String>,
    ) {
        self.jobs.push(NewJob {
            id: JobId::generate(),
            payload,
            run_at: run_at.unwrap_or(self.now),
            max_attempts: JOB_ATTEMPTS,
            dedupe_key,
        });
    }

    /// Whether `signer` on link generation `generation` was up when the envelope was loaded
    /// (and it was in progress).
    pub fn was_up(&self, signer: SignerId, generation: i32) -> bool {
        self.turns_before.contains(&(signer, generation))
    }

    /// The jobs the change enqueues so far.
    pub fn jobs(&self) -> &[NewJob] {
        &self.jobs
    }

    /// True when the change enqueues jobs (webhook events may fan out into delivery jobs).
    pub fn has_jobs(&self) -> bool {
        !self.jobs.is_empty()
            || self
                .events
                .iter()
                .any(|e| message_for(&self.record.envelope, e).is_some())
    }

    /// Writes everything atomically; fails with `ConcurrentUpdate` if the envelope changed
    /// since it was loaded. Returns the envelope as stored.
    pub async fn commit(mut self, store: &dyn Store) -> Result<EnvelopeRecord, CoreError> {
        let envelope = &mut self.record.envelope;
        envelope.version = self.expected_version.map_or(1, |v| v + 1);
        envelope.updated_at = self.now;
        let webhooks = self
            .events
            .iter()
            .filter_map(|event| message_for(envelope, event))
            .collect();
        let change = EnvelopeChange {
            envelope: Some(envelope.clone()),
            expected_version: self.expected_version,
            documents: pick(&self.record.documents, &self.dirty_documents, |d| d.id),
            signers: pick(&self.record.signers, &self.dirty_signers, |s| s.id),
            fields: pick(&self.record.fields, &self.dirty_fields, |f| f.id),
            events: std::mem::take(&mut self.events),
            jobs: std::mem::take(&mut self.jobs),
            removed_documents: std::mem::take(&mut self.removed_documents),
            removed_signers: std::mem::take(&mut self.removed_signers),
            attributes: self.attributes.take(),
            webhooks,
        };
        store.save_envelope(&change).await?;
        self.record.chain_head = self.head;
        Ok(self.record)
    }
}

fn replace_or_push<T, K: PartialEq>(items: &mut Vec<T>, item: T, key: impl Fn(&T) -> K) {
    match items
        .iter_mut()
        .find(|existing| key(existing) == key(&item))
    {
        Some(slot) => *slot = item,
        None => items.push(item),
    }
}

fn pick<T: Clone, K: Ord>(items: &[T], dirty: &BTreeSet<K>, key: impl Fn(&T) -> K) -> Vec<T> {
    items
        .iter()
        .filter(|item| dirty.contains(&key(item)))
        .cloned()
        .collect()
}

/// Runs `op` again (it re-reads its data) when it lost a race with a concurrent writer.
pub(crate) async fn retrying<T, F, Fut>(mut op: F) -> Result<T, CoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, CoreError>>,
{
    const ATTEMPTS: usize = 6;
    let mut attempt = 1;
    loop {
        match op().await {
            Err(CoreError::ConcurrentUpdate) if attempt < ATTEMPTS => attempt += 1,
            result => return result,
        }
    }
}
