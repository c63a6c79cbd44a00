//! Adding recipients and placing their fields, by `{{tag}}` or by coordinates.

use serde_json::json;

use crate::CoreError;
use crate::id::{DocumentId, EnvelopeId, FieldId, SignerId};
use crate::model::{
    AuthMethod, EnvelopeRecord, EventKind, ExpectedIdentity, Field, FieldKind, Invitation,
    Language, Rect, Signer, SignerRole, SignerStatus,
};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::document::require_draft_status;
use crate::usecase::validate;

/// Where a new field goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Placement {
    /// On every occurrence of `{{tag}}` in the envelope's documents; the box's top-left is the
    /// tag's top-left, with the given or the default size for the field kind.
    Tag {
        /// The tag name, with or without braces.
        tag: String,
        /// Box width (default per kind).
        width: Option<f32>,
        /// Box height (default per kind).
        height: Option<f32>,
    },
    /// At explicit coordinates in PDF points (bottom-left origin).
    At {
        /// The document.
        document_id: DocumentId,
        /// 1-based page.
        page: u32,
        /// The box.
        rect: Rect,
    },
}

/// A field to create with a new signer.
#[derive(Clone, Debug, PartialEq)]
pub struct NewField {
    /// What it collects.
    pub kind: FieldKind,
    /// Where it goes.
    pub placement: Placement,
    /// Whether it must be filled (default: true for signature/initials, false otherwise).
    pub required: Option<bool>,
}

/// What `add_signer` asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct NewSigner {
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Role (default signer).
    pub role: Option<SignerRole>,
    /// Position in a sequential order (default: after the others).
    pub order: Option<i32>,
    /// Language (default: the account's default language).
    pub language: Option<Language>,
    /// E-mail (default) or link.
    pub invitation: Option<Invitation>,
    /// Where the browser goes afterwards.
    pub redirect_url: Option<String>,
    /// A message for this recipient's invitation (allow-listed HTML), instead of the envelope's.
    pub message: Option<String>,
    /// Fields to fill.
    pub fields: Vec<NewField>,
    /// What the signer proves besides holding the link (default `none`).
    pub auth_method: Option<AuthMethod>,
    /// Mobile number (E.164), required for `sms`.
    pub phone: Option<String>,
    /// The configured identity provider, required for `oidc` (and only allowed with it).
    pub identity_provider: Option<String>,
    /// Who the provider must confirm the signer is (only with `oidc`).
    pub expected_identity: Option<ExpectedIdentity>,
}

const MAX_FIELDS: usize = 200;
/// The longest per-recipient message, in characters (as the envelope's).
const MAX_MESSAGE: usize = 10_000;

impl Signet {
    /// Adds a recipient with its fields to a draft envelope.
    pub async fn add_signer(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        new: NewSigner,
        client: &ClientInfo,
    ) -> Result<(Signer, Vec<Field>), CoreError> {
        retrying(|| self.add_signer_once(who, envelope_id, &new, client)).await
    }

    async fn add_signer_once(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        new: &NewSigner,
        client: &ClientInfo,
    ) -> Result<(Signer, Vec<Field>), CoreError> {
        let record = self.load_visible(who, envelope_id).await?;
        require_draft_status(record.envelope.status)?;
        if record.signers.len() >= self.config().max_signers {
            return Err(CoreError::invalid(
                "too_many_signers",
                format!(
                    "an envelope holds at most {} recipients",
                    self.config().max_signers
                ),
            ));
        }
        let language = self.account_language(who.account_id).await?;
        if new.auth_method == Some(AuthMethod::Sms) && self.deps.sms.is_none() {
            return Err(CoreError::invalid(
                "sms_unavailable",
                "this instance has no SMS gateway configured (SIGNET_SMS_URL); use email_otp",
            ));
        }
        if let (Some(AuthMethod::Oidc), Some(name)) = (new.auth_method, &new.identity_provider) {
            self.require_identity_provider(name)?;
        }
        let mut change = Mutation::of(record, self.now());
        let signer = build_signer(&change.record, new, language, change.now)?;
        let fields = place_fields(&change.record, signer.id, signer.role, &new.fields)?;
        let mut data = json!({
            "signer_id": signer.id,
            "name": signer.name,
            "email": signer.email,
            "role": signer.role.as_str(),
            "order": signer.order,
            "invitation": signer.invitation.as_str(),
            "fields": fields.len(),
            "auth_method": signer.auth_method.as_str(),
        });
        if let Some(provider) = &signer.identity_provider {
            data["identity_provider"] = json!(provider);
        }
        change.event(EventKind::SignerAdded, who.actor(), client, data);
        change.put_signer(signer.clone());
        for field in &fields {
            change.put_field(field.clone());
        }
        self.commit(change).await?;
        Ok((signer, fields))
    }
}

