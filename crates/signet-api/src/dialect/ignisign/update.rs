//! Translating the body of `PUT /v3/signature-requests/{id}` into the core's draft update and
//! the dialect's stored attributes (`extendedAuthSessionEnabled` is the core's
//! `extended_auth_session`).

use serde_json::{Value, json};
use signet_core::id::{DocumentId, SignerId};
use signet_core::model::{EnvelopeRecord, SignerRole};
use signet_core::usecase::account::Principal;
use signet_core::usecase::draft::{DraftSigner, DraftUpdate};

use super::context::{core_language, signer_key};
use super::error::{IgnisignError, IgnisignResult};
use super::json::{
    APP_ENVS, DIFFUSION_MODES, LANGUAGES, STATEMENT_TARGETS, StatementRequest, UpdateRequest,
    date_time, iso, one_of,
};
use super::stored::Stored;
use crate::AppState;

/// The core update and the new attributes for `body`.
pub(crate) async fn translate(
    state: &AppState,
    who: &Principal,
    record: &EnvelopeRecord,
    mut stored: Stored,
    mut body: UpdateRequest,
) -> IgnisignResult<(DraftUpdate, Stored)> {
    let mut update = DraftUpdate::default();
    if let Some(title) = body.title.clone() {
        update.title = Some(title.ok_or_else(|| IgnisignError::invalid("title cannot be null"))?);
    }
    if let Some(description) = body.description.clone() {
        update.message = Some(description);
    }
    if let Some(external_id) = body.external_id.clone() {
        update.external_key = Some(external_id);
    }
    expiration(record, &mut stored, &mut update, &body)?;
    if let Some(language) = body.language.clone() {
        if let Some(code) = &language {
            one_of("language", code, &LANGUAGES)?;
            update.language = Some(core_language(code));
        }
        stored.language = language;
    }
    diffusion(&mut stored, &body)?;
    if let Some(flag) = body.extended_auth_session_enabled {
        update.extended_auth_session = Some(flag.unwrap_or(false));
    }
    if let Some(initial) = body.initial_signature_request_id.take() {
        stored.initial_signature_request_id = initial;
    }
    let document_ids = match body.document_ids.clone() {
        Some(ids) => Some(documents(
            record,
            &mut stored,
            &mut update,
            ids.unwrap_or_default(),
        )?),
        None => None,
    };
    let statements_given = body.statements.is_some();
    if let Some(statements) = body.statements.take() {
        let known = document_ids.unwrap_or_else(|| current_document_ids(record, &stored));
        stored.statements = statements
            .unwrap_or_default()
            .into_iter()
            .map(|s| statement(record, &known, s))
            .collect::<IgnisignResult<_>>()?;
    }
    if statements_given {
        update.statements = Some(super::statement::core_statements(record, &stored));
    }
    if body.signer_ids.is_some() || body.signers_as_approver.is_some() || body.recipients.is_some()
    {
        recipients(state, who, record, &mut stored, &mut update, &body).await?;
    }
    Ok((update, stored))
}

fn expiration(
    record: &EnvelopeRecord,
    stored: &mut Stored,
    update: &mut DraftUpdate,
    body: &UpdateRequest,
) -> IgnisignResult<()> {
    if body.expiration_date.is_none() && body.expiration_date_is_activated.is_none() {
        return Ok(());
    }
    let date = match &body.expiration_date {
        Some(date) => date.clone(),
        None => stored.expiration_date.clone().or_else(|| {
            record
                .envelope
                .expires_at
                .map(|at| iso(at).as_str().unwrap_or_default().to_string())
        }),
    };
    let parsed = date
        .as_deref()
        .map(|d| date_time("expirationDate", d))
        .transpose()?;
    let activated = match body.expiration_date_is_activated {
        Some(flag) => flag.unwrap_or(false),
        None => stored.expiration_date_is_activated.unwrap_or(true),
    };
    if activated && parsed.is_none() {
        return Err(IgnisignError::invalid(
            "expirationDate is required when expirationDateIsActivated is true",
        ));
    }
    update.expires_at = Some(parsed.filter(|_| activated));
    stored.expiration_date = date;
    stored.expiration_date_is_activated = Some(activated);
    Ok(())
}

fn diffusion(stored: &mut Stored, body: &UpdateRequest) -> IgnisignResult<()> {
    if let Some(mode) = &body.diffusion_mode {
        if let Some(mode) = mode {
            one_of("diffusionMode", mode, &DIFFUSION_MODES)?;
        }
        stored.diffusion_mode = mode.clone();
    }
    if let Some(date) = &body.diffusion_date {
        if let Some(date) = date {
            date_time("diffusionDate", date)?;
        }
        stored.diffusion_date = date.clone();
    }
    if stored.diffusion_mode.as_deref() == Some("SCHEDULED") && stored.diffusion_date.is_none() {
        return Err(IgnisignError::invalid(
            "diffusionDate is required when diffusionMode is SCHEDULED",
        ));
    }
    Ok(())
}

/// The Ignisign ids of the request's documents as they are now.
fn current_document_ids(record: &EnvelopeRecord, stored: &Stored) -> Vec<String> {
    let mut ids: Vec<String> = record
        .documents
        .iter()
        .map(|d| super::context::document_key(record, stored, d))
        .collect();
    ids.extend(
        stored
            .documents
            .iter()
            .filter(|p| p.document_id.is_none())
            .map(|p| format!("{}.{}", record.envelope.id, p.key)),
    );
    ids
}

