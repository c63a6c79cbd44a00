//! Builders for domain values with every field filled in, so round trips check everything.

use serde_json::{Value, json};
use signet_core::id::{
    AccountId, ApiKeyId, DocumentId, EnvelopeId, FieldId, JobId, SignerId, UserId,
};
use signet_core::model::{
    Account, Actor, AdoptedSignature, ApiKey, AuditEvent, ChainHead, Document, Envelope,
    EnvelopeStatus, EventKind, Field, FieldKind, FieldValue, Invitation, JobPayload, KeyKind,
    Language, NewJob, PageSize, Rect, Scope, Scopes, SignedRevision, Signer, SignerRole,
    SignerStatus, SigningEvidence, SigningOrder, SourceFile, StoredFile, Tag, User, UserRole,
};
use signet_core::port::{EnvelopeChange, Store};
use time::{Duration, OffsetDateTime};

/// A fixed, storable "now".
pub fn now() -> OffsetDateTime {
    time::macros::datetime!(2026-11-23 10:00:00.123456 UTC)
}

pub fn later(seconds: i64) -> OffsetDateTime {
    now() + Duration::seconds(seconds)
}

pub fn unique(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::new_v4().simple())
}

/// An account with its owner and first key.
pub struct Tenant {
    pub account: Account,
    pub owner: User,
    pub key: ApiKey,
}

pub fn tenant() -> Tenant {
    let account = Account {
        id: AccountId::generate(),
        name: "Acme B.V.".into(),
        webhook_secret_sealed: vec![7; 60],
        pades_level: None,
        password_grant: true,
        reactivation_days: None,
        default_language: None,
        created_at: now(),
    };
    let owner = User {
        id: UserId::generate(),
        account_id: account.id,
        email: format!("{}@example.com", unique("owner-")),
        name: "Owner Ötzi".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: UserRole::Owner,
        created_at: now(),
        disabled_at: None,
    };
    let key = ApiKey {
        id: ApiKeyId::generate(),
        account_id: account.id,
        user_id: owner.id,
        kind: KeyKind::Personal,
        scopes: Scopes::of(&[Scope::Read, Scope::Write]),
        name: "default".into(),
        lookup_id: unique("lk"),
        secret_hash: [0xab; 32],
        created_at: now(),
        expires_at: Some(later(86_400)),
        last_used_at: None,
        revoked_at: None,
    };
    Tenant {
        account,
        owner,
        key,
    }
}

/// Creates a tenant in the store.
pub async fn create_tenant(store: &dyn Store) -> Tenant {
    let t = tenant();
    store
        .create_account(&t.account, &t.owner, &t.key)
        .await
        .unwrap();
    t
}

/// A draft envelope at version 1 with every optional field empty.
pub fn envelope(t: &Tenant) -> Envelope {
    Envelope {
        id: EnvelopeId::generate(),
        account_id: t.account.id,
        created_by: t.owner.id,
        title: "Lease agreement".into(),
        message: None,
        external_key: None,
        signing_order: SigningOrder::Parallel,
        status: EnvelopeStatus::Draft,
        expires_at: None,
        callback_url: None,
        result_url: None,
        status_callbacks: false,
        statements: Vec::new(),
        extended_auth_session: false,
        proof: None,
        created_at: now(),
        updated_at: now(),
        sent_at: None,
        finished_at: None,
        deleted_at: None,
        version: 1,
    }
}

pub fn file(name: &str, fill: u8) -> StoredFile {
    StoredFile {
        blob_key: format!("blobs/{name}"),
        sha256: [fill; 32],
        size: 123_456_789_012,
    }
}

pub fn document(envelope: &Envelope, position: i32) -> Document {
    let rect = Rect {
        x: 72.5,
        y: 100.25,
        width: 0.1,
        height: 1e-3,
    };
    Document {
        id: DocumentId::generate(),
        envelope_id: envelope.id,
        filename: "contract ü.pdf".into(),
        original: file("original.pdf", 1),
        pages: vec![
            PageSize {
                width: 595.28,
                height: 841.89,
                rotation: 0,
            },
            PageSize {
                width: 612.0,
                height: 792.0,
                rotation: 90,
            },
        ],
        tags: vec![Tag {
            name: "signature_1".into(),
            page: 2,
            rect,
        }],
        position,
        signed: None,
        source: Some(SourceFile {
            file: file("upload.docx", 3),
            media_type: "application/msword".into(),
        }),
        revision: Some(SignedRevision {
            file: file("revision.pdf", 4),
            signers: vec![SignerId::generate(), SignerId::generate()],
        }),
        created_at: now(),
    }
}

