//! Stiply's representations of a sign request and its signers, built from the core's envelope
//! record, the dialect keys and the audit trail (terms and signer progress).

use std::collections::HashMap;

use serde_json::{Value, json};
use signet_core::id::SignerId;
use signet_core::model::{
    AuditEvent, DialectKey, EnvelopeRecord, EnvelopeStatus, EventKind, Field, FieldKind,
    KeyedObject, Signer,
};
use signet_core::usecase::account::Principal;
use time::OffsetDateTime;

use super::DIALECT;
use super::error::StiplyResult;
use super::json::{NO_DATE, date, flag, hash, opt_date};
use crate::AppState;

/// A sign request with everything its representations need.
pub(crate) struct Loaded {
    pub record: EnvelopeRecord,
    pub key: DialectKey,
    pub signer_keys: HashMap<SignerId, DialectKey>,
    pub events: Vec<AuditEvent>,
    pub now: OffsetDateTime,
}

impl Loaded {
    /// Loads the sign request Stiply calls `key` (or whose native id it is).
    pub(crate) async fn by_key(state: &AppState, who: &Principal, key: &str) -> StiplyResult<Self> {
        let record = state
            .signet
            .envelope_by_dialect_key(who, DIALECT, key)
            .await?;
        Self::of(state, who, record).await
    }

    /// Adds keys and events to a loaded record.
    pub(crate) async fn of(
        state: &AppState,
        who: &Principal,
        record: EnvelopeRecord,
    ) -> StiplyResult<Self> {
        let signet = &state.signet;
        let id = record.envelope.id;
        let key = signet
            .dialect_key(who, DIALECT, KeyedObject::Envelope(id))
            .await?;
        let mut signer_keys = HashMap::new();
        for signer in &record.signers {
            let k = signet
                .dialect_key(who, DIALECT, KeyedObject::Signer(signer.id))
                .await?;
            signer_keys.insert(signer.id, k);
        }
        let events = signet.events(who, id).await?;
        Ok(Self {
            record,
            key,
            signer_keys,
            events,
            now: signet.now(),
        })
    }

    fn signer_data(&self, id: SignerId) -> &Value {
        self.signer_keys.get(&id).map_or(&Value::Null, |k| &k.data)
    }

    /// The signer's Stiply key.
    pub(crate) fn signer_key(&self, id: SignerId) -> &str {
        self.signer_keys.get(&id).map_or("", |k| k.key.as_str())
    }

    /// `data` of get/create/send/...: `{document, sign_request}`.
    pub(crate) fn full(&self, links: &HashMap<SignerId, String>) -> Value {
        let mut sign_request = self.summary_fields();
        let extra = json!({
            "call_back_url": self.record.envelope.callback_url,
            "terms": self.terms(),
            "signers": self.record.signers.iter().map(|s| self.signer_brief(s, links)).collect::<Vec<_>>(),
        });
        merge(&mut sign_request, extra);
        json!({"document": self.document(), "sign_request": sign_request})
    }

    /// One entry of the list.
    pub(crate) fn listed(&self) -> Value {
        let env = &self.record.envelope;
        let mut sign_request = self.summary_fields();
        let canceled = env.status == EnvelopeStatus::Canceled;
        let extra = json!({
            "document_name": self.document_name(),
            "signers": self.record.signers.iter().map(|s| json!({"key": self.signer_key(s.id), "email": s.email})).collect::<Vec<_>>(),
            "canceled": flag(canceled),
            "canceled_at": opt_date(env.finished_at.filter(|_| canceled)),
        });
        merge(&mut sign_request, extra);
        json!({"sign_request": sign_request})
    }

    fn summary_fields(&self) -> Value {
        let env = &self.record.envelope;
        let signed = self
            .record
            .documents
            .first()
            .and_then(|d| d.signed.as_ref());
        let all_signed = matches!(
            env.status,
            EnvelopeStatus::Sealing | EnvelopeStatus::Completed
        );
        let all_signed_at = all_signed
            .then(|| self.record.signers.iter().filter_map(|s| s.signed_at).max())
            .flatten();
        json!({
            "key": self.key.key,
            "sent": flag(env.sent_at.is_some()),
            "sent_at": opt_date(env.sent_at),
            "all_signed": flag(all_signed),
            "all_signed_at": opt_date(all_signed_at),
            "signed_hash": hash(signed.map(|f| &f.sha256)),
            "proof_hash": hash(env.proof.as_ref().map(|f| &f.sha256)),
            "message": env.message,
            "comment": self.key.data.get("comment").cloned().unwrap_or(Value::Null),
            "external_key": env.external_key,
            "created_at": date(env.created_at),
            "updated_at": date(env.updated_at),
        })
    }

