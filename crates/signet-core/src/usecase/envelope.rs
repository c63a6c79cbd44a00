//! Creating, reading, listing and deleting envelopes, and their audit trail.

use serde_json::json;
use time::OffsetDateTime;

use crate::CoreError;
use crate::id::EnvelopeId;
use crate::model::{
    AuditEvent, ChainReport, Envelope, EnvelopeRecord, EnvelopeStatus, EventKind, SigningOrder,
};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::port::{EnvelopeFilter, StoreError};
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::statement::{self, NewStatement};
use crate::usecase::validate;

/// What `create_envelope` asks for.
#[derive(Clone, Debug, Default)]
pub struct NewEnvelope {
    /// Title (required).
    pub title: String,
    /// Message to the signers.
    pub message: Option<String>,
    /// The client's own unique key.
    pub external_key: Option<String>,
    /// Sequential (default) or parallel.
    pub signing_order: Option<SigningOrder>,
    /// When signing stops being possible.
    pub expires_at: Option<OffsetDateTime>,
    /// URL called when the envelope completes or is declined.
    pub callback_url: Option<String>,
    /// What every signer must accept before signing (about the whole envelope: a new draft
    /// has no documents yet).
    pub statements: Vec<NewStatement>,
    /// Extended authentication sessions (see [`Envelope::extended_auth_session`]).
    pub extended_auth_session: bool,
}

/// One page of a listing.
#[derive(Clone, Debug)]
pub struct EnvelopePage {
    /// The envelopes, newest first.
    pub items: Vec<Envelope>,
    /// Pass as `before` to get the next page; `None` on the last page.
    pub next_cursor: Option<EnvelopeId>,
}

/// What `delete_envelope` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deletion {
    /// A draft was removed with its documents.
    Purged,
    /// A sent envelope was canceled (links stop working) and hidden; its evidence is kept.
    CanceledAndHidden,
    /// A finished envelope was hidden; its evidence is kept.
    Hidden,
}

impl Signet {
    /// Creates a draft envelope.
    pub async fn create_envelope(
        &self,
        who: &Principal,
        new: NewEnvelope,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        let now = self.now();
        let title = validate::text("title", &new.title, 1, 500)?;
        let message = validate::optional_text("message", new.message.as_deref(), 10_000)?;
        let external_key =
            validate::optional_text("external_key", new.external_key.as_deref(), 255)?;
        if new.expires_at.is_some_and(|at| at <= now) {
            return Err(CoreError::invalid(
                "invalid_field",
                "expires_at must be in the future",
            ));
        }
        let callback_url = new
            .callback_url
            .as_deref()
            .map(|url| {
                validate::callback_url("callback_url", url, self.config().allow_private_callbacks)
            })
            .transpose()?;
        let statements = statement::build(&new.statements, &[])?;
        let envelope = Envelope {
            id: EnvelopeId::generate(),
            account_id: who.account_id,
            created_by: who.user_id,
            title,
            message,
            external_key,
            signing_order: new.signing_order.unwrap_or(SigningOrder::Sequential),
            status: EnvelopeStatus::Draft,
            expires_at: new.expires_at.map(crate::time::storable),
            callback_url,
            result_url: None,
            status_callbacks: false,
            statements,
            extended_auth_session: new.extended_auth_session,
            proof: None,
            created_at: now,
            updated_at: now,
            sent_at: None,
            finished_at: None,
            deleted_at: None,
            version: 0,
        };
        let mut change = Mutation::create(envelope, now);
        let mut data = json!({
            "title": change.record.envelope.title,
            "external_key": change.record.envelope.external_key,
            "signing_order": change.record.envelope.signing_order.as_str(),
        });
        if !change.record.envelope.statements.is_empty() {
            data["statements"] = json!(change.record.envelope.statements);
        }
        change.event(EventKind::EnvelopeCreated, who.actor(), client, data);
        self.commit(change).await.map_err(|err| match err {
            CoreError::Conflict { .. } => CoreError::conflict(
                "external_key_taken",
                "another envelope of this account already uses this external_key",
            ),
            other => other,
        })
    }

    /// An envelope of the caller's account, with everything that belongs to it.
    pub async fn envelope(
        &self,
        who: &Principal,
        id: EnvelopeId,
    ) -> Result<EnvelopeRecord, CoreError> {
        self.load_visible(who, id).await
    }

