//! Auco request and response shapes, and the JSON extractor whose rejection is an Auco 400.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use signet_core::model::{EnvelopeRecord, EnvelopeStatus, SignerStatus};

use super::error::AucoError;

/// A JSON body; malformed or ill-shaped JSON is a 400 `INVALID_BODY`.
pub(super) struct AucoJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AucoJson<T> {
    type Rejection = AucoError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(value)| Self(value))
            .map_err(|err| AucoError::bad_request("INVALID_BODY", err.body_text()))
    }
}

/// `PUT /document/reactivate`.
#[derive(Deserialize)]
pub(super) struct ReactivateRequest {
    pub code: Option<String>,
    pub package: Option<String>,
    pub email: Option<String>,
}

/// Its answer.
#[derive(Serialize)]
pub(super) struct ReactivateResponse {
    /// Notifications sent to signers.
    pub notifications: usize,
    /// The names of the signers notified.
    pub users: Vec<String>,
}

/// `POST /document/upload` and `POST /package/upload` (Signet's shape, in Auco's style).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UploadRequest {
    /// The process name (the envelope title).
    pub name: String,
    /// Message to the signers.
    pub message: Option<String>,
    /// E-mail subject (Signet uses the name; kept for Auco clients that send it).
    #[allow(dead_code)]
    pub subject: Option<String>,
    /// E-mail of the user creating the process (required, as by Auco).
    pub email: String,
    /// `/document/upload`: the PDF, base64 (a `data:` prefix is allowed).
    pub file: Option<String>,
    /// `/package/upload`: the documents.
    #[serde(default)]
    pub documents: Vec<PackageDocument>,
    /// RFC 3339 time after which the process expires.
    pub expired_date: Option<String>,
    /// The signers.
    pub sign_profile: Vec<SignProfile>,
}

/// One document of a package.
#[derive(Deserialize)]
pub(super) struct PackageDocument {
    pub name: String,
    pub file: String,
}

/// A signer and where they sign.
#[derive(Deserialize)]
pub(super) struct SignProfile {
    pub name: String,
    pub email: String,
    /// Signature boxes by coordinates.
    #[serde(default)]
    pub position: Vec<Position>,
    /// A `{{tag}}` in the document(s) to sign on.
    pub tag: Option<String>,
}

/// A signature box: page (1-based), bottom-left corner and size in PDF points.
#[derive(Deserialize)]
pub(super) struct Position {
    pub page: u32,
    pub x: f32,
    pub y: f32,
    pub width: Option<f32>,
    pub height: Option<f32>,
    /// For packages: the 0-based index of the document in `documents` (default 0).
    #[serde(default)]
    pub document: usize,
}

/// `GET /document` query: a process by `code` or by `package`.
#[derive(Deserialize)]
pub(super) struct ProcessQuery {
    pub code: Option<String>,
    pub package: Option<String>,
}

/// A document process as `GET /document` shows it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ProcessResponse {
    pub code: String,
    pub package: Option<String>,
    pub name: String,
    pub status: &'static str,
    pub created_at: String,
    pub expired_date: Option<String>,
    pub documents: Vec<DocumentShape>,
    pub sign_profile: Vec<SignProfileShape>,
}

#[derive(Serialize)]
pub(super) struct DocumentShape {
    pub name: String,
    pub hash: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SignProfileShape {
    pub name: String,
    pub email: String,
    pub status: &'static str,
    pub sign_date: Option<String>,
    pub reject_date: Option<String>,
}

/// Auco's name for an envelope status.
pub(super) fn process_status(status: EnvelopeStatus, lapsed: bool) -> &'static str {
    match status {
        EnvelopeStatus::InProgress if lapsed => "EXPIRED",
        EnvelopeStatus::Draft => "CREATED",
        EnvelopeStatus::InProgress => "PROCESS",
        EnvelopeStatus::Sealing | EnvelopeStatus::Completed => "FINISH",
        EnvelopeStatus::Declined => "REJECT",
        EnvelopeStatus::Expired => "EXPIRED",
        EnvelopeStatus::Canceled => "CANCELED",
    }
}

impl ProcessResponse {
    pub(super) fn of(record: &EnvelopeRecord, now: time::OffsetDateTime) -> Self {
        let e = &record.envelope;
        let lapsed = e.expires_at.is_some_and(|at| at <= now);
        let code = e.id.to_string();
        let time = signet_core::time::rfc3339;
        Self {
            package: (record.documents.len() > 1).then(|| code.clone()),
            code,
            name: e.title.clone(),
            status: process_status(e.status, lapsed),
            created_at: time(e.created_at),
            expired_date: e.expires_at.map(time),
            documents: record
                .documents
                .iter()
                .map(|d| DocumentShape {
                    name: d.filename.clone(),
                    hash: hex::encode(d.original.sha256),
                })
                .collect(),
            sign_profile: record
                .signers
                .iter()
                .map(|s| SignProfileShape {
                    name: s.name.clone(),
                    email: s.email.clone(),
                    status: match s.status {
                        SignerStatus::Pending => "PENDING",
                        SignerStatus::Signed => "SIGNED",
                        SignerStatus::Declined => "REJECT",
                    },
                    sign_date: s.signed_at.map(time),
                    reject_date: s.declined_at.map(time),
                })
                .collect(),
        }
    }
}
