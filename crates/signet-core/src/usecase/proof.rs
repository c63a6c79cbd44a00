//! The proof document (certificate of completion): what happened to an envelope, who did what,
//! when, from where, with the document hashes before and after and the full audit trail.

use std::collections::HashMap;

use signet_pdf::{Block, Report};
use time::OffsetDateTime;

use crate::id::SignerId;
use crate::model::{
    Actor, AdoptedSignature, AuditEvent, EnvelopeRecord, EventKind, Invitation, Signer,
    SignerStatus,
};
use crate::time::rfc3339;

/// How Signet labels its signatures. It never claims a higher level than it produces (no
/// qualified certificate or device is involved), so the word for that level never appears.
pub fn signature_level(seal: &SealDescription) -> String {
    format!(
        "Simple electronic signatures by the signers, sealed with the advanced electronic seal \
         of this Signet instance (PAdES baseline {}; time-stamps: {}).",
        seal.level.as_str(),
        seal.timestamps
    )
}

/// What the seal of an envelope is: its PAdES level and where its time-stamps come from.
#[derive(Clone, Debug)]
pub struct SealDescription {
    /// The PAdES baseline level.
    pub level: signet_pdf::PadesLevel,
    /// "none", "the instance's built-in TSA" or the remote TSA's URL.
    pub timestamps: String,
}

/// Builds the proof report for a record whose documents are already sealed.
pub(crate) fn build(
    record: &EnvelopeRecord,
    events: &[AuditEvent],
    account_name: &str,
    sealed_at: OffsetDateTime,
    images: &HashMap<SignerId, Vec<u8>>,
    seal: &SealDescription,
) -> Report {
    let envelope = &record.envelope;
    let mut blocks = vec![
        Block::KeyValues(vec![
            ("Envelope ID".into(), envelope.id.to_string()),
            ("Title".into(), envelope.title.clone()),
            (
                "External key".into(),
                envelope.external_key.clone().unwrap_or_else(|| "-".into()),
            ),
            ("Sender".into(), account_name.to_string()),
            ("Signing order".into(), envelope.signing_order.to_string()),
            ("Created".into(), rfc3339(envelope.created_at)),
            ("Sent".into(), opt_time(envelope.sent_at)),
            ("Completed".into(), rfc3339(sealed_at)),
        ]),
        Block::Heading("Signature level".into()),
        Block::Paragraph(signature_level(seal)),
        Block::Heading("Documents".into()),
    ];
    blocks.extend(document_blocks(record));
    for signer in &record.signers {
        blocks.extend(signer_blocks(signer, images));
        blocks.extend(statement_block(record, events, signer));
    }
    blocks.push(Block::Heading("Audit trail".into()));
    blocks.push(events_table(record, events));
    let report = AuditEvent::verify_chain(events);
    blocks.push(Block::KeyValues(vec![
        ("Events".into(), report.events.to_string()),
        (
            "Chain".into(),
            if report.ok {
                "intact: every event's SHA-256 links to the previous one".into()
            } else {
                format!(
                    "BROKEN at event {}",
                    report.first_bad_seq.unwrap_or_default()
                )
            },
        ),
        (
            "Head hash".into(),
            events
                .last()
                .map(|e| hex::encode(e.hash))
                .unwrap_or_default(),
        ),
    ]));
    Report {
        title: "Certificate of completion".into(),
        subtitle: Some(envelope.title.clone()),
        blocks,
        footer: Some(format!(
            "Signet - envelope {} - sealed {}",
            envelope.id,
            rfc3339(sealed_at)
        )),
    }
}

fn document_blocks(record: &EnvelopeRecord) -> Vec<Block> {
    record
        .documents
        .iter()
        .map(|d| {
            let mut rows = vec![
                ("Document".into(), d.filename.clone()),
                ("Document ID".into(), d.id.to_string()),
                ("Pages".into(), d.pages.len().to_string()),
            ];
            if let Some(source) = &d.source {
                rows.push(("Uploaded as".into(), source.media_type.clone()));
                rows.push(("SHA-256 upload".into(), hex::encode(source.file.sha256)));
            }
            rows.extend([
                ("SHA-256 original".into(), hex::encode(d.original.sha256)),
                (
                    "SHA-256 signed".into(),
                    d.signed
                        .as_ref()
                        .map(|s| hex::encode(s.sha256))
                        .unwrap_or_default(),
                ),
            ]);
            Block::KeyValues(rows)
        })
        .collect()
}

