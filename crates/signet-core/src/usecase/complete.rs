//! Completing a signature: consent, the adopted signature, field values, and — when the last
//! signer is done — scheduling the seal.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::CoreError;
use crate::consent;
use crate::model::{
    Actor, AdoptedSignature, EnvelopeStatus, EventKind, Field, FieldKind, FieldValue, JobPayload,
    Signer, SignerRole, SignerStatus, SigningEvidence,
};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::service::Signet;
use crate::usecase::send::invite_signers_up_now;
use crate::usecase::signing::{SigningOutcome, outcome, require_actionable};
use crate::usecase::statement;

/// A signature as the signer gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureInput {
    /// A typed name.
    Typed {
        /// The text.
        text: String,
        /// The script face to draw it in.
        font: signet_pdf::ScriptFont,
    },
    /// A drawn signature as PNG bytes.
    Drawn {
        /// The PNG.
        png: Vec<u8>,
    },
}

/// What `complete_signing` asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompleteSigning {
    /// Explicit consent to sign electronically (must be true).
    pub consent: bool,
    /// The adopted signature (required for signers, ignored for approvers).
    pub signature: Option<SignatureInput>,
    /// Values for text and checkbox fields, by field id.
    pub fields: BTreeMap<String, Value>,
    /// The ids of the envelope's statements the signer ticked: all of them, or nothing is
    /// signed (422 `statements_not_accepted`).
    pub accepted_statements: Vec<String>,
}

const MAX_PNG_BYTES: usize = 1024 * 1024;
const MAX_PNG_SIDE: u32 = 4096;

impl Signet {
    /// Signs (or approves) for the token's signer.
    pub async fn complete_signing(
        &self,
        token: &str,
        session: Option<&str>,
        input: CompleteSigning,
        client: &ClientInfo,
    ) -> Result<SigningOutcome, CoreError> {
        if !input.consent {
            return Err(CoreError::invalid(
                "consent_required",
                "consent must be true: the signer has to agree to sign electronically",
            ));
        }
        let stored_png = match &input.signature {
            Some(SignatureInput::Drawn { png }) => {
                check_png(png)?;
                let (record, signer_id) = self.resolve_token(token).await?;
                let signer = record
                    .signer(signer_id)
                    .ok_or(CoreError::NotFound("signing link"))?;
                require_actionable(&record, signer)?;
                self.require_authenticated(signer, session).await?;
                Some(self.store_png(&record, png).await?)
            }
            _ => None,
        };
        let result =
            retrying(|| self.complete_once(token, session, &input, client, stored_png.as_ref()))
                .await;
        if result.is_err()
            && let Some((key, _)) = stored_png
        {
            self.delete_blobs(vec![key]).await;
        }
        result
    }

