//! The signature-request context (`IgnisignSignatureRequest_Context`) built from an envelope,
//! its attributes and the contacts its signers were made from.

use serde_json::{Value, json};
use signet_core::model::{
    Document, EnvelopeRecord, EnvelopeStatus, Language, Signer, SignerRole, SignerStatus,
};
use signet_core::usecase::account::Principal;

use super::error::IgnisignResult;
use super::json::iso;
use super::stored::{PendingDocument, Stored};
use crate::AppState;

/// The default signature profile every request of Signet uses.
pub(crate) const PROFILE_ID: &str = "signet-default";

/// `IGNISIGN_SIGNATURE_REQUEST_STATUS` of an envelope status.
pub(crate) fn request_status(status: EnvelopeStatus) -> &'static str {
    match status {
        EnvelopeStatus::Draft => "DRAFT",
        EnvelopeStatus::InProgress => "IN_PROGRESS",
        EnvelopeStatus::Sealing => "PROCESSING",
        EnvelopeStatus::Completed => "COMPLETED",
        EnvelopeStatus::Expired => "EXPIRED",
        EnvelopeStatus::Declined | EnvelopeStatus::Canceled => "CANCELLED",
    }
}

/// The Ignisign language of a core language (EN for those Ignisign lacks).
pub(crate) fn language_code(language: Language) -> &'static str {
    match language {
        Language::Fr => "FR",
        Language::De => "DE",
        _ => "EN",
    }
}

/// The core language of an Ignisign one.
pub(crate) fn core_language(code: &str) -> Language {
    match code {
        "FR" => Language::Fr,
        "DE" => Language::De,
        _ => Language::En,
    }
}

/// The id an Ignisign client knows a signer by: the contact it was made from, else its own.
pub(crate) fn signer_key(signer: &Signer, stored: &Stored) -> String {
    stored
        .contacts
        .get(&signer.id.to_string())
        .cloned()
        .unwrap_or_else(|| signer.id.to_string())
}

/// The Ignisign id of a document: `{signatureRequestId}.{key}`, the key being the one given by
/// `init-documents` or else the core document id.
pub(crate) fn document_key(
    record: &EnvelopeRecord,
    stored: &Stored,
    document: &Document,
) -> String {
    let key = stored
        .document_for(&document.id.to_string())
        .map_or_else(|| document.id.to_string(), |p| p.key.clone());
    format!("{}.{key}", record.envelope.id)
}

/// The app id and environment a request answers with.
pub(crate) fn app(who: &Principal, stored: &Stored) -> (String, String) {
    (
        stored
            .app_id
            .clone()
            .unwrap_or_else(|| who.account_id.to_string()),
        stored
            .app_env
            .clone()
            .unwrap_or_else(|| "PRODUCTION".to_string()),
    )
}

