//! The revisions a sealed document is built from: one approval signature per signer and
//! approver, in the order they signed (added when they sign, or by the seal if that has not
//! happened yet), each revision showing that person's field values and naming them and their
//! audit-trail entry in its signature dictionary; then the final seal, an approval signature
//! whose field locks the document (DocMDP P=1 from then on).
//!
//! Every field is a read-only form field created, empty, in the first revision (with the
//! white covers over the tags, the only page-content change, made before any signature), so
//! a later signer's revision only fills fields: form filling, which every earlier signature
//! permits, so each revision keeps validating.

use std::collections::HashMap;

use crate::id::SignerId;
use crate::model::{
    Actor, AdoptedSignature, AuditEvent, Document, EnvelopeRecord, EventKind, Field, FieldKind,
    FieldValue, Rect, Signer, SignerRole,
};

/// One incremental update with its signature.
pub(crate) struct RevisionPlan {
    /// Whose approval signature it is (None: the final seal).
    pub signer: Option<SignerId>,
    /// Page content (white covers over the tags), first revision only.
    pub stamps: Vec<signet_pdf::Stamp>,
    /// Form fields created or filled.
    pub fields: Vec<signet_pdf::FormField>,
    /// The signature dictionary's claims.
    pub options: signet_pdf::SealOptions,
    /// Approval for a signer, a locking approval for the final seal.
    pub kind: signet_pdf::SignatureKind,
    /// The final seal (at the account's PAdES level; a signer's revision at most at B-T).
    pub is_final: bool,
}

/// What planning needs besides the record.
pub(crate) struct PlanInput<'a> {
    pub record: &'a EnvelopeRecord,
    pub document: &'a Document,
    pub events: &'a [AuditEvent],
    pub images: &'a HashMap<SignerId, Vec<u8>>,
    pub now: time::OffsetDateTime,
}

/// The approval signatures `document` still lacks, in signing order: of everyone who has
/// signed and is not in its signed revision yet.
pub(crate) fn signer_revisions(input: &PlanInput<'_>) -> Vec<RevisionPlan> {
    let fields = fields_of(input);
    let applied: &[SignerId] = input
        .document
        .revision
        .as_ref()
        .map_or(&[], |r| r.signers.as_slice());
    let mut plans: Vec<RevisionPlan> = signers_in_order(input.record)
        .into_iter()
        .filter(|s| !applied.contains(&s.id))
        .map(|signer| signer_revision(input, signer, &fields))
        .collect();
    if input.document.revision.is_none()
        && let Some(first) = plans.first_mut()
    {
        prepare_form(first, &fields);
    }
    plans
}

/// What sealing `document` adds: the missing approval signatures, then the final seal.
pub(crate) fn plan(input: &PlanInput<'_>) -> Vec<RevisionPlan> {
    let mut plans = signer_revisions(input);
    let mut seal = final_seal(input.now);
    if plans.is_empty() && input.document.revision.is_none() {
        prepare_form(&mut seal, &fields_of(input));
    }
    plans.push(seal);
    plans
}

fn fields_of<'a>(input: &PlanInput<'a>) -> Vec<&'a Field> {
    input
        .record
        .fields
        .iter()
        .filter(|f| f.document_id == input.document.id)
        .collect()
}

/// The first revision over the original: white covers over the tags (the only page-content
/// change, made before any signature) and every field as a read-only form field, empty unless
/// this revision fills it.
fn prepare_form(first: &mut RevisionPlan, fields: &[&Field]) {
    first.stamps = covers(fields);
    let filled: Vec<String> = first.fields.iter().map(|f| f.name.clone()).collect();
    first.fields.extend(
        fields
            .iter()
            .filter(|f| !filled.contains(&field_name(f)))
            .map(|f| form_field(f, None)),
    );
}

/// Signers and approvers who signed, in the order they did.
fn signers_in_order(record: &EnvelopeRecord) -> Vec<&Signer> {
    let mut done: Vec<&Signer> = record
        .signers
        .iter()
        .filter(|s| matches!(s.role, SignerRole::Signer | SignerRole::Approver))
        .filter(|s| s.signed_at.is_some())
        .collect();
    done.sort_by_key(|s| (s.signed_at, s.id));
    done
}