    async fn complete_once(
        &self,
        token: &str,
        session: Option<&str>,
        input: &CompleteSigning,
        client: &ClientInfo,
        stored_png: Option<&(String, String)>,
    ) -> Result<SigningOutcome, CoreError> {
        let (record, signer_id) = self.resolve_token(token).await?;
        let mut signer = record
            .signer(signer_id)
            .cloned()
            .ok_or(CoreError::NotFound("signing link"))?;
        require_actionable(&record, &signer)?;
        self.require_authenticated(&signer, session).await?;
        let statements =
            statement::acceptance(&record.envelope.statements, &input.accepted_statements)?;
        let signature = match (&input.signature, signer.role) {
            (_, SignerRole::Approver | SignerRole::Cc | SignerRole::Dc) => None,
            (None, SignerRole::Signer) => {
                return Err(CoreError::invalid(
                    "signature_required",
                    "signature is required: a typed name or a drawn image",
                ));
            }
            (Some(SignatureInput::Typed { text, font }), _) => Some(AdoptedSignature::Typed {
                text: crate::usecase::validate::text("signature.text", text, 1, 100)?,
                font: *font,
            }),
            (Some(SignatureInput::Drawn { .. }), _) => {
                let (blob_key, sha256) = stored_png
                    .cloned()
                    .ok_or_else(|| CoreError::Internal("drawn signature was not stored".into()))?;
                Some(AdoptedSignature::Drawn { blob_key, sha256 })
            }
        };
        let mut change = Mutation::of(record, self.now());
        let mine: Vec<Field> = change
            .record
            .fields
            .iter()
            .filter(|f| f.signer_id == signer_id)
            .cloned()
            .collect();
        let filled = fill_fields(mine, &signer, signature.as_ref(), &input.fields, change.now)?;
        signer.status = SignerStatus::Signed;
        signer.signed_at = Some(change.now);
        signer.signature = signature.clone();
        signer.evidence = Some(SigningEvidence {
            ip: client.ip.clone(),
            user_agent: client.user_agent.clone(),
            consent_version: Some(consent::version(signer.language)),
            consent_sha256: Some(consent::sha256_hex(signer.language)),
        });
        let actor = Actor::Signer { signer_id };
        // The disclosure shown on the page is the one in the signer's language.
        let language = signer.language;
        change.event(
            EventKind::ConsentGiven,
            actor.clone(),
            client,
            json!({
                "signer_id": signer_id, "disclosure_version": consent::version(language),
                "disclosure_sha256": consent::sha256_hex(language), "language": language.as_str(),
            }),
        );
        let documents: Vec<Value> = change
            .record
            .documents
            .iter()
            .map(|d| json!({"document_id": d.id, "sha256": hex::encode(d.original.sha256)}))
            .collect();
        let fields: Vec<Value> = filled
            .iter()
            .map(|f| json!({"field_id": f.id, "kind": f.kind.as_str(), "value": f.value}))
            .collect();
        change.event(EventKind::Signed, actor, client, json!({
            "signer_id": signer_id, "role": signer.role.as_str(), "signature": signature, "fields": fields, "documents": documents,
            "auth_method": signer.auth_method.as_str(), "statements": statements,
        }));
        change.put_signer(signer.clone());
        for field in filled {
            change.put_field(field);
        }
        advance(&mut change);
        if change.record.envelope.status == EnvelopeStatus::InProgress {
            // Sign the documents on this signer's behalf now (the seal does it for the last).
            let (account_id, envelope_id) =
                (change.record.envelope.account_id, change.record.envelope.id);
            change.job(
                JobPayload::AddSignatures {
                    account_id,
                    envelope_id,
                },
                None,
                Some(format!("signatures:{envelope_id}:{signer_id}")),
            );
        }
        let record = self.commit(change).await?;
        Ok(outcome(self, &record, &signer, "success").await)
    }

    async fn store_png(
        &self,
        record: &crate::model::EnvelopeRecord,
        png: &[u8],
    ) -> Result<(String, String), CoreError> {
        let key = format!(
            "{}/{}/{}.png",
            record.envelope.account_id,
            record.envelope.id,
            uuid::Uuid::now_v7()
        );
        let sha = hex::encode(crate::secret::sha256(png));
        let blobs = self.blobs();
        let (bytes, blob_key) = (png.to_vec(), key.clone());
        tokio::task::spawn_blocking(move || -> Result<(), CoreError> {
            use std::io::Write;
            let mut staged = blobs.stage()?;
            staged
                .write_all(&bytes)
                .map_err(|err| CoreError::Storage(err.to_string()))?;
            Ok(staged.commit(&blob_key)?)
        })
        .await
        .map_err(|err| CoreError::Internal(err.to_string()))??;
        Ok((key, sha))
    }
}

/// After a signature: seal when everyone is done, else invite whoever is up next.
fn advance(change: &mut Mutation) {
    if change.record.all_signed() {
        change.record.envelope.status = EnvelopeStatus::Sealing;
        let (account_id, envelope_id) =
            (change.record.envelope.account_id, change.record.envelope.id);
        change.event(
            EventKind::SealingScheduled,
            Actor::System,
            &ClientInfo::none(),
            json!({}),
        );
        // The completion callback is scheduled by the seal job, once the signed PDF exists.
        change.job(
            JobPayload::SealEnvelope {
                account_id,
                envelope_id,
            },
            None,
            Some(format!("seal:{envelope_id}")),
        );
    } else {
        invite_signers_up_now(change);
    }
}