pub(crate) fn build_signer(
    record: &EnvelopeRecord,
    new: &NewSigner,
    default_language: Language,
    now: time::OffsetDateTime,
) -> Result<Signer, CoreError> {
    let role = new.role.unwrap_or(SignerRole::Signer);
    let default_order = record
        .signers
        .iter()
        .filter(|s| s.role.acts())
        .map(|s| s.order)
        .max()
        .unwrap_or(0)
        + 1;
    let order = new.order.unwrap_or(default_order);
    let (auth_method, phone, identity_provider) = signer_auth(new)?;
    if !(0..=1000).contains(&order) {
        return Err(CoreError::invalid(
            "invalid_field",
            "order must be between 0 and 1000",
        ));
    }
    Ok(Signer {
        id: SignerId::generate(),
        envelope_id: record.envelope.id,
        name: validate::text("name", &new.name, 1, 200)?,
        email: validate::email("email", &new.email)?,
        role,
        order,
        language: new.language.unwrap_or(default_language),
        invitation: new.invitation.unwrap_or(Invitation::Email),
        redirect_url: new
            .redirect_url
            .as_deref()
            .map(|u| validate::redirect_url("redirect_url", u))
            .transpose()?,
        message: validate::optional_text("message", new.message.as_deref(), MAX_MESSAGE)?,
        status: SignerStatus::Pending,
        token_hash: None,
        token_generation: 0,
        signature: None,
        evidence: None,
        decline_reason: None,
        viewed_at: None,
        signed_at: None,
        declined_at: None,
        created_at: now,
        auth_method,
        phone,
        identity_provider,
        expected_identity: expected_identity(new, auth_method)?,
    })
}

/// The validated identity an `oidc` signer's provider must confirm; refused with any other
/// method (422 `expected_identity_unexpected`) or when it names nothing usable
/// (422 `invalid_expected_identity`).
fn expected_identity(
    new: &NewSigner,
    auth_method: AuthMethod,
) -> Result<Option<ExpectedIdentity>, CoreError> {
    let Some(expected) = new.expected_identity.clone() else {
        return Ok(None);
    };
    if auth_method != AuthMethod::Oidc {
        return Err(CoreError::invalid(
            "expected_identity_unexpected",
            "expected_identity is only for auth_method oidc",
        ));
    }
    expected.validated().map(Some).map_err(|why| {
        CoreError::invalid(
            "invalid_expected_identity",
            format!("expected_identity: {why}"),
        )
    })
}

/// The authentication method, phone and identity provider of a new signer: a phone must be
/// E.164, `sms` needs one, and `oidc` needs an identity provider (which nothing else takes).
fn signer_auth(new: &NewSigner) -> Result<(AuthMethod, Option<String>, Option<String>), CoreError> {
    let auth_method = new.auth_method.unwrap_or_default();
    let phone = new
        .phone
        .as_deref()
        .map(|p| crate::otp::e164("phone", p))
        .transpose()?;
    if auth_method == AuthMethod::Sms && phone.is_none() {
        return Err(CoreError::invalid(
            "phone_required",
            "auth_method sms needs the signer's mobile number in phone (E.164, like +31612345678)",
        ));
    }
    let provider = new.identity_provider.as_deref().map(str::trim);
    let identity_provider = match (auth_method, provider) {
        (AuthMethod::Oidc, Some(name)) if !name.is_empty() => Some(name.to_owned()),
        (AuthMethod::Oidc, _) => {
            return Err(CoreError::invalid(
                "identity_provider_required",
                "auth_method oidc needs identity_provider: the name of a configured provider",
            ));
        }
        (_, Some(_)) => {
            return Err(CoreError::invalid(
                "identity_provider_unexpected",
                "identity_provider is only for auth_method oidc",
            ));
        }
        (_, None) => None,
    };
    Ok((auth_method, phone, identity_provider))
}

