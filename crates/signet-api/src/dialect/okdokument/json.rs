//! OKdokument request and response shapes, and the JSON extractor whose rejection is an
//! OKdokument 400.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use signet_core::model::{EnvelopeRecord, EnvelopeStatus, SignerStatus};

use super::error::OkError;

/// A JSON body; malformed or ill-shaped JSON is a 400.
pub(super) struct OkJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for OkJson<T> {
    type Rejection = OkError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(value)| Self(value))
            .map_err(|err| {
                OkError::bad_request(format!("msg.invalid: {}", err.body_text()), "body")
            })
    }
}

/// Tells a field given as null (`Some(None)`) from an absent one (`None`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// `PATCH /signatureRequest`. The document spells the callback field both `sendInfoUrl` and
/// `sendInfoURL`; both are accepted. Absent fields stay as they are; null or `""` clears.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UpdateRequest {
    pub signature_request_id: Option<String>,
    #[serde(default, alias = "sendInfoURL", deserialize_with = "present")]
    pub send_info_url: Option<Option<String>>,
    #[serde(
        default,
        rename = "resulturl",
        alias = "resultUrl",
        alias = "resultURL",
        deserialize_with = "present"
    )]
    pub result_url: Option<Option<String>>,
}

/// The success body of create and update: `{"message": "msg.updated", "result": id, "url"}`.
#[derive(Serialize)]
pub(super) struct Done {
    pub message: &'static str,
    pub result: String,
    pub url: String,
}

/// `POST /signatureRequest` (Signet's shape, in OKdokument's style).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CreateRequest {
    /// The request's title.
    pub title: String,
    /// Message to the signers.
    pub message: Option<String>,
    /// The documents (PDF, base64; a `data:` prefix is allowed).
    pub documents: Vec<DocumentIn>,
    /// The signers, who sign in parallel.
    pub signers: Vec<SignerIn>,
    #[serde(default, alias = "sendInfoURL")]
    pub send_info_url: Option<String>,
    #[serde(
        default,
        rename = "resulturl",
        alias = "resultUrl",
        alias = "resultURL"
    )]
    pub result_url: Option<String>,
}

/// One document.
#[derive(Deserialize)]
pub(super) struct DocumentIn {
    pub name: String,
    pub content: String,
}

/// One signer: where they sign is a `{{tag}}` in the documents or boxes by coordinates.
#[derive(Deserialize)]
pub(super) struct SignerIn {
    pub name: String,
    pub email: String,
    pub tag: Option<String>,
    #[serde(default)]
    pub positions: Vec<PositionIn>,
}

/// A signature box: 0-based document index, 1-based page, bottom-left corner and size in PDF
/// points.
#[derive(Deserialize)]
pub(super) struct PositionIn {
    #[serde(default)]
    pub document: usize,
    pub page: u32,
    pub x: f32,
    pub y: f32,
    pub width: Option<f32>,
    pub height: Option<f32>,
}

/// A signature request as `GET` shows it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RequestShape {
    pub signature_request_id: String,
    pub title: String,
    pub status: &'static str,
    #[serde(rename = "sendInfoURL")]
    pub send_info_url: Option<String>,
    #[serde(rename = "resulturl")]
    pub result_url: Option<String>,
    pub url: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub documents: Vec<DocumentShape>,
    pub signers: Vec<SignerShape>,
}

#[derive(Serialize)]
pub(super) struct DocumentShape {
    pub name: String,
    pub sha256: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SignerShape {
    pub name: String,
    pub email: String,
    pub status: &'static str,
    pub signed_at: Option<String>,
    pub declined_at: Option<String>,
}

impl RequestShape {
    pub(super) fn of(record: &EnvelopeRecord, url: String, now: time::OffsetDateTime) -> Self {
        let e = &record.envelope;
        let time = signet_core::time::rfc3339;
        let lapsed = e.expires_at.is_some_and(|at| at <= now);
        let status = match e.status {
            EnvelopeStatus::InProgress if lapsed => "EXPIRED",
            EnvelopeStatus::Draft => "CREATED",
            EnvelopeStatus::InProgress => "SENT",
            EnvelopeStatus::Sealing => "SIGNING_FINISHED",
            EnvelopeStatus::Completed => "COMPLETED",
            EnvelopeStatus::Declined => "DECLINED",
            EnvelopeStatus::Expired => "EXPIRED",
            EnvelopeStatus::Canceled => "CANCELED",
        };
        Self {
            signature_request_id: e.id.to_string(),
            title: e.title.clone(),
            status,
            send_info_url: e.callback_url.clone(),
            result_url: e.result_url.clone(),
            url,
            created_at: time(e.created_at),
            expires_at: e.expires_at.map(time),
            documents: record
                .documents
                .iter()
                .map(|d| DocumentShape {
                    name: d.filename.clone(),
                    sha256: hex::encode(d.original.sha256),
                })
                .collect(),
            signers: record
                .signers
                .iter()
                .map(|s| SignerShape {
                    name: s.name.clone(),
                    email: s.email.clone(),
                    status: match s.status {
                        SignerStatus::Pending => "PENDING",
                        SignerStatus::Signed => "SIGNED",
                        SignerStatus::Declined => "DECLINED",
                    },
                    signed_at: s.signed_at.map(time),
                    declined_at: s.declined_at.map(time),
                })
                .collect(),
        }
    }
}