fn fill_fields(
    fields: Vec<Field>,
    signer: &Signer,
    signature: Option<&AdoptedSignature>,
    values: &BTreeMap<String, Value>,
    now: time::OffsetDateTime,
) -> Result<Vec<Field>, CoreError> {
    if let Some(unknown) = values
        .keys()
        .find(|id| !fields.iter().any(|f| f.id.to_string() == **id))
    {
        return Err(CoreError::invalid(
            "unknown_field",
            format!("field {unknown} does not belong to this signer"),
        ));
    }
    fields
        .into_iter()
        .map(|mut field| {
            field.value = field_value(
                &field,
                signer,
                signature,
                values.get(&field.id.to_string()),
                now,
            )?;
            Ok(field)
        })
        .collect()
}

fn field_value(
    field: &Field,
    signer: &Signer,
    signature: Option<&AdoptedSignature>,
    given: Option<&Value>,
    now: time::OffsetDateTime,
) -> Result<Option<FieldValue>, CoreError> {
    let id = field.id;
    let missing = || {
        CoreError::invalid(
            "required_field_missing",
            format!("field {id} ({}) is required", field.kind),
        )
    };
    let wrong = |what: &str| {
        CoreError::invalid(
            "invalid_field_value",
            format!("field {id} ({}) takes {what}", field.kind),
        )
    };
    Ok(match field.kind {
        FieldKind::Signature => Some(
            signature
                .map(|_| FieldValue::Signature)
                .ok_or_else(missing)?,
        ),
        FieldKind::Initials => {
            let text = match signature.ok_or_else(missing)? {
                AdoptedSignature::Typed { text, .. } => Some(initials(text)),
                AdoptedSignature::Drawn { .. } => None,
            };
            Some(FieldValue::Initials { text })
        }
        FieldKind::Date => Some(FieldValue::Date {
            text: crate::locale::long_date(now, signer.language),
        }),
        FieldKind::Text => match given {
            None | Some(Value::Null) if field.required => return Err(missing()),
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text.trim().is_empty() && field.required => {
                return Err(missing());
            }
            Some(Value::String(text)) if text.chars().count() > 1000 => {
                return Err(wrong("at most 1000 characters"));
            }
            Some(Value::String(text)) => Some(FieldValue::Text {
                text: text.trim().to_string(),
            }),
            Some(_) => return Err(wrong("a string")),
        },
        FieldKind::Checkbox => match given {
            Some(Value::Bool(checked)) if field.required && !checked => return Err(missing()),
            Some(Value::Bool(checked)) => Some(FieldValue::Checkbox { checked: *checked }),
            None | Some(Value::Null) if field.required => return Err(missing()),
            None | Some(Value::Null) => Some(FieldValue::Checkbox { checked: false }),
            Some(_) => return Err(wrong("true or false")),
        },
    })
}

/// "Jane van der Berg" → "JVB": the first letter of each word, at most four.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .take(4)
        .collect()
}

/// A PNG within size limits, checked from its header before anything decodes it.
fn check_png(png: &[u8]) -> Result<(), CoreError> {
    let bad = |why: &str| {
        CoreError::invalid(
            "invalid_signature_image",
            format!("signature.png_base64 {why}"),
        )
    };
    if png.len() > MAX_PNG_BYTES {
        return Err(bad("is larger than 1 MiB"));
    }
    if png.len() < 24 || &png[..8] != b"\x89PNG\r\n\x1a\n" || &png[12..16] != b"IHDR" {
        return Err(bad("is not a PNG image"));
    }
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    if width == 0 || height == 0 || width > MAX_PNG_SIDE || height > MAX_PNG_SIDE {
        return Err(bad("must be at most 4096 x 4096 pixels"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_letter_of_each_word() {
        assert_eq!(initials("Jane van der Berg"), "JVDB");
        assert_eq!(initials("élodie martin"), "ÉM");
        assert_eq!(initials(" x "), "X");
    }

    #[test]
    fn png_headers_are_checked_before_decoding() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&30000u32.to_be_bytes());
        png.extend_from_slice(&10u32.to_be_bytes());
        assert!(check_png(&png).is_err(), "pixel flood");
        png[16..20].copy_from_slice(&100u32.to_be_bytes());
        assert!(check_png(&png).is_ok());
        assert!(check_png(b"GIF89a....................").is_err());
    }
}