pub(crate) fn place_fields(
    record: &EnvelopeRecord,
    signer: SignerId,
    role: SignerRole,
    wanted: &[NewField],
) -> Result<Vec<Field>, CoreError> {
    if !role.acts() && !wanted.is_empty() {
        return Err(CoreError::invalid(
            "cc_with_fields",
            "a cc or dc recipient does not fill fields",
        ));
    }
    let mut fields = Vec::new();
    for new in wanted {
        if role == SignerRole::Approver
            && matches!(new.kind, FieldKind::Signature | FieldKind::Initials)
        {
            return Err(CoreError::invalid(
                "approver_signature_field",
                "an approver approves without signature or initials fields",
            ));
        }
        let required = new.required.unwrap_or(matches!(
            new.kind,
            FieldKind::Signature | FieldKind::Initials
        ));
        for (document_id, page, rect, tag) in locate(record, new)? {
            fields.push(Field {
                id: FieldId::generate(),
                signer_id: signer,
                document_id,
                kind: new.kind,
                required,
                page,
                rect,
                tag: tag.as_ref().map(|t| t.name.clone()),
                tag_rect: tag.map(|t| t.rect),
                value: None,
            });
        }
    }
    if fields.len() > MAX_FIELDS {
        return Err(CoreError::invalid(
            "too_many_fields",
            format!("a recipient has at most {MAX_FIELDS} fields"),
        ));
    }
    Ok(fields)
}

type Located = (DocumentId, u32, Rect, Option<crate::model::Tag>);

fn locate(record: &EnvelopeRecord, new: &NewField) -> Result<Vec<Located>, CoreError> {
    match &new.placement {
        Placement::Tag { tag, width, height } => {
            let name = tag
                .trim()
                .trim_start_matches("{{")
                .trim_end_matches("}}")
                .trim();
            let (default_w, default_h) = default_size(new.kind);
            let hits: Vec<Located> = record
                .documents
                .iter()
                .flat_map(|doc| {
                    doc.tags
                        .iter()
                        .filter(|t| t.name == name)
                        .map(move |t| (doc, t))
                })
                .map(|(doc, t)| {
                    // Line-like fields sit on the tag's line; boxes for signatures hang below it.
                    let line = matches!(
                        new.kind,
                        FieldKind::Text | FieldKind::Date | FieldKind::Checkbox
                    );
                    let h = height.unwrap_or(if line {
                        t.rect.height.max(8.0)
                    } else {
                        default_h
                    });
                    let w = width.unwrap_or(if new.kind == FieldKind::Checkbox {
                        h
                    } else {
                        default_w.max(t.rect.width)
                    });
                    let top = t.rect.y + t.rect.height;
                    (
                        doc.id,
                        t.page,
                        Rect {
                            x: t.rect.x,
                            y: top - h,
                            width: w,
                            height: h,
                        },
                        Some(t.clone()),
                    )
                })
                .collect();
            if name.is_empty() || hits.is_empty() {
                return Err(CoreError::invalid(
                    "unknown_tag",
                    format!(
                        "the tag {{{{{name}}}}} does not occur in any document of this envelope"
                    ),
                ));
            }
            Ok(hits)
        }
        Placement::At {
            document_id,
            page,
            rect,
        } => {
            let doc = record
                .documents
                .iter()
                .find(|d| d.id == *document_id)
                .ok_or_else(|| {
                    CoreError::invalid(
                        "unknown_document",
                        format!("document {document_id} is not part of this envelope"),
                    )
                })?;
            let size = (*page >= 1)
                .then(|| doc.pages.get(*page as usize - 1))
                .flatten()
                .ok_or_else(|| {
                    CoreError::invalid(
                        "invalid_page",
                        format!(
                            "page {page} does not exist; the document has {} pages",
                            doc.pages.len()
                        ),
                    )
                })?;
            check_inside(rect, size.width, size.height)?;
            Ok(vec![(doc.id, *page, *rect, None)])
        }
    }
}

fn check_inside(rect: &Rect, width: f32, height: f32) -> Result<(), CoreError> {
    const SLACK: f32 = 0.5;
    let finite = [rect.x, rect.y, rect.width, rect.height]
        .iter()
        .all(|v| v.is_finite());
    let inside = finite
        && rect.width > 0.0
        && rect.height > 0.0
        && rect.x >= -SLACK
        && rect.y >= -SLACK
        && rect.x + rect.width <= width + SLACK
        && rect.y + rect.height <= height + SLACK;
    if !inside {
        return Err(CoreError::invalid(
            "field_outside_page",
            format!(
                "the field box must have a positive size and lie within the page ({width} x {height} points)"
            ),
        ));
    }
    Ok(())
}

/// Default box size in points for fields placed by tag.
fn default_size(kind: FieldKind) -> (f32, f32) {
    match kind {
        FieldKind::Signature => (150.0, 50.0),
        FieldKind::Initials => (60.0, 30.0),
        FieldKind::Date => (100.0, 16.0),
        FieldKind::Text => (150.0, 16.0),
        FieldKind::Checkbox => (14.0, 14.0),
    }
}