    /// Lists the caller's envelopes, newest first.
    pub async fn list_envelopes(
        &self,
        who: &Principal,
        filter: EnvelopeFilter,
        before: Option<EnvelopeId>,
        limit: u32,
    ) -> Result<EnvelopePage, CoreError> {
        let limit = limit.clamp(1, 100);
        let mut items = self
            .store_ref()
            .list_envelopes(who.account_id, &filter, before, limit + 1)
            .await?;
        let next_cursor = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|e| e.id)
        } else {
            None
        };
        Ok(EnvelopePage { items, next_cursor })
    }

    /// Deletes an envelope: drafts are removed; sent envelopes are canceled first. Either way
    /// it disappears from the API; the evidence of sent envelopes is kept.
    pub async fn delete_envelope(
        &self,
        who: &Principal,
        id: EnvelopeId,
        client: &ClientInfo,
    ) -> Result<Deletion, CoreError> {
        retrying(|| self.delete_once(who, id, client)).await
    }

    async fn delete_once(
        &self,
        who: &Principal,
        id: EnvelopeId,
        client: &ClientInfo,
    ) -> Result<Deletion, CoreError> {
        let record = self.load_visible(who, id).await?;
        let status = record.envelope.status;
        if status == EnvelopeStatus::Draft {
            let keys: Vec<String> = record
                .documents
                .iter()
                .map(|d| d.original.blob_key.clone())
                .collect();
            self.store_ref()
                .purge_envelope(who.account_id, id, record.envelope.version)
                .await
                .map_err(|err| match err {
                    StoreError::VersionConflict => CoreError::ConcurrentUpdate,
                    other => other.into(),
                })?;
            self.delete_blobs(keys).await;
            return Ok(Deletion::Purged);
        }
        let mut change = Mutation::of(record, self.now());
        let now = change.now;
        let outcome = if status.is_final() {
            Deletion::Hidden
        } else {
            change.record.envelope.status = EnvelopeStatus::Canceled;
            change.record.envelope.finished_at = Some(now);
            change.event(
                EventKind::Canceled,
                who.actor(),
                client,
                json!({"reason": "deleted by sender"}),
            );
            Deletion::CanceledAndHidden
        };
        change.record.envelope.deleted_at = Some(now);
        change.event(EventKind::Deleted, who.actor(), client, json!({}));
        self.commit(change).await?;
        Ok(outcome)
    }

    /// The envelope's audit events, in order.
    pub async fn events(
        &self,
        who: &Principal,
        id: EnvelopeId,
    ) -> Result<Vec<AuditEvent>, CoreError> {
        self.load_visible(who, id).await?;
        Ok(self.store_ref().events(who.account_id, id).await?)
    }

    /// Re-computes the envelope's hash chain.
    pub async fn verify_chain(
        &self,
        who: &Principal,
        id: EnvelopeId,
    ) -> Result<ChainReport, CoreError> {
        Ok(AuditEvent::verify_chain(&self.events(who, id).await?))
    }

    /// Loads an envelope of the caller's account that was not deleted.
    pub(crate) async fn load_visible(
        &self,
        who: &Principal,
        id: EnvelopeId,
    ) -> Result<EnvelopeRecord, CoreError> {
        match self.store_ref().load_envelope(who.account_id, id).await? {
            Some(record) if record.envelope.deleted_at.is_none() => Ok(record),
            _ => Err(CoreError::NotFound("envelope")),
        }
    }

    /// Deletes blobs in the background of a request; a failure only leaves an orphan.
    pub(crate) async fn delete_blobs(&self, keys: Vec<String>) {
        let blobs = self.blobs();
        let result = tokio::task::spawn_blocking(move || {
            for key in keys {
                if let Err(err) = blobs.delete(&key) {
                    tracing::warn!(%key, %err, "could not delete blob; it is left as an orphan");
                }
            }
        })
        .await;
        if let Err(err) = result {
            tracing::warn!(%err, "blob deletion task failed");
        }
    }
}

impl Signet {
    /// Operator check: re-computes the chains of an account's listed envelopes, or of one
    /// envelope (deleted or not) when `only` is given.
    pub async fn verify_account_chains(
        &self,
        account: crate::id::AccountId,
        only: Option<EnvelopeId>,
    ) -> Result<Vec<(EnvelopeId, ChainReport)>, CoreError> {
        let ids = match only {
            Some(id) => vec![id],
            None => {
                let mut ids = Vec::new();
                let mut before = None;
                loop {
                    let page = self
                        .store_ref()
                        .list_envelopes(account, &EnvelopeFilter::default(), before, 500)
                        .await?;
                    before = page.last().map(|e| e.id);
                    ids.extend(page.iter().map(|e| e.id));
                    if page.len() < 500 {
                        break;
                    }
                }
                ids
            }
        };
        let mut reports = Vec::new();
        for id in ids {
            let events = self.store_ref().events(account, id).await?;
            reports.push((id, AuditEvent::verify_chain(&events)));
        }
        Ok(reports)
    }
}