/// Resolves `documentIds`: the core documents kept, in order, and the pending ones kept.
fn documents(
    record: &EnvelopeRecord,
    stored: &mut Stored,
    update: &mut DraftUpdate,
    ids: Vec<String>,
) -> IgnisignResult<Vec<String>> {
    let prefix = format!("{}.", record.envelope.id);
    let mut core = Vec::new();
    let mut pending = Vec::new();
    let mut canonical = Vec::new();
    for id in &ids {
        let key = id.strip_prefix(&prefix).unwrap_or(id);
        if let Some(p) = stored.document(key) {
            if let Some(doc) = p
                .document_id
                .as_deref()
                .and_then(|d| d.parse::<DocumentId>().ok())
            {
                core.push(doc);
            }
            pending.push(p.clone());
        } else if let Some(doc) = key
            .parse::<DocumentId>()
            .ok()
            .filter(|d| record.documents.iter().any(|x| x.id == *d))
        {
            if let Some(p) = stored.document_for(key) {
                pending.push(p.clone());
            }
            core.push(doc);
        } else {
            return Err(IgnisignError::not_found("document"));
        }
        canonical.push(format!(
            "{prefix}{}",
            stored.document(key).map_or(key, |p| p.key.as_str())
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if !canonical.iter().all(|c| seen.insert(c.clone())) {
        return Err(IgnisignError::invalid("documentIds lists a document twice"));
    }
    update.documents = Some(core);
    stored.documents = pending;
    Ok(canonical)
}

fn statement(
    record: &EnvelopeRecord,
    documents: &[String],
    s: StatementRequest,
) -> IgnisignResult<Value> {
    one_of("statements.appEnv", &s.app_env, &APP_ENVS)?;
    one_of("statements.target", &s.target, &STATEMENT_TARGETS)?;
    if s.signature_request_id != record.envelope.id.to_string() {
        return Err(IgnisignError::invalid(
            "statements.signatureRequestId must be the updated signature request",
        ));
    }
    if s.target == "DOCUMENT"
        && !s
            .document_id
            .as_ref()
            .is_some_and(|d| documents.contains(d))
    {
        return Err(IgnisignError::invalid(
            "statements.documentId must name a document of the signature request",
        ));
    }
    if s.label_md.as_deref().is_none_or(|l| l.trim().is_empty()) {
        return Err(IgnisignError::invalid(
            "statements.labelMd is required: signers are shown it and must accept it",
        ));
    }
    let mut out = json!({
        "_id": s.id.unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
        "appId": s.app_id,
        "appEnv": s.app_env,
        "signatureRequestId": s.signature_request_id,
        "target": s.target,
    });
    if let Some(map) = out.as_object_mut() {
        if let Some(d) = s.document_id {
            map.insert("documentId".into(), d.into());
        }
        if let Some(label) = s.label_md {
            map.insert("labelMd".into(), label.into());
        }
    }
    Ok(out)
}

/// `signerIds`, `signersAsApprover` and `recipients` → the draft's recipients.
async fn recipients(
    state: &AppState,
    who: &Principal,
    record: &EnvelopeRecord,
    stored: &mut Stored,
    update: &mut DraftUpdate,
    body: &UpdateRequest,
) -> IgnisignResult<()> {
    let current = |role: SignerRole| -> Vec<String> {
        record
            .signers
            .iter()
            .filter(|s| s.role == role)
            .map(|s| signer_key(s, stored))
            .collect()
    };
    let approvers: Vec<String> = match &body.signers_as_approver {
        Some(ids) => ids.clone().unwrap_or_default(),
        None => current(SignerRole::Approver),
    };
    let mut acting: Vec<String> = match &body.signer_ids {
        Some(ids) => ids.clone().unwrap_or_default(),
        None => record
            .signers
            .iter()
            .filter(|s| s.role.acts())
            .map(|s| signer_key(s, stored))
            .collect(),
    };
    for id in &approvers {
        if !acting.contains(id) {
            acting.push(id.clone());
        }
    }
    let emails: Vec<String> = match &body.recipients {
        Some(list) => list.clone().unwrap_or_default(),
        None => record
            .signers
            .iter()
            .filter(|s| s.role == SignerRole::Cc)
            .map(|s| s.email.clone())
            .collect(),
    };
    let mut wanted = Vec::new();
    let mut contacts = std::collections::BTreeMap::new();
    for id in &acting {
        let role = if approvers.contains(id) {
            SignerRole::Approver
        } else {
            SignerRole::Signer
        };
        if let Some(existing) = record.signers.iter().find(|s| signer_key(s, stored) == *id) {
            wanted.push(DraftSigner::Keep {
                id: existing.id,
                role: Some(role),
            });
            if let Some(contact) = stored.contacts.get(&existing.id.to_string()) {
                contacts.insert(existing.id.to_string(), contact.clone());
            }
            continue;
        }
        let contact_id = id.parse().map_err(|_| IgnisignError::not_found("signer"))?;
        let contact = state.signet.contact(who, contact_id).await?;
        let signer_id = SignerId::generate();
        contacts.insert(signer_id.to_string(), contact.id.to_string());
        wanted.push(DraftSigner::Add {
            id: signer_id,
            name: contact.display_name(),
            email: contact.email.clone(),
            role,
        });
    }
    for email in emails {
        match record
            .signers
            .iter()
            .find(|s| s.role == SignerRole::Cc && s.email.eq_ignore_ascii_case(email.trim()))
        {
            Some(existing) => wanted.push(DraftSigner::Keep {
                id: existing.id,
                role: None,
            }),
            None => wanted.push(DraftSigner::Add {
                id: SignerId::generate(),
                name: email.trim().to_string(),
                email,
                role: SignerRole::Cc,
            }),
        }
    }
    stored.contacts = contacts;
    update.signers = Some(wanted);
    Ok(())
}
