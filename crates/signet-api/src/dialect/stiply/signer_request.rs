//! The body of Stiply's create-signer request, translated into the core's [`NewSigner`] and the
//! attributes Stiply records beyond it (name as given, phone, auth_method and its objects, role
//! label, per-signer message).

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use signet_core::model::{
    AuthMethod, EnvelopeRecord, ExpectedIdentity, FieldKind, Invitation, Language, SignerRole,
};
use signet_core::usecase::signer::{NewField, NewSigner, Placement};
use time::Date;
use time::macros::format_description;

use super::error::{StiplyError, StiplyResult};
use super::json::{number, truthy};
use super::term::allowed_html;

/// The body of `POST /sign_requests/{key}/signers`.
#[derive(Deserialize)]
pub(crate) struct CreateSigner {
    signer_email: Option<String>,
    signer_name: Option<String>,
    redirect_url: Option<String>,
    #[serde(default)]
    signer_signature_fields: Vec<Map<String, Value>>,
    #[serde(default)]
    signer_text_fields: Vec<Map<String, Value>>,
    #[serde(default)]
    signer_checkbox_fields: Vec<Map<String, Value>>,
    #[serde(default)]
    signer_date_fields: Vec<Map<String, Value>>,
    #[serde(default)]
    signer_initial_fields: Vec<Map<String, Value>>,
    auth_method: Option<String>,
    cell_phone_number: Option<Value>,
    emandate: Option<Value>,
    idin: Option<Value>,
    pimid: Option<Value>,
    language: Option<String>,
    role: Option<String>,
    invitation_method: Option<String>,
    message: Option<String>,
}

/// Box sizes (points) of fields placed by coordinates, and the default of the height of fields
/// placed by tag.
fn default_size(kind: FieldKind) -> (f32, f32) {
    match kind {
        FieldKind::Signature => (150.0, 50.0),
        FieldKind::Initials => (60.0, 30.0),
        FieldKind::Date => (100.0, 16.0),
        FieldKind::Text => (150.0, 16.0),
        FieldKind::Checkbox => (14.0, 14.0),
    }
}

/// The smallest and largest width Stiply fields may be given (points).
const WIDTH: (f32, f32) = (20.0, 500.0);

fn field(
    record: &EnvelopeRecord,
    kind: FieldKind,
    spec: &Map<String, Value>,
) -> StiplyResult<NewField> {
    let what = kind.as_str();
    let width = match spec.get("width") {
        None => None,
        Some(w) => Some(
            number(w)
                .filter(|w| (WIDTH.0..=WIDTH.1).contains(w))
                .ok_or_else(|| {
                    StiplyError::wrong_parameter(format!(
                        "a {what} field's width must be a number from {} to {}",
                        WIDTH.0, WIDTH.1
                    ))
                })?,
        ),
    };
    let optional = match spec.get("optional") {
        None => false,
        Some(v) => {
            truthy(v).ok_or_else(|| StiplyError::wrong_parameter("optional must be 0 or 1"))?
        }
    };
    if optional && kind == FieldKind::Signature {
        return Err(StiplyError::wrong_parameter(
            "signature fields are always required and cannot be made optional",
        ));
    }
    let placement = if let Some(name) = spec.get("name") {
        let tag = name
            .as_str()
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| StiplyError::wrong_parameter("a field's name must be a tag name"))?;
        Placement::Tag {
            tag: tag.to_owned(),
            width,
            height: None,
        }
    } else {
        let coordinate = |name: &str| {
            spec.get(name).and_then(number).ok_or_else(|| {
                StiplyError::wrong_parameter(format!(
                    "a {what} field needs either a name (tag) or page, x and y"
                ))
            })
        };
        let (page, x, y) = (coordinate("page")?, coordinate("x")?, coordinate("y")?);
        let document = record
            .documents
            .first()
            .ok_or_else(|| StiplyError::wrong_parameter("the sign request has no document"))?;
        let page = page as u32;
        let size = (page >= 1)
            .then(|| document.pages.get(page as usize - 1))
            .flatten()
            .ok_or_else(|| {
                StiplyError::wrong_parameter(format!(
                    "page {page} does not exist; the document has {} pages",
                    document.pages.len()
                ))
            })?;
        let (w, h) = default_size(kind);
        let rect = signet_core::stiply::from_stiply(*size, (x, y), (width.unwrap_or(w), h), kind)?;
        Placement::At {
            document_id: document.id,
            page,
            rect,
        }
    };
    Ok(NewField {
        kind,
        placement,
        required: Some(!optional),
    })
}

fn fields(record: &EnvelopeRecord, body: &CreateSigner) -> StiplyResult<Vec<NewField>> {
    let groups = [
        (FieldKind::Signature, &body.signer_signature_fields),
        (FieldKind::Text, &body.signer_text_fields),
        (FieldKind::Checkbox, &body.signer_checkbox_fields),
        (FieldKind::Date, &body.signer_date_fields),
        (FieldKind::Initials, &body.signer_initial_fields),
    ];
    groups
        .into_iter()
        .flat_map(|(kind, specs)| specs.iter().map(move |s| field(record, kind, s)))
        .collect()
}

pub(crate) fn phone_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    let digits = text.trim_start_matches('+');
    (digits.len() >= 8 && digits.len() <= 15 && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(text)
}