pub fn signer(envelope: &Envelope, order: i32) -> Signer {
    Signer {
        id: SignerId::generate(),
        envelope_id: envelope.id,
        name: "Signer Ñame".into(),
        email: "signer@example.org".into(),
        role: SignerRole::Signer,
        order,
        language: Language::Nl,
        invitation: Invitation::Email,
        redirect_url: None,
        status: SignerStatus::Pending,
        token_hash: None,
        token_generation: 0,
        signature: None,
        evidence: None,
        decline_reason: None,
        message: None,
        viewed_at: None,
        signed_at: None,
        declined_at: None,
        created_at: now(),
        auth_method: signet_core::model::AuthMethod::None,
        phone: None,
        identity_provider: None,
        expected_identity: None,
    }
}

/// A signer who has signed, with every optional field set.
pub fn signed_signer(envelope: &Envelope, order: i32) -> Signer {
    Signer {
        role: SignerRole::Approver,
        invitation: Invitation::Link,
        redirect_url: Some("https://example.com/done?x=1".into()),
        status: SignerStatus::Signed,
        token_hash: Some(random_hash()),
        token_generation: 3,
        signature: Some(AdoptedSignature::Drawn {
            blob_key: "sig/a.png".into(),
            sha256: "ab".repeat(32),
        }),
        evidence: Some(SigningEvidence {
            ip: Some("203.0.113.9".into()),
            user_agent: Some("Mozilla/5.0".into()),
            consent_version: Some("2026-01".into()),
            consent_sha256: Some("cd".repeat(32)),
        }),
        decline_reason: Some("n/a".into()),
        message: Some("<b>Für Sie</b> allein".into()),
        viewed_at: Some(later(10)),
        signed_at: Some(later(20)),
        declined_at: Some(later(30)),
        auth_method: signet_core::model::AuthMethod::Sms,
        phone: Some("+31612345678".into()),
        ..signer(envelope, order)
    }
}

