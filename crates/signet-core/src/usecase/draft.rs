//! Changing a draft in place: a partial update of its settings, the documents it keeps (and
//! their order), the recipients it keeps (and their roles), new recipients, and the
//! attributes a front door stores beside it. Only drafts change; anything sent is 409
//! `not_draft`.

use std::collections::HashSet;

use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::CoreError;
use crate::id::{DocumentId, EnvelopeId, SignerId};
use crate::model::{
    EnvelopeRecord, EventKind, FieldKind, Language, Rect, SignerRole, SignerStatus,
};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::document::require_draft_status;
use crate::usecase::signer::{NewField, NewSigner, Placement, build_signer, place_fields};
use crate::usecase::statement::{self, NewStatement};
use crate::usecase::validate;

/// One recipient of the draft after the update.
#[derive(Clone, Debug, PartialEq)]
pub enum DraftSigner {
    /// A recipient the draft already has, optionally with a new role.
    Keep {
        /// Its id.
        id: SignerId,
        /// Its role from now on (unchanged when `None`).
        role: Option<SignerRole>,
    },
    /// A new recipient.
    Add {
        /// The id it gets, chosen by the caller so that it can refer to it in the same update
        /// (for example in its attributes); must not be in use.
        id: SignerId,
        /// Full name.
        name: String,
        /// E-mail address.
        email: String,
        /// Role.
        role: SignerRole,
    },
}

/// What `update_draft` changes; `None` leaves a setting as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftUpdate {
    /// Title.
    pub title: Option<String>,
    /// Message to the signers (`Some(None)` clears it).
    pub message: Option<Option<String>>,
    /// When signing stops being possible (`Some(None)` clears it).
    pub expires_at: Option<Option<OffsetDateTime>>,
    /// Language of every recipient's signing page and e-mails.
    pub language: Option<Language>,
    /// The client's own unique key (`Some(None)` clears it).
    pub external_key: Option<Option<String>>,
    /// Extended authentication sessions (see [`crate::model::Envelope::extended_auth_session`]).
    pub extended_auth_session: Option<bool>,
    /// The documents kept, in their new order; the others are removed with their fields.
    pub documents: Option<Vec<DocumentId>>,
    /// The recipients after the update, in their signing order; the others are removed.
    pub signers: Option<Vec<DraftSigner>>,
    /// The statements every signer must accept, replacing earlier ones (checked against the
    /// documents the draft keeps).
    pub statements: Option<Vec<NewStatement>>,
    /// The front door's attributes, replacing earlier ones (see [`Signet::envelope_attributes`]).
    pub attributes: Option<Value>,
    /// Apply only to this version of the envelope (as read by the caller, who computed the
    /// update from it), else fail with `ConcurrentUpdate` so the caller can read again.
    pub expected_version: Option<i64>,
}

/// Size of a signature box placed by [`Signet::place_missing_signature_fields`], in points.
const BOX: (f32, f32) = (160.0, 48.0);

impl Signet {
    /// Applies a partial update to a draft envelope (409 `not_draft` once sent).
    pub async fn update_draft(
        &self,
        who: &Principal,
        id: EnvelopeId,
        update: DraftUpdate,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        if update.expected_version.is_some() {
            // The caller re-reads and recomputes on a conflict.
            return self.update_draft_once(who, id, &update, client).await;
        }
        retrying(|| self.update_draft_once(who, id, &update, client)).await
    }

