//! Documents by id or by the SHA-256 of their upload, and notarization certificates: a PDF
//! the instance seals (certified, with a signature time-stamp from the configured TSA, at
//! PAdES B-T or the account's higher level) stating a document's SHA-256, so it proves that a
//! file with that hash existed at the time-stamp. One per account and hash, sealed on the
//! first request and the same ever after; verifiable like every sealed PDF (`signet verify`,
//! `POST /api/v1/verify`).

use signet_pdf::{Block, Report};

use crate::CoreError;
use crate::id::DocumentId;
use crate::model::{EnvelopeRecord, Notarization, PadesLevel};
use crate::service::Signet;
use crate::time::rfc3339;
use crate::usecase::account::Principal;
use crate::usecase::download::Download;
use crate::usecase::seal::SealInput;

/// The reason the certificate's seal gives.
const REASON: &str = "Notarization: this document's SHA-256 existed at the signature time-stamp";

impl Signet {
    /// The envelope (not deleted) of the caller's account holding document `id`.
    pub async fn envelope_of_document(
        &self,
        who: &Principal,
        id: DocumentId,
    ) -> Result<EnvelopeRecord, CoreError> {
        let envelope = self
            .store_ref()
            .envelope_of_document(who.account_id, id)
            .await?
            .ok_or(CoreError::NotFound("document"))?;
        self.load_visible(who, envelope).await
    }

    /// The newest envelope (not deleted) of the caller's account holding a document whose
    /// upload has this SHA-256, and that document's id.
    pub async fn envelope_by_document_sha256(
        &self,
        who: &Principal,
        sha256: &[u8; 32],
    ) -> Result<(EnvelopeRecord, DocumentId), CoreError> {
        let (envelope, document) = self
            .store_ref()
            .envelope_by_original_sha256(who.account_id, sha256)
            .await?
            .ok_or(CoreError::NotFound("document"))?;
        Ok((self.load_visible(who, envelope).await?, document))
    }

    /// The login e-mail of the user who created an envelope of the caller's account (the
    /// "owner" some vendors mark among the signers); `None` if that user is gone.
    pub async fn envelope_sender_email(
        &self,
        who: &Principal,
        record: &EnvelopeRecord,
    ) -> Result<Option<String>, CoreError> {
        if record.envelope.account_id != who.account_id {
            return Err(CoreError::NotFound("envelope"));
        }
        Ok(self
            .store_ref()
            .user(who.account_id, record.envelope.created_by)
            .await?
            .map(|u| u.email))
    }

    /// The notarization certificate of a document of the caller's account (by the SHA-256 of
    /// its upload), sealed now if this is the first request for it.
    pub async fn notarize(
        &self,
        who: &Principal,
        sha256: &[u8; 32],
    ) -> Result<Notarization, CoreError> {
        if let Some(found) = self
            .store_ref()
            .notarization(who.account_id, sha256)
            .await?
        {
            return Ok(found);
        }
        let (record, document_id) = self.envelope_by_document_sha256(who, sha256).await?;
        let account = self
            .store_ref()
            .account(who.account_id)
            .await?
            .ok_or(CoreError::NotFound("account"))?;
        let level = self.effective_pades_level(&account).max(PadesLevel::BT);
        let now = self.now();
        let report = certificate_report(&record, document_id, sha256, &account.name, now);
        let key = format!(
            "{}/notarizations/{}-{}.pdf",
            who.account_id,
            hex::encode(sha256),
            uuid::Uuid::now_v7()
        );
        let certificate = self
            .seal_blob(
                SealInput::Report(Box::new(report), now, REASON),
                &key,
                level,
            )
            .await?;
        let ours = Notarization {
            account_id: who.account_id,
            document_sha256: *sha256,
            certificate,
            created_at: now,
        };
        let stored = self.store_ref().put_notarization(&ours).await;
        if stored.as_ref().map_or(true, |s| *s != ours) {
            // Another request stored one first, or storing failed: ours is an orphan.
            self.delete_blobs(vec![key]).await;
        }
        Ok(stored?)
    }

    /// A notarization certificate of the caller's account, by its own SHA-256.
    pub async fn notarization_certificate(
        &self,
        who: &Principal,
        certificate_sha256: &[u8; 32],
    ) -> Result<Download, CoreError> {
        let found = self
            .store_ref()
            .notarization_by_certificate(who.account_id, certificate_sha256)
            .await?
            .ok_or(CoreError::NotFound("certificate"))?;
        let name = format!("notarization-{}.pdf", hex::encode(found.document_sha256));
        self.download(&found.certificate, &name).await
    }
}

/// What the certificate says.
fn certificate_report(
    record: &EnvelopeRecord,
    document_id: DocumentId,
    sha256: &[u8; 32],
    account_name: &str,
    now: time::OffsetDateTime,
) -> Report {
    let document = record.documents.iter().find(|d| d.id == document_id);
    let filename = document.map_or_else(|| "-".to_string(), |d| d.filename.clone());
    let size = document.map_or_else(|| "-".to_string(), |d| d.original.size.to_string());
    Report {
        title: "Notarization certificate".into(),
        subtitle: Some(format!("SHA-256 {}", hex::encode(sha256))),
        blocks: vec![
            Block::KeyValues(vec![
                ("Document SHA-256".into(), hex::encode(sha256)),
                ("File name".into(), filename),
                ("Size (bytes)".into(), size),
                ("Document ID".into(), document_id.to_string()),
                ("Envelope ID".into(), record.envelope.id.to_string()),
                ("Account".into(), account_name.to_string()),
                ("Notarized at".into(), rfc3339(now)),
            ]),
            Block::Heading("What this certifies".into()),
            Block::Paragraph(
                "A file whose SHA-256 is the value above was held by this Signet instance for the \
                 account named above no later than the time of this certificate's signature \
                 time-stamp. The certificate is sealed with the instance's advanced electronic \
                 seal; verify it with `signet verify` or POST /api/v1/verify, and compare the \
                 hash with the file's (for example `sha256sum`)."
                    .into(),
            ),
        ],
        footer: Some(format!("Signet notarization {}", hex::encode(sha256))),
    }
}
