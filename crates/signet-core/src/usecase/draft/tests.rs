use time::macros::datetime;

use super::*;
use crate::id::{AccountId, FieldId, UserId};
use crate::model::{
    Document, Envelope, EnvelopeStatus, Field, Invitation, PageSize, Signer, SigningOrder,
    StoredFile,
};

const AT: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);

fn envelope_id() -> EnvelopeId {
    EnvelopeId::from_uuid(uuid::Uuid::nil())
}

fn document(position: i32) -> Document {
    Document {
        id: DocumentId::generate(),
        envelope_id: envelope_id(),
        filename: format!("{position}.pdf"),
        original: StoredFile {
            blob_key: format!("blob-{position}"),
            sha256: [0; 32],
            size: 1,
        },
        pages: vec![PageSize {
            width: 595.0,
            height: 842.0,
            rotation: 0,
        }],
        tags: vec![],
        position,
        signed: None,
        source: None,
        revision: None,
        created_at: AT,
    }
}

fn signer(name: &str, order: i32) -> Signer {
    Signer {
        id: SignerId::generate(),
        envelope_id: envelope_id(),
        name: name.into(),
        email: format!("{name}@example.test"),
        role: SignerRole::Signer,
        order,
        language: Language::En,
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
        created_at: AT,
        auth_method: crate::model::AuthMethod::None,
        phone: None,
        identity_provider: None,
        expected_identity: None,
    }
}

fn field(signer: &Signer, document: &Document) -> Field {
    Field {
        id: FieldId::generate(),
        signer_id: signer.id,
        document_id: document.id,
        kind: FieldKind::Signature,
        required: true,
        page: 1,
        rect: Rect {
            x: 10.0,
            y: 10.0,
            width: 100.0,
            height: 40.0,
        },
        tag: None,
        tag_rect: None,
        value: None,
    }
}

/// A draft with documents d0, d1, signers ada (a field on d0) and bob (a field on d1).
fn draft() -> (Mutation, [DocumentId; 2], [SignerId; 2]) {
    let (d0, d1) = (document(0), document(1));
    let (ada, bob) = (signer("ada", 1), signer("bob", 2));
    let fields = vec![field(&ada, &d0), field(&bob, &d1)];
    let ids = ([d0.id, d1.id], [ada.id, bob.id]);
    let record = EnvelopeRecord {
        envelope: Envelope {
            id: envelope_id(),
            account_id: AccountId::generate(),
            created_by: UserId::generate(),
            title: "t".into(),
            message: None,
            external_key: None,
            signing_order: SigningOrder::Sequential,
            status: EnvelopeStatus::Draft,
            expires_at: None,
            callback_url: None,
            result_url: None,
            status_callbacks: false,
            statements: Vec::new(),
            extended_auth_session: false,
            proof: None,
            created_at: AT,
            updated_at: AT,
            sent_at: None,
            finished_at: None,
            deleted_at: None,
            version: 3,
        },
        documents: vec![d0, d1],
        signers: vec![ada, bob],
        fields,
        chain_head: None,
    };
    (Mutation::of(record, AT), ids.0, ids.1)
}

#[test]
fn kept_documents_are_reordered_and_the_others_go_with_their_fields() {
    let (mut change, [d0, d1], [ada, _]) = draft();
    keep_documents(&mut change, &[d1]).unwrap();
    assert_eq!(change.record.documents.len(), 1);
    assert_eq!(change.record.documents[0].id, d1);
    assert_eq!(change.record.documents[0].position, 0);
    assert!(change.record.fields.iter().all(|f| f.document_id != d0));
    assert!(change.record.fields.iter().all(|f| f.signer_id != ada));

    let (mut change, [d0, d1], _) = draft();
    keep_documents(&mut change, &[d1, d0]).unwrap();
    let order: Vec<_> = change.record.documents.iter().map(|d| d.id).collect();
    assert_eq!(order, vec![d1, d0]);
    assert_eq!(change.record.fields.len(), 2);
}

#[test]
fn unknown_or_repeated_documents_are_refused() {
    let (mut change, [d0, _], _) = draft();
    let err = keep_documents(&mut change, &[d0, d0]).unwrap_err();
    assert_eq!(err.code(), "duplicate_document");
    let err = keep_documents(&mut change, &[DocumentId::generate()]).unwrap_err();
    assert_eq!(err.code(), "unknown_document");
    assert_eq!(change.record.documents.len(), 2, "nothing changed");
}

#[test]
fn signers_are_kept_added_and_removed_in_the_listed_order() {
    let (mut change, _, [ada, bob]) = draft();
    let carol = SignerId::generate();
    let wanted = [
        DraftSigner::Add {
            id: carol,
            name: "Carol".into(),
            email: "carol@example.test".into(),
            role: SignerRole::Approver,
        },
        DraftSigner::Keep {
            id: bob,
            role: None,
        },
        DraftSigner::Add {
            id: SignerId::generate(),
            name: "HR".into(),
            email: "hr@example.test".into(),
            role: SignerRole::Cc,
        },
    ];
    set_signers(&mut change, &wanted, Some(Language::Fr)).unwrap();
    assert!(change.record.signer(ada).is_none());
    assert!(change.record.fields.iter().all(|f| f.signer_id != ada));
    let carol = change.record.signer(carol).unwrap();
    assert_eq!(
        (carol.order, carol.role, carol.language),
        (1, SignerRole::Approver, Language::Fr)
    );
    assert_eq!(change.record.signer(bob).unwrap().order, 2);
    let cc = change
        .record
        .signers
        .iter()
        .find(|s| s.role == SignerRole::Cc)
        .unwrap();
    assert_eq!(cc.order, 0);
    assert_eq!(change.record.signers.len(), 3);
}

#[test]
fn a_recipient_with_fields_keeps_its_role_and_ids_are_checked() {
    let (mut change, _, [ada, _]) = draft();
    let err = set_signers(
        &mut change,
        &[DraftSigner::Keep {
            id: ada,
            role: Some(SignerRole::Cc),
        }],
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), "role_with_fields");
    let err = set_signers(
        &mut change,
        &[DraftSigner::Keep {
            id: SignerId::generate(),
            role: None,
        }],
        None,
    )
    .unwrap_err();
    assert!(matches!(err, CoreError::NotFound("signer")));
    let err = set_signers(
        &mut change,
        &[
            DraftSigner::Keep {
                id: ada,
                role: None,
            },
            DraftSigner::Keep {
                id: ada,
                role: None,
            },
        ],
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), "duplicate_signer");
}

#[test]
fn settings_change_only_when_given() {
    let (mut change, _, _) = draft();
    let update = DraftUpdate {
        message: Some(Some("hello".into())),
        ..DraftUpdate::default()
    };
    let changed = apply_settings(&mut change, &update).unwrap();
    assert_eq!(changed, vec!["message"]);
    assert_eq!(change.record.envelope.title, "t");
    assert_eq!(change.record.envelope.message.as_deref(), Some("hello"));
    let past = DraftUpdate {
        expires_at: Some(Some(AT)),
        ..DraftUpdate::default()
    };
    assert_eq!(
        apply_settings(&mut change, &past).unwrap_err().code(),
        "invalid_field"
    );
    let blank = DraftUpdate {
        title: Some("  ".into()),
        ..DraftUpdate::default()
    };
    assert_eq!(
        apply_settings(&mut change, &blank).unwrap_err().code(),
        "invalid_field"
    );
}