    async fn update_draft_once(
        &self,
        who: &Principal,
        id: EnvelopeId,
        update: &DraftUpdate,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        let record = self.load_visible(who, id).await?;
        require_draft_status(record.envelope.status)?;
        if update
            .expected_version
            .is_some_and(|v| v != record.envelope.version)
        {
            return Err(CoreError::ConcurrentUpdate);
        }
        let mut change = Mutation::of(record, self.now());
        let mut changed = apply_settings(&mut change, update)?;
        let before: Vec<(DocumentId, Vec<String>)> = change
            .record
            .documents
            .iter()
            .map(|d| {
                let mut keys = vec![d.original.blob_key.clone()];
                keys.extend(d.source.as_ref().map(|s| s.file.blob_key.clone()));
                (d.id, keys)
            })
            .collect();
        let signers_before: Vec<SignerId> = change.record.signers.iter().map(|s| s.id).collect();
        if let Some(kept) = &update.documents {
            keep_documents(&mut change, kept)?;
            changed.push("documents");
        }
        if let Some(statements) = &update.statements {
            let built = statement::build(statements, &change.record.documents)?;
            change.record.envelope.statements = built;
            changed.push("statements");
        }
        if let Some(signers) = &update.signers {
            if signers.len() > self.config().max_signers {
                return Err(CoreError::invalid(
                    "too_many_signers",
                    format!(
                        "an envelope holds at most {} recipients",
                        self.config().max_signers
                    ),
                ));
            }
            set_signers(&mut change, signers, update.language)?;
            changed.push("signers");
        }
        if let Some(language) = update.language {
            for mut signer in change.record.signers.clone() {
                signer.language = language;
                change.put_signer(signer);
            }
        }
        if let Some(attributes) = &update.attributes {
            change.set_attributes(attributes.clone());
            changed.push("attributes");
        }
        let (removed_documents, orphans): (Vec<DocumentId>, Vec<Vec<String>>) = before
            .into_iter()
            .filter(|(id, _)| !change.record.documents.iter().any(|d| d.id == *id))
            .unzip();
        let removed_signers: Vec<SignerId> = signers_before
            .into_iter()
            .filter(|id| change.record.signer(*id).is_none())
            .collect();
        let mut data = json!({
            "changed": changed,
            "removed_documents": removed_documents,
            "removed_signers": removed_signers,
        });
        if update.statements.is_some() {
            data["statements"] = json!(change.record.envelope.statements);
        }
        change.event(EventKind::DraftUpdated, who.actor(), client, data);
        let record = self.commit(change).await.map_err(|err| match err {
            CoreError::Conflict { .. } => CoreError::conflict(
                "external_key_taken",
                "another envelope of this account already uses this external_key",
            ),
            other => other,
        })?;
        // The removed documents' files are no one's any more.
        self.delete_blobs(orphans.into_iter().flatten().collect())
            .await;
        Ok(record)
    }

    /// The attributes a front door stored with an envelope of the caller's account (`None`
    /// when none were stored).
    pub async fn envelope_attributes(
        &self,
        who: &Principal,
        id: EnvelopeId,
    ) -> Result<Option<Value>, CoreError> {
        self.load_visible(who, id).await?;
        Ok(self
            .store_ref()
            .envelope_attributes(who.account_id, id)
            .await?)
    }

    /// Gives every signer of a draft who has no signature field one, on the last page of the
    /// last document, stacked upwards from the bottom-left margin (for front doors whose
    /// clients place no fields). Returns the envelope, unchanged when nobody lacked one.
    pub async fn place_missing_signature_fields(
        &self,
        who: &Principal,
        id: EnvelopeId,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        retrying(|| self.place_missing_once(who, id, client)).await
    }

    async fn place_missing_once(
        &self,
        who: &Principal,
        id: EnvelopeId,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        let record = self.load_visible(who, id).await?;
        require_draft_status(record.envelope.status)?;
        let lacking: Vec<SignerId> = record
            .signers
            .iter()
            .filter(|s| s.role == SignerRole::Signer)
            .filter(|s| {
                !record
                    .fields
                    .iter()
                    .any(|f| f.signer_id == s.id && f.kind == FieldKind::Signature)
            })
            .map(|s| s.id)
            .collect();
        let Some(document) = record.documents.last() else {
            return Ok(record);
        };
        if lacking.is_empty() {
            return Ok(record);
        }
        let page = document.pages.len().max(1) as u32;
        let height = document.pages.last().map_or(792.0, |p| p.height);
        let document_id = document.id;
        let mut change = Mutation::of(record, self.now());
        for (n, signer) in lacking.iter().enumerate() {
            let slot = (n % 8) as f32;
            let rect = Rect {
                x: 36.0 + if n >= 8 { BOX.0 + 12.0 } else { 0.0 },
                y: (36.0 + slot * (BOX.1 + 8.0)).min(height - BOX.1),
                width: BOX.0,
                height: BOX.1,
            };
            let wanted = [NewField {
                kind: FieldKind::Signature,
                placement: Placement::At {
                    document_id,
                    page,
                    rect,
                },
                required: Some(true),
            }];
            for field in place_fields(&change.record, *signer, SignerRole::Signer, &wanted)? {
                change.put_field(field);
            }
        }
        change.event(
            EventKind::DraftUpdated,
            who.actor(),
            client,
            json!({ "changed": ["fields"], "signature_fields_for": lacking }),
        );
        self.commit(change).await
    }
}

/// Title, message, expiry and external key; returns the names of what changed.
fn apply_settings(
    change: &mut Mutation,
    update: &DraftUpdate,
) -> Result<Vec<&'static str>, CoreError> {
    let mut changed = Vec::new();
    let now = change.now;
    let envelope = &mut change.record.envelope;
    if let Some(title) = &update.title {
        envelope.title = validate::text("title", title, 1, 500)?;
        changed.push("title");
    }
    if let Some(message) = &update.message {
        envelope.message = validate::optional_text("message", message.as_deref(), 10_000)?;
        changed.push("message");
    }
    if let Some(expires_at) = update.expires_at {
        if expires_at.is_some_and(|at| at <= now) {
            return Err(CoreError::invalid(
                "invalid_field",
                "expires_at must be in the future",
            ));
        }
        envelope.expires_at = expires_at.map(crate::time::storable);
        changed.push("expires_at");
    }
    if let Some(key) = &update.external_key {
        envelope.external_key = validate::optional_text("external_key", key.as_deref(), 255)?;
        changed.push("external_key");
    }
    if let Some(flag) = update.extended_auth_session {
        envelope.extended_auth_session = flag;
        changed.push("extended_auth_session");
    }
    if update.language.is_some() {
        changed.push("language");
    }
    Ok(changed)
}