/// The identity an `idin` object names (`prefix`, `last_name`, `date_of_birth` as
/// `DD-MM-YYYY`), which the iDIN provider's `family_name` and `birthdate` claims must confirm.
fn idin_identity(idin: &Value) -> StiplyResult<ExpectedIdentity> {
    let text = |key: &str| -> StiplyResult<Option<String>> {
        match idin.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(_) => Err(StiplyError::wrong_parameter(format!(
                "idin.{key} must be a string"
            ))),
        }
    };
    if !idin.is_object() {
        return Err(StiplyError::wrong_parameter(
            "idin must be an object with prefix, last_name and date_of_birth",
        ));
    }
    let family_name = match (text("prefix")?, text("last_name")?) {
        (_, None) => None,
        (None, Some(last)) => Some(last),
        (Some(prefix), Some(last)) => Some(format!("{prefix} {last}")),
    };
    let birthdate = text("date_of_birth")?
        .map(|d| {
            Date::parse(&d, format_description!("[day]-[month]-[year]")).map_err(|_| {
                StiplyError::wrong_parameter("idin.date_of_birth must be a date as DD-MM-YYYY")
            })
        })
        .transpose()?;
    ExpectedIdentity {
        family_name,
        birthdate,
    }
    .validated()
    .map_err(|why| StiplyError::wrong_parameter(format!("idin: {why}")))
}

/// A Stiply phone number (digits with the country code, `31612345678`) in E.164 form.
pub(crate) fn e164(phone: &str) -> String {
    format!("+{}", phone.trim_start_matches('+'))
}

/// The core signer and the Stiply attributes of a create-signer body. `auth_method` `sms`
/// becomes the core's `sms` authentication; `emandate`, `idin` and `pimid` become `oidc` at the
/// identity provider of that name, or 422 `auth_method_unsupported` when `configured` (the
/// server's providers) has none by that name.
pub(crate) fn translate(
    record: &EnvelopeRecord,
    body: &CreateSigner,
    configured: &dyn Fn(&str) -> bool,
) -> StiplyResult<(NewSigner, Value)> {
    let email = body
        .signer_email
        .clone()
        .ok_or_else(|| StiplyError::wrong_parameter("signer_email is required"))?;
    let (role, role_label) = match body.role.as_deref() {
        None => (SignerRole::Signer, None),
        Some("signer") => (SignerRole::Signer, Some("signer")),
        Some("cc") => (SignerRole::Cc, Some("cc")),
        Some("dc") => (SignerRole::Dc, Some("dc")),
        Some(other) => {
            return Err(StiplyError::wrong_parameter(format!(
                "role must be signer, cc or dc (got {other:?})"
            )));
        }
    };
    let invitation = match body.invitation_method.as_deref() {
        None => Invitation::Email,
        Some("custom") => Invitation::Link,
        Some(other) => {
            return Err(StiplyError::wrong_parameter(format!(
                "invitation_method can only be custom (got {other:?})"
            )));
        }
    };
    let language = body
        .language
        .as_deref()
        .map(|l| {
            Language::parse(l).ok_or_else(|| {
                StiplyError::wrong_parameter(
                    "language must be one of nl, de, es, en, da, pl, it, fr, sv",
                )
            })
        })
        .transpose()?;
    let auth_method = body.auth_method.as_deref();
    if auth_method.is_some_and(|m| !["sms", "emandate", "idin", "pimid"].contains(&m)) {
        return Err(StiplyError::wrong_parameter(
            "auth_method must be sms, emandate, idin or pimid",
        ));
    }
    let identity_provider = auth_method.filter(|m| *m != "sms");
    if let Some(scheme) = identity_provider.filter(|m| !configured(m)) {
        // Accepting it would let the signer sign without the check the sender asked for.
        return Err(StiplyError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "auth_method_unsupported",
            format!(
                "auth_method {scheme} needs an identity provider named {scheme}, which this \
                 server does not have configured; use sms, or no auth_method"
            ),
        ));
    }
    let phone = match (auth_method, &body.cell_phone_number) {
        (Some("sms"), Some(number)) => Some(phone_text(number).ok_or_else(|| {
            StiplyError::wrong_parameter(
                "cell_phone_number must be digits with a country code, like 31612345678",
            )
        })?),
        (Some("sms"), None) => {
            return Err(StiplyError::wrong_parameter(
                "cell_phone_number is required when auth_method is sms",
            ));
        }
        // Stiply keeps a phone number only for sms authentication.
        _ => None,
    };
    let new = NewSigner {
        name: body.signer_name.clone().unwrap_or_else(|| email.clone()),
        email,
        role: Some(role),
        order: None,
        language,
        invitation: Some(invitation),
        redirect_url: body.redirect_url.clone(),
        message: body.message.clone(),
        fields: fields(record, body)?,
        auth_method: auth_method.map(|m| match m {
            "sms" => AuthMethod::Sms,
            _ => AuthMethod::Oidc,
        }),
        phone: phone.as_deref().map(e164),
        identity_provider: identity_provider.map(str::to_owned),
        expected_identity: match (auth_method, &body.idin) {
            (Some("idin"), Some(idin)) => Some(idin_identity(idin)?),
            _ => None,
        },
    };
    let attributes = json!({
        "name": body.signer_name,
        "phone": phone,
        "auth_method": auth_method,
        "role": role_label,
        "emandate": body.emandate.clone().filter(|_| auth_method == Some("emandate")),
        "idin": body.idin.clone().filter(|_| auth_method == Some("idin")),
        "pimid": body.pimid.clone().filter(|_| auth_method == Some("pimid")),
        "message": body.message.as_deref().map(allowed_html),
    });
    Ok((new, attributes))
}