/// The whole context of a signature request.
pub(crate) async fn build(
    state: &AppState,
    who: &Principal,
    record: &EnvelopeRecord,
    stored: &Stored,
) -> IgnisignResult<Value> {
    let envelope = &record.envelope;
    let id = envelope.id.to_string();
    let (app_id, app_env) = app(who, stored);
    let acting: Vec<&Signer> = record.signers.iter().filter(|s| s.role.acts()).collect();
    let mut signers = Vec::new();
    for signer in &acting {
        signers.push(signer_json(state, who, record, stored, signer).await?);
    }
    let mut documents: Vec<Value> = record
        .documents
        .iter()
        .map(|d| document_json(record, stored, d, &app_id, &app_env))
        .collect();
    documents.extend(
        stored
            .documents
            .iter()
            .filter(|p| p.document_id.is_none())
            .map(|p| pending_json(record, stored, p, &app_id, &app_env)),
    );
    let language = stored.language.clone().or_else(|| {
        record
            .signers
            .first()
            .map(|s| language_code(s.language).into())
    });
    let mut context = json!({
        "_id": id,
        "appId": app_id,
        "appEnv": app_env,
        "signatureProfileId": stored.signature_profile_id.as_deref().unwrap_or(PROFILE_ID),
        "title": envelope.title,
        "status": request_status(envelope.status),
        "documentIds": documents.iter().map(|d| d["_id"].clone()).collect::<Vec<_>>(),
        "signerIds": acting.iter().map(|s| signer_key(s, stored)).collect::<Vec<_>>(),
        "signedBy": acting.iter().filter(|s| s.status == SignerStatus::Signed)
            .map(|s| signer_key(s, stored)).collect::<Vec<_>>(),
        "_createdAt": iso(envelope.created_at),
        "creatorId": envelope.created_by.to_string(),
        "diffusionMode": stored.diffusion_mode.as_deref().unwrap_or("WHEN_READY"),
        "signers": signers,
        "documents": documents,
        "statements": stored.statements,
        "signatureProfile": profile(who, stored, &app_id, &app_env),
        "signatureProofStatus": proof_status(envelope.status),
        "signersAsApprover": acting.iter().filter(|s| s.role == SignerRole::Approver)
            .map(|s| signer_key(s, stored)).collect::<Vec<_>>(),
        "recipients": record.signers.iter().filter(|s| s.role == SignerRole::Cc)
            .map(|s| s.email.clone()).collect::<Vec<_>>(),
        "expirationDateIsActivated": stored.expiration_date_is_activated
            .unwrap_or(envelope.expires_at.is_some()),
        "extendedAuthSessionEnabled": envelope.extended_auth_session,
    });
    let optional = [
        ("description", envelope.message.clone().map(Value::String)),
        (
            "expirationDate",
            envelope
                .expires_at
                .map(iso)
                .or_else(|| stored.expiration_date.clone().map(Value::String)),
        ),
        ("language", language.map(Value::String)),
        (
            "externalId",
            envelope.external_key.clone().map(Value::String),
        ),
        (
            "diffusionDate",
            stored.diffusion_date.clone().map(Value::String),
        ),
        (
            "initialSignatureRequestId",
            stored
                .initial_signature_request_id
                .clone()
                .map(Value::String),
        ),
    ];
    if let Some(map) = context.as_object_mut() {
        for (key, value) in optional {
            if let Some(value) = value {
                map.insert(key.into(), value);
            }
        }
    }
    Ok(context)
}

fn proof_status(status: EnvelopeStatus) -> &'static str {
    match status {
        EnvelopeStatus::Completed => "CREATED",
        EnvelopeStatus::Sealing => "IN_PROGRESS",
        _ => "NOT_INITIALIZED",
    }
}

async fn signer_json(
    state: &AppState,
    who: &Principal,
    record: &EnvelopeRecord,
    stored: &Stored,
    signer: &Signer,
) -> IgnisignResult<Value> {
    let contact = match stored.contacts.get(&signer.id.to_string()) {
        Some(id) => match id.parse() {
            Ok(id) => state.signet.contact(who, id).await.ok(),
            Err(_) => None,
        },
        None => None,
    };
    let (first, last, external) = match &contact {
        Some(c) => (
            c.first_name.clone(),
            c.last_name.clone(),
            c.external_id.clone(),
        ),
        None => {
            let mut parts = signer.name.splitn(2, ' ');
            let first = parts.next().map(str::to_string);
            let last = parts.next().map(str::to_string);
            (first, last, None)
        }
    };
    let status = match (record.envelope.status, signer.status) {
        (_, SignerStatus::Declined) => "BLOCKED",
        (EnvelopeStatus::Draft, _) => "CREATED",
        _ => "ACTIVE",
    };
    let mut inputs = Vec::new();
    let mut out = json!({
        "signerId": signer_key(signer, stored),
        "email": signer.email,
        "status": status,
        "isRecurrent": false,
    });
    if let Some(first) = first {
        out["firstName"] = first.into();
        inputs.push("firstName");
    }
    if let Some(last) = last {
        out["lastName"] = last.into();
        inputs.push("lastName");
    }
    inputs.push("email");
    if let Some(external) = external {
        out["externalId"] = external.into();
    }
    out["alreadyProvidedInputs"] = json!(inputs);
    Ok(out)
}