pub fn random_hash() -> [u8; 32] {
    let mut hash = [0u8; 32];
    hash[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    hash[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    hash
}

pub fn field(
    signer: &Signer,
    document: &Document,
    kind: FieldKind,
    value: Option<FieldValue>,
) -> Field {
    Field {
        id: FieldId::generate(),
        signer_id: signer.id,
        document_id: document.id,
        kind,
        required: value.is_some(),
        page: 2,
        rect: Rect {
            x: 10.125,
            y: 20.5,
            width: 150.0,
            height: 40.333,
        },
        tag: Some("signature_1".into()),
        tag_rect: Some(Rect {
            x: 9.0,
            y: 19.0,
            width: 80.75,
            height: 12.0,
        }),
        value,
    }
}

/// An event extending `head`, with its hash computed.
pub fn event(
    envelope: &Envelope,
    head: Option<ChainHead>,
    kind: EventKind,
    data: Value,
) -> AuditEvent {
    let (seq, prev_hash) = head.map_or((1, [0; 32]), |h| (h.seq + 1, h.hash));
    let mut event = AuditEvent {
        envelope_id: envelope.id,
        account_id: envelope.account_id,
        seq,
        at: later(seq),
        kind,
        actor: Actor::System,
        ip: Some("198.51.100.7".into()),
        user_agent: None,
        data,
        prev_hash,
        hash: [0; 32],
    };
    event.hash = event.compute_hash();
    event
}

/// `n` events extending `head`.
pub fn events(envelope: &Envelope, mut head: Option<ChainHead>, n: usize) -> Vec<AuditEvent> {
    (0..n)
        .map(|i| {
            let e = event(envelope, head, EventKind::Viewed, json!({ "n": i }));
            head = Some(ChainHead {
                seq: e.seq,
                hash: e.hash,
            });
            e
        })
        .collect()
}

pub fn job(envelope: &Envelope, run_at: OffsetDateTime, dedupe_key: Option<&str>) -> NewJob {
    NewJob {
        id: JobId::generate(),
        payload: JobPayload::SealEnvelope {
            account_id: envelope.account_id,
            envelope_id: envelope.id,
        },
        run_at,
        max_attempts: 5,
        dedupe_key: dedupe_key.map(str::to_owned),
    }
}

/// Inserts a new envelope (with an `envelope_created` event) and returns it.
pub async fn create_envelope(
    store: &dyn Store,
    t: &Tenant,
    edit: impl FnOnce(&mut Envelope),
) -> Envelope {
    let mut e = envelope(t);
    edit(&mut e);
    let created = event(
        &e,
        None,
        EventKind::EnvelopeCreated,
        json!({ "title": e.title }),
    );
    let change = EnvelopeChange {
        envelope: Some(e.clone()),
        events: vec![created],
        ..Default::default()
    };
    store.save_envelope(&change).await.unwrap();
    e
}

/// The change that moves `envelope` from its version to the next.
pub fn next_version(envelope: &Envelope) -> (Envelope, EnvelopeChange) {
    let mut next = envelope.clone();
    next.version += 1;
    next.updated_at = later(next.version);
    let change = EnvelopeChange {
        envelope: Some(next.clone()),
        expected_version: Some(envelope.version),
        ..Default::default()
    };
    (next, change)
}

/// A new envelope with every optional value set, documents and signers listed out of order, a
/// field of every kind and value, and three events.
pub fn complete_envelope(t: &Tenant) -> EnvelopeChange {
    let mut e = envelope(t);
    e.message = Some("Please sign\nthis — thanks".into());
    e.external_key = Some("crm-42".into());
    e.signing_order = SigningOrder::Sequential;
    e.status = EnvelopeStatus::Completed;
    e.expires_at = Some(later(3600));
    e.callback_url = Some("https://hooks.example.com/signet".into());
    e.proof = Some(file("proof.pdf", 9));
    e.sent_at = Some(later(1));
    e.finished_at = Some(later(2));
    e.deleted_at = Some(later(3));
    let minimal_doc = document(&e, 0);
    let mut full_doc = Document {
        signed: Some(file("signed.pdf", 2)),
        source: None,
        revision: None,
        ..document(&e, 1)
    };
    full_doc.tags.clear();
    let (first, second) = (signer(&e, 1), signed_signer(&e, 2));
    let mut fields = vec![field(&first, &minimal_doc, FieldKind::Signature, None)];
    let values = [
        (FieldKind::Signature, FieldValue::Signature),
        (
            FieldKind::Initials,
            FieldValue::Initials {
                text: Some("SN".into()),
            },
        ),
        (FieldKind::Initials, FieldValue::Initials { text: None }),
        (
            FieldKind::Date,
            FieldValue::Date {
                text: "23-11-2026".into(),
            },
        ),
        (
            FieldKind::Text,
            FieldValue::Text {
                text: "ünïcode ✓".into(),
            },
        ),
        (FieldKind::Checkbox, FieldValue::Checkbox { checked: true }),
    ];
    fields.extend(
        values
            .into_iter()
            .map(|(kind, value)| field(&second, &full_doc, kind, Some(value))),
    );
    fields.push(Field {
        tag: None,
        tag_rect: None,
        ..field(&first, &full_doc, FieldKind::Text, None)
    });
    EnvelopeChange {
        events: events(&e, None, 3),
        envelope: Some(e),
        expected_version: None,
        documents: vec![full_doc, minimal_doc],
        signers: vec![second, first],
        fields,
        jobs: vec![],
        ..Default::default()
    }
}

/// The record of an envelope that must exist.
pub async fn load(
    store: &dyn Store,
    t: &Tenant,
    id: EnvelopeId,
) -> signet_core::model::EnvelopeRecord {
    store
        .load_envelope(t.account.id, id)
        .await
        .unwrap()
        .expect("the envelope exists")
}