    fn document_name(&self) -> Value {
        self.key
            .data
            .get("doc_name")
            .cloned()
            .unwrap_or_else(|| Value::from(self.record.envelope.title.clone()))
    }

    fn document(&self) -> Value {
        match self.record.documents.first() {
            None => Value::Null,
            Some(doc) => json!({
                "name": self.document_name(),
                "filename": doc.filename,
                "file_size": doc.source.as_ref().map_or(doc.original.size, |s| s.file.size).to_string(),
                "created_at": date(doc.created_at),
                "updated_at": date(doc.created_at),
            }),
        }
    }

    /// The terms: the first one, then one per extension.
    fn terms(&self) -> Vec<Value> {
        let env = &self.record.envelope;
        let extensions: Vec<&AuditEvent> = self
            .events
            .iter()
            .filter(|e| e.kind == EventKind::TermExtended)
            .collect();
        let parse = |v: Option<&Value>| {
            v.and_then(Value::as_str).and_then(|v| {
                OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339).ok()
            })
        };
        let first_expiry = match extensions.first() {
            Some(e) => parse(e.data.get("previous_expires_at")),
            None => env.expires_at,
        };
        let term = |code: Value, expires: Option<OffsetDateTime>, shown: bool, at| {
            json!({
                "term_code": code,
                "term_expired": flag(shown && expires.is_some_and(|x| x <= self.now)),
                "term_expires": if shown { opt_date(expires) } else { NO_DATE.to_owned() },
                "created_at": date(at),
            })
        };
        let code = self
            .key
            .data
            .get("term_code")
            .cloned()
            .unwrap_or(Value::Null);
        let mut terms = vec![term(
            code,
            first_expiry,
            env.sent_at.is_some(),
            env.created_at,
        )];
        for e in extensions {
            let code = e.data.get("term").cloned().unwrap_or(Value::Null);
            terms.push(term(code, parse(e.data.get("expires_at")), true, e.at));
        }
        terms
    }

    fn progresses(&self, signer: &Signer, with_status: bool) -> Vec<Value> {
        let mine = |e: &&AuditEvent| {
            e.data.get("signer_id").and_then(Value::as_str) == Some(&signer.id.to_string())
        };
        self.events
            .iter()
            .filter(mine)
            .filter_map(|e| {
                let reminder = e.data.get("reminder").and_then(Value::as_bool) == Some(true);
                let (action, status, by_signer) = match e.kind {
                    EventKind::InvitationEmailed if reminder => ("mail_reminder_sent", None, false),
                    EventKind::InvitationEmailed => ("mail_signrequest_sent", None, false),
                    EventKind::InvitationFailed if reminder => ("mail_reminder_sent", Some("failed"), false),
                    EventKind::InvitationFailed => ("mail_signrequest_sent", Some("failed"), false),
                    EventKind::NoticeEmailed if mail_of(e) == Some("term_extended") => {
                        ("mail_term_extended_sent", None, false)
                    }
                    EventKind::DeliveryFailed if mail_of(e) == Some("term_extended") => {
                        ("mail_term_extended_sent", Some("failed"), false)
                    }
                    EventKind::DeliveryFailed if reminder => ("mail_reminder_sent", Some("failed"), false),
                    EventKind::DeliveryFailed if mail_of(e) == Some("invitation") => {
                        ("mail_signrequest_sent", Some("failed"), false)
                    }
                    EventKind::LinkIssued => ("sign_link_created", None, false),
                    EventKind::Viewed => ("signrequest_opened", None, true),
                    EventKind::Signed => ("signed", None, true),
                    EventKind::Declined => ("declined", None, true),
                    _ => return None,
                };
                let mut p = json!({
                    "action": action,
                    "ip": if by_signer { e.ip.clone() } else { None },
                    "location": null,
                    "system": if by_signer { e.user_agent.clone() } else { None },
                    "value": e.data.get("email").cloned().unwrap_or_else(|| Value::from(signer.email.clone())),
                    "created_at": date(e.at),
                });
                if with_status {
                    merge(&mut p, json!({"status": status}));
                }
                Some(p)
            })
            .collect()
    }

    fn signer_updated_at(&self, signer: &Signer) -> OffsetDateTime {
        [signer.viewed_at, signer.signed_at, signer.declined_at]
            .into_iter()
            .flatten()
            .fold(signer.created_at, OffsetDateTime::max)
    }

    fn phone(&self, signer: &Signer) -> Value {
        self.signer_data(signer.id)
            .get("phone")
            .and_then(Value::as_str)
            .and_then(|p| p.trim_start_matches('+').parse::<u64>().ok())
            .map_or(Value::Null, Value::from)
    }

    fn attr(&self, signer: &Signer, name: &str) -> Value {
        self.signer_data(signer.id)
            .get(name)
            .cloned()
            .unwrap_or(Value::Null)
    }

    fn name(&self, signer: &Signer) -> Value {
        match self.signer_data(signer.id).get("name") {
            Some(name) => name.clone(),
            None => Value::from(signer.name.clone()),
        }
    }

    fn signer_brief(&self, signer: &Signer, links: &HashMap<SignerId, String>) -> Value {
        json!({
            "key": self.signer_key(signer.id),
            "email": signer.email,
            "name": self.name(signer),
            "order": signer.order,
            "phone": self.phone(signer),
            "auth_method": self.attr(signer, "auth_method"),
            "created_at": date(signer.created_at),
            "updated_at": date(self.signer_updated_at(signer)),
            "sign_url": links.get(&signer.id),
            "signer_progresses": self.progresses(signer, true),
        })
    }

    /// The full signer representation (get, create and update signer).
    pub(crate) fn signer(&self, signer: &Signer) -> Value {
        let role = self.attr(signer, "role");
        let emandate = self
            .signer_data(signer.id)
            .get("emandate")
            .filter(|v| !v.is_null())
            .cloned();
        let fields: Vec<Value> = self
            .record
            .fields
            .iter()
            .filter(|f| f.signer_id == signer.id)
            .map(|f| self.field(f, signer))
            .collect();
        json!({
            "key": self.signer_key(signer.id),
            "email": signer.email,
            "name": self.name(signer),
            "order": signer.order,
            "language": signer.language.as_str(),
            "phone": self.phone(signer),
            "auth_method": self.attr(signer, "auth_method"),
            "role": if role.is_null() { Value::from("") } else { role },
            "sign_url": null,
            "emandate": emandate.unwrap_or_else(|| json!([])),
            "created_at": date(signer.created_at),
            "updated_at": date(self.signer_updated_at(signer)),
            "signer_progresses": self.progresses(signer, false),
            "fields": fields,
        })
    }

    fn field(&self, field: &Field, signer: &Signer) -> Value {
        let page = self
            .record
            .documents
            .iter()
            .find(|d| d.id == field.document_id)
            .and_then(|d| d.pages.get((field.page as usize).checked_sub(1)?).copied());
        let (x, y) = page
            .map(|p| signet_core::stiply::to_stiply(p, field.rect, field.kind))
            .unwrap_or((0.0, 0.0));
        let round = |v: f32| (f64::from(v) * 100.0).round() / 100.0;
        json!({
            "type": field_type(field.kind),
            "x": round(x),
            "y": round(y),
            "width": round(field.rect.width),
            "height": round(field.rect.height),
            "page": field.page,
            "optional": flag(!field.required),
            "created_at": date(signer.created_at),
            "updated_at": date(signer.created_at),
        })
    }
}

fn field_type(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Signature => "signature",
        FieldKind::Initials => "initial",
        FieldKind::Date => "date",
        FieldKind::Text => "text",
        FieldKind::Checkbox => "checkbox",
    }
}

fn merge(into: &mut Value, from: Value) {
    if let (Value::Object(into), Value::Object(from)) = (into, from) {
        into.extend(from);
    }
}

/// Which mail a notice or delivery-failure event is about (`invitation`, `term_extended`, ...).
fn mail_of(e: &AuditEvent) -> Option<&str> {
    e.data
        .get("notice")
        .or_else(|| e.data.get("mail"))
        .and_then(Value::as_str)
}