/// Keeps `kept` (each once, all of this envelope) in that order and removes the others.
fn keep_documents(change: &mut Mutation, kept: &[DocumentId]) -> Result<(), CoreError> {
    let mut seen = HashSet::new();
    for id in kept {
        if !seen.insert(*id) {
            return Err(CoreError::invalid(
                "duplicate_document",
                format!("document {id} is listed twice"),
            ));
        }
        if !change.record.documents.iter().any(|d| d.id == *id) {
            return Err(CoreError::invalid(
                "unknown_document",
                format!("document {id} is not part of this envelope"),
            ));
        }
    }
    let removed: Vec<DocumentId> = change
        .record
        .documents
        .iter()
        .map(|d| d.id)
        .filter(|id| !seen.contains(id))
        .collect();
    for id in removed {
        change.remove_document(id);
    }
    for (position, id) in kept.iter().enumerate() {
        if let Some(mut document) = change
            .record
            .documents
            .iter()
            .find(|d| d.id == *id)
            .cloned()
        {
            document.position = position as i32;
            change.put_document(document);
        }
    }
    // As the store reads them back.
    change.record.documents.sort_by_key(|d| (d.position, d.id));
    Ok(())
}

/// Makes `wanted` the draft's recipients: keeps (and re-roles) the listed ones, adds the new
/// ones, removes the rest; acting recipients sign in the listed order.
fn set_signers(
    change: &mut Mutation,
    wanted: &[DraftSigner],
    language: Option<Language>,
) -> Result<(), CoreError> {
    let mut seen = HashSet::new();
    for entry in wanted {
        let id = match entry {
            DraftSigner::Keep { id, .. } => {
                if change.record.signer(*id).is_none() {
                    return Err(CoreError::NotFound("signer"));
                }
                *id
            }
            DraftSigner::Add { id, .. } => {
                if change.record.signer(*id).is_some() {
                    return Err(CoreError::invalid(
                        "duplicate_signer",
                        format!("signer {id} is already a recipient"),
                    ));
                }
                *id
            }
        };
        if !seen.insert(id) {
            return Err(CoreError::invalid(
                "duplicate_signer",
                format!("signer {id} is listed twice"),
            ));
        }
    }
    let removed: Vec<SignerId> = change
        .record
        .signers
        .iter()
        .map(|s| s.id)
        .filter(|id| !seen.contains(id))
        .collect();
    for id in removed {
        change.remove_signer(id);
    }
    let default_language = language
        .or_else(|| change.record.signers.first().map(|s| s.language))
        .unwrap_or(Language::En);
    let mut order = 0;
    for entry in wanted {
        let mut signer = match entry {
            DraftSigner::Keep { id, role } => {
                let mut signer = change
                    .record
                    .signer(*id)
                    .cloned()
                    .ok_or(CoreError::NotFound("signer"))?;
                if let Some(role) = role {
                    let has_fields = change.record.fields.iter().any(|f| f.signer_id == *id);
                    if *role != signer.role && has_fields {
                        // Its fields would be meaningless (or refused) in the new role.
                        return Err(CoreError::invalid(
                            "role_with_fields",
                            format!("signer {id} has fields; it cannot change role"),
                        ));
                    }
                    signer.role = *role;
                }
                signer
            }
            DraftSigner::Add {
                id,
                name,
                email,
                role,
            } => {
                let new = NewSigner {
                    name: name.clone(),
                    email: email.clone(),
                    role: Some(*role),
                    order: Some(0),
                    language: Some(default_language),
                    invitation: None,
                    redirect_url: None,
                    message: None,
                    fields: Vec::new(),
                    auth_method: None,
                    phone: None,
                    identity_provider: None,
                    expected_identity: None,
                };
                let mut signer = build_signer(&change.record, &new, default_language, change.now)?;
                signer.id = *id;
                signer
            }
        };
        if signer.role.acts() {
            order += 1;
            signer.order = order;
        } else {
            signer.order = 0;
        }
        signer.status = SignerStatus::Pending;
        change.put_signer(signer);
    }
    // As the store reads them back.
    change
        .record
        .signers
        .sort_by_key(|s| (s.order, s.created_at, s.id));
    Ok(())
}

#[cfg(test)]
mod tests;