pub(crate) fn document_json(
    record: &EnvelopeRecord,
    stored: &Stored,
    document: &Document,
    app_id: &str,
    app_env: &str,
) -> Value {
    let id = document_key(record, stored, document);
    let pending = stored.document_for(&document.id.to_string());
    let summaries: Vec<Value> = record
        .signers
        .iter()
        .filter(|s| s.role.acts() && s.status == SignerStatus::Signed)
        .filter_map(|s| {
            s.signed_at.map(|at| {
                json!({
                    "signatureId": format!("{}.{}", document.id, s.id),
                    "signerId": signer_key(s, stored),
                    "date": iso(at),
                })
            })
        })
        .collect();
    let mut out = json!({
        "_id": id,
        "appId": app_id,
        "appEnv": app_env,
        "documentNature": "PDF",
        "fileName": document.filename,
        "fileSize": document.original.size,
        "mimeType": "application/pdf",
        "documentHash": hex::encode(document.original.sha256),
        "status": "PROVIDED",
        "signatureRequestId": record.envelope.id.to_string(),
        "_createdAt": iso(document.created_at),
        "statements": document_statements(stored, &id),
        "signatureSummaries": summaries,
    });
    if let Some(p) = pending {
        add_labels(&mut out, p);
    }
    out
}

pub(crate) fn pending_json(
    record: &EnvelopeRecord,
    stored: &Stored,
    pending: &PendingDocument,
    app_id: &str,
    app_env: &str,
) -> Value {
    let id = format!("{}.{}", record.envelope.id, pending.key);
    let mut out = json!({
        "_id": id,
        "appId": app_id,
        "appEnv": app_env,
        "documentNature": "PDF",
        "documentHash": "",
        "status": "CREATED",
        "signatureRequestId": record.envelope.id.to_string(),
        "statements": document_statements(stored, &id),
        "signatureSummaries": [],
    });
    if let Some(at) = &pending.created_at {
        out["_createdAt"] = Value::String(at.clone());
    }
    add_labels(&mut out, pending);
    out
}

fn add_labels(out: &mut Value, pending: &PendingDocument) {
    for (key, value) in [
        ("label", &pending.label),
        ("description", &pending.description),
        ("externalId", &pending.external_id),
    ] {
        if let Some(value) = value {
            out[key] = Value::String(value.clone());
        }
    }
}

fn document_statements(stored: &Stored, document_id: &str) -> Vec<Value> {
    stored
        .statements
        .iter()
        .filter(|s| s["target"] == "DOCUMENT" && s["documentId"] == document_id)
        .cloned()
        .collect()
}

/// The signature profile Signet answers with: what the core actually does.
fn profile(who: &Principal, stored: &Stored, app_id: &str, app_env: &str) -> Value {
    json!({
        "_id": stored.signature_profile_id.as_deref().unwrap_or(PROFILE_ID),
        "appId": app_id,
        "appEnv": app_env,
        "orgId": who.account_id.to_string(),
        "name": "Signet",
        "status": "PUBLISHED",
        "integrationMode": "BY_SIDE",
        "signatureMethodRef": "SIMPLE_STD",
        "signatureRequestType": "STANDARD",
        "idProofings": [],
        "authMethods": ["SIMPLE"],
        "documentTypes": ["PDF"],
        "documentRequestActivated": false,
        "defaultLanguage": "EN",
        "languageCanBeChanged": true,
        "statementsEnabled": true,
        "createdByDefault": true,
        "extendedAuthSessionEnabled": true,
        "approverEnabled": true,
        "recipientEnabled": true,
        "individualizeRequests": false,
        "sharingRestricted": true,
    })
}