fn signer_blocks(signer: &Signer, images: &HashMap<SignerId, Vec<u8>>) -> Vec<Block> {
    let evidence = signer
        .evidence
        .clone()
        .unwrap_or(crate::model::SigningEvidence {
            ip: None,
            user_agent: None,
            consent_version: None,
            consent_sha256: None,
        });
    let outcome = match signer.status {
        SignerStatus::Signed => format!("signed at {}", opt_time(signer.signed_at)),
        SignerStatus::Declined => format!("declined at {}", opt_time(signer.declined_at)),
        SignerStatus::Pending => "did not act (cc)".into(),
    };
    let auth = match signer.invitation {
        Invitation::Email => "possession of the signing link e-mailed to this address",
        Invitation::Link => "possession of the signing link delivered by the sender",
    };
    let consent = match (&evidence.consent_version, &evidence.consent_sha256) {
        (Some(v), Some(h)) => format!("given (disclosure {v}, SHA-256 {h})"),
        _ => "-".into(),
    };
    let signature = match &signer.signature {
        Some(AdoptedSignature::Typed { text, font }) => {
            format!("typed: {text} (in {})", font.family())
        }
        Some(AdoptedSignature::Drawn { sha256, .. }) => format!("drawn image, SHA-256 {sha256}"),
        None => "-".into(),
    };
    let mut blocks = vec![
        Block::Heading(format!("{} <{}>", signer.name, signer.email)),
        Block::KeyValues(vec![
            ("Signer ID".into(), signer.id.to_string()),
            ("Role".into(), signer.role.to_string()),
            ("Order".into(), signer.order.to_string()),
            ("Authentication".into(), auth.into()),
            ("Viewed".into(), opt_time(signer.viewed_at)),
            ("Outcome".into(), outcome),
            (
                "IP address".into(),
                evidence.ip.unwrap_or_else(|| "-".into()),
            ),
            (
                "User agent".into(),
                evidence.user_agent.unwrap_or_else(|| "-".into()),
            ),
            ("Consent".into(), consent),
            ("Signature".into(), signature),
        ]),
    ];
    if let Some(reason) = &signer.decline_reason {
        blocks.push(Block::KeyValues(vec![(
            "Decline reason".into(),
            reason.clone(),
        )]));
    }
    if let Some(png) = images.get(&signer.id) {
        blocks.push(Block::Image {
            png: png.clone(),
            max_width: 200.0,
            max_height: 80.0,
        });
    }
    blocks
}

/// The statements `signer` accepted, as their `signed` event recorded them: each label, the
/// document it is about and the label's SHA-256.
fn statement_block(
    record: &EnvelopeRecord,
    events: &[AuditEvent],
    signer: &Signer,
) -> Option<Block> {
    let signed = events.iter().find(|e| {
        e.kind == EventKind::Signed
            && matches!(e.actor, Actor::Signer { signer_id } if signer_id == signer.id)
    })?;
    let accepted = signed.data.get("statements")?.as_array()?;
    let rows: Vec<(String, String)> = accepted
        .iter()
        .map(|s| {
            let text = |key: &str| s.get(key).and_then(|v| v.as_str()).unwrap_or("-");
            let about = record
                .documents
                .iter()
                .find(|d| d.id.to_string() == text("document_id"))
                .map(|d| format!("\nAbout: {}", d.filename))
                .unwrap_or_default();
            let value = format!("{}{about}\nSHA-256 {}", text("label"), text("label_sha256"));
            ("Accepted statement".to_string(), value)
        })
        .collect();
    (!rows.is_empty()).then_some(Block::KeyValues(rows))
}

fn events_table(record: &EnvelopeRecord, events: &[AuditEvent]) -> Block {
    let rows = events
        .iter()
        .map(|e| {
            let mut details = serde_json::to_string(&e.data).unwrap_or_default();
            if details.chars().count() > 300 {
                details = details.chars().take(300).collect::<String>() + "...";
            }
            vec![
                e.seq.to_string(),
                rfc3339(e.at),
                e.kind.to_string(),
                actor_name(record, &e.actor),
                e.ip.clone().unwrap_or_default(),
                details,
                hex::encode(&e.hash[..8]),
            ]
        })
        .collect();
    Block::Table {
        columns: ["#", "Time (UTC)", "Event", "Actor", "IP", "Details", "Hash"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

fn actor_name(record: &EnvelopeRecord, actor: &Actor) -> String {
    match actor {
        Actor::System => "Signet".into(),
        Actor::ApiKey { user_id, .. }
        | Actor::OAuthClient { user_id, .. }
        | Actor::User { user_id } => {
            format!("sender (user {user_id})")
        }
        Actor::Signer { signer_id } => record
            .signer(*signer_id)
            .map(|s| format!("{} <{}>", s.name, s.email))
            .unwrap_or_else(|| format!("signer {signer_id}")),
    }
}

fn opt_time(at: Option<OffsetDateTime>) -> String {
    at.map(rfc3339).unwrap_or_else(|| "-".into())
}
