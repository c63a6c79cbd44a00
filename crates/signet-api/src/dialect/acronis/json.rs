//! The Notary API's response shapes, built from an envelope record.
//!
//! Signet's choices where the vendor's guide shows no value: `phase` is 0 while the e-sign
//! document is a draft (no signees invited yet), 1 while signing, 2 once every signee signed
//! and the sealed documents exist, 3 when it ended otherwise (declined, expired, canceled);
//! times are UTC with microseconds (`2019-11-11T13:54:38.619811Z`) and `null` when unset;
//! `document_id` is the SHA-256 of the current PDF (the sealed one once completed); the links
//! are paths under the server URL, like the vendor's.

use serde::Serialize;
use signet_core::id::DocumentId;
use signet_core::model::{
    Document, EnvelopeRecord, EnvelopeStatus, Notarization, Signer, SignerRole,
};
use time::OffsetDateTime;

/// `{"document": {...}}`.
#[derive(Serialize)]
pub struct DocumentEnvelope {
    /// The e-sign document.
    pub document: DocumentJson,
}

/// `{"file": {...}}`.
#[derive(Serialize)]
pub struct FileEnvelope {
    /// The stored file.
    pub file: FileJson,
}

/// An e-sign document.
#[derive(Serialize)]
pub struct DocumentJson {
    /// The SHA-256 of the uploaded file, hex: the document's id.
    pub id: String,
    /// The notarization certificate's SHA-256, hex.
    pub certificate_id: String,
    /// 0 draft, 1 signing, 2 signed by everyone, 3 ended unsigned.
    pub phase: u8,
    /// When the last signee signed and the documents were sealed.
    pub signed_at: Option<String>,
    /// The sealed document (with the certificate of completion), under the server URL.
    pub signature_certificate_link: String,
    /// The notarization certificate, under the server URL.
    pub notarization_certificate_link: String,
    /// The signees.
    pub signees: Vec<SigneeJson>,
    /// The SHA-256 of the current PDF: the sealed one once completed, else the upload.
    pub document_id: String,
    /// The file's name.
    pub name: String,
    /// The native envelope id.
    pub envelope_id: String,
    /// The native document id (the file id).
    pub file_id: String,
    /// When the e-sign document was created.
    pub created_at: String,
}

/// A signee.
#[derive(Serialize)]
pub struct SigneeJson {
    /// E-mail address.
    pub email: String,
    /// Full name.
    pub fullname: String,
    /// The native signer id.
    pub id: String,
    /// True for the user who created the e-sign document.
    pub owner: bool,
    /// When the signee signed; `null` until then.
    pub signed_at: Option<String>,
}

/// A file in the notary storage.
#[derive(Serialize)]
pub struct FileJson {
    /// The native document id.
    pub id: String,
    /// The file's name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, hex.
    pub hash: String,
    /// When it was uploaded.
    pub created_at: String,
    /// The e-sign document's id (the file's SHA-256).
    pub document_id: String,
    /// The e-sign document.
    pub document: DocumentJson,
}

/// Everything a document's JSON is built from.
pub struct DocumentView<'a> {
    pub record: &'a EnvelopeRecord,
    pub document: &'a Document,
    pub notarization: &'a Notarization,
    pub owner_email: Option<&'a str>,
}

/// Acronis time: UTC, microseconds, `Z`.
pub fn acronis_time(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.microsecond()
    )
}

fn phase(status: EnvelopeStatus) -> u8 {
    match status {
        EnvelopeStatus::Draft => 0,
        EnvelopeStatus::InProgress | EnvelopeStatus::Sealing => 1,
        EnvelopeStatus::Completed => 2,
        EnvelopeStatus::Declined | EnvelopeStatus::Expired | EnvelopeStatus::Canceled => 3,
    }
}

fn signee(signer: &Signer, owner_email: Option<&str>) -> SigneeJson {
    SigneeJson {
        email: signer.email.clone(),
        fullname: signer.name.clone(),
        id: signer.id.to_string(),
        owner: owner_email.is_some_and(|o| o.eq_ignore_ascii_case(&signer.email)),
        signed_at: signer.signed_at.map(acronis_time),
    }
}

impl DocumentView<'_> {
    /// The e-sign document.
    pub fn document_json(&self) -> DocumentJson {
        let id = hex::encode(self.document.original.sha256);
        let certificate_id = hex::encode(self.notarization.certificate.sha256);
        let completed = self.record.envelope.status == EnvelopeStatus::Completed;
        let current = self
            .document
            .signed
            .as_ref()
            .map_or(self.document.original.sha256, |s| s.sha256);
        DocumentJson {
            signature_certificate_link: format!("/doc/{id}/download"),
            notarization_certificate_link: format!("/certificate/{certificate_id}"),
            phase: phase(self.record.envelope.status),
            signed_at: self
                .record
                .envelope
                .finished_at
                .filter(|_| completed)
                .map(acronis_time),
            signees: self
                .record
                .signers
                .iter()
                .filter(|s| !matches!(s.role, SignerRole::Cc | SignerRole::Dc))
                .map(|s| signee(s, self.owner_email))
                .collect(),
            document_id: hex::encode(current),
            name: self.document.filename.clone(),
            envelope_id: self.record.envelope.id.to_string(),
            file_id: self.document.id.to_string(),
            created_at: acronis_time(self.record.envelope.created_at),
            certificate_id,
            id,
        }
    }

    /// The stored file with its e-sign document.
    pub fn file_json(&self) -> FileJson {
        FileJson {
            id: self.document.id.to_string(),
            name: self.document.filename.clone(),
            size: self.document.original.size,
            hash: hex::encode(self.document.original.sha256),
            created_at: acronis_time(self.record.envelope.created_at),
            document_id: hex::encode(self.document.original.sha256),
            document: self.document_json(),
        }
    }
}

/// The document of `record` with this id.
pub fn find_document(record: &EnvelopeRecord, id: DocumentId) -> Option<&Document> {
    record.documents.iter().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_with_microseconds() {
        let at = time::macros::datetime!(2019-11-11 14:54:38.619811 +01:00);
        assert_eq!(acronis_time(at), "2019-11-11T13:54:38.619811Z");
    }
}