fn signer_revision(input: &PlanInput<'_>, signer: &Signer, fields: &[&Field]) -> RevisionPlan {
    let values = fields
        .iter()
        .filter(|f| f.signer_id == signer.id)
        .filter_map(|f| Some(form_field(f, Some(field_content(input, f, signer)?))))
        .collect();
    let verb = match signer.role {
        SignerRole::Approver => "Approved",
        _ => "Signed",
    };
    let evidence = input
        .events
        .iter()
        .find(|e| {
            e.kind == EventKind::Signed
                && e.actor
                    == Actor::Signer {
                        signer_id: signer.id,
                    }
        })
        .map(|e| format!("audit event #{} (SHA-256 {})", e.seq, hex::encode(e.hash)))
        .unwrap_or_else(|| "the audit trail".into());
    RevisionPlan {
        signer: Some(signer.id),
        stamps: Vec::new(),
        fields: values,
        options: signet_pdf::SealOptions {
            signing_time: signer.signed_at.unwrap_or(input.now),
            signer_name: signer.name.clone(),
            reason: Some(format!(
                "{verb} by {} <{}> in Signet envelope {} as signer {}; evidence: {evidence}",
                signer.name, signer.email, input.record.envelope.id, signer.id
            )),
            location: None,
            contact_info: Some(signer.email.clone()),
            certify: false,
        },
        kind: signet_pdf::SignatureKind::Approval,
        is_final: false,
    }
}

fn final_seal(now: time::OffsetDateTime) -> RevisionPlan {
    RevisionPlan {
        signer: None,
        stamps: Vec::new(),
        fields: Vec::new(),
        options: signet_pdf::SealOptions {
            signing_time: now,
            signer_name: "Signet seal".into(),
            reason: Some(
                "Sealed on completion of all signatures; no further changes are permitted; see the proof document for the evidence"
                    .into(),
            ),
            location: None,
            contact_info: None,
            certify: false,
        },
        kind: signet_pdf::SignatureKind::Lock { p: 1 },
        is_final: true,
    }
}

fn pdf_rect(r: Rect) -> signet_pdf::Rect {
    signet_pdf::Rect {
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
    }
}

fn field_name(field: &Field) -> String {
    format!("signet-field-{}", field.id)
}

fn form_field(field: &Field, value: Option<signet_pdf::StampContent>) -> signet_pdf::FormField {
    signet_pdf::FormField {
        name: field_name(field),
        page: field.page,
        rect: pdf_rect(field.rect),
        value,
    }
}

/// White covers over the tags; glyphs such as braces reach a little beyond the text box, so
/// with a margin.
fn covers(fields: &[&Field]) -> Vec<signet_pdf::Stamp> {
    fields
        .iter()
        .filter_map(|f| {
            let r = f.tag_rect?;
            let pad = r.height * 0.25;
            Some(signet_pdf::Stamp {
                page: f.page,
                rect: pdf_rect(Rect {
                    x: r.x - 1.0,
                    y: r.y - pad,
                    width: r.width + 2.0,
                    height: r.height + 2.0 * pad,
                }),
                content: signet_pdf::StampContent::Cover,
            })
        })
        .collect()
}

/// What a filled field shows.
fn field_content(
    input: &PlanInput<'_>,
    field: &Field,
    signer: &Signer,
) -> Option<signet_pdf::StampContent> {
    use signet_pdf::StampContent;
    let drawn = || {
        input
            .images
            .get(&signer.id)
            .cloned()
            .map(StampContent::Image)
    };
    Some(
        match (field.kind, field.value.as_ref()?, signer.signature.as_ref()) {
            (
                FieldKind::Signature,
                FieldValue::Signature,
                Some(AdoptedSignature::Typed { text, font }),
            ) => StampContent::Script {
                text: text.clone(),
                font: *font,
            },
            (FieldKind::Signature, FieldValue::Signature, Some(AdoptedSignature::Drawn { .. })) => {
                drawn()?
            }
            (FieldKind::Initials, FieldValue::Initials { text: Some(text) }, adopted) => {
                let font = match adopted {
                    Some(AdoptedSignature::Typed { font, .. }) => *font,
                    _ => signet_pdf::ScriptFont::default(),
                };
                StampContent::Script {
                    text: text.clone(),
                    font,
                }
            }
            (FieldKind::Initials, FieldValue::Initials { text: None }, _) => drawn()?,
            (FieldKind::Date, FieldValue::Date { text }, _)
            | (FieldKind::Text, FieldValue::Text { text }, _) => StampContent::Text(text.clone()),
            (FieldKind::Checkbox, FieldValue::Checkbox { checked }, _) => {
                StampContent::Checkbox(*checked)
            }
            _ => return None,
        },
    )
}
