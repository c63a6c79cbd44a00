//! Changing a recipient after it was added: a new e-mail address and mobile number for a
//! signer who has not signed yet (a sent envelope issues the signer a new link generation when
//! the address changes, or the number of a signer who confirms by SMS, so the old link stops
//! working), and removing a recipient from a draft.

use serde_json::json;

use crate::CoreError;
use crate::id::{EnvelopeId, SignerId};
use crate::model::{AuthMethod, EnvelopeStatus, EventKind, Signer, SignerStatus};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::secret::SigningTokens;
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::document::require_draft_status;
use crate::usecase::validate;

/// A signer's new contact details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerContact {
    /// The e-mail address.
    pub email: String,
    /// The mobile number (any common form; stored as E.164), or `None` to keep the current one.
    pub phone: Option<String>,
}

impl Signet {
    /// Gives a pending signer a new e-mail address and, when given, a new mobile number. When
    /// the envelope is out for signing and the address changes (or the number of a signer
    /// whose `auth_method` is `sms`), the signer gets a new link generation: the old link
    /// stops working; no e-mail is sent (a reminder sends the new link). 422 for a malformed
    /// address or number; 409 `signer_done` once the signer signed or declined; 409
    /// `not_in_progress` for finished envelopes.
    pub async fn change_signer_contact(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        signer_id: SignerId,
        contact: &SignerContact,
        client: &ClientInfo,
    ) -> Result<Signer, CoreError> {
        let checked = SignerContact {
            email: validate::email("email", &contact.email)?,
            phone: contact
                .phone
                .as_deref()
                .map(|p| crate::otp::e164("phone", p))
                .transpose()?,
        };
        retrying(|| self.change_contact_once(who, envelope_id, signer_id, &checked, client)).await
    }

    async fn change_contact_once(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        signer_id: SignerId,
        contact: &SignerContact,
        client: &ClientInfo,
    ) -> Result<Signer, CoreError> {
        let record = self.load_visible(who, envelope_id).await?;
        let mut signer = record
            .signer(signer_id)
            .cloned()
            .ok_or(CoreError::NotFound("signer"))?;
        if signer.status != SignerStatus::Pending {
            return Err(CoreError::conflict(
                "signer_done",
                "the signer has already signed or declined",
            ));
        }
        let status = record.envelope.status;
        if !matches!(status, EnvelopeStatus::Draft | EnvelopeStatus::InProgress) {
            return Err(CoreError::conflict(
                "not_in_progress",
                "the envelope is finished; its signers cannot change",
            ));
        }
        let phone = contact.phone.clone().or_else(|| signer.phone.clone());
        let email_changed = signer.email != contact.email;
        let phone_changed = signer.phone != phone;
        if !email_changed && !phone_changed {
            return Ok(signer);
        }
        let mut change = Mutation::of(record, self.now());
        let previous_email = std::mem::replace(&mut signer.email, contact.email.clone());
        let previous_phone = std::mem::replace(&mut signer.phone, phone);
        let codes_go_elsewhere = phone_changed && signer.auth_method == AuthMethod::Sms;
        if signer.token_generation > 0 && (email_changed || codes_go_elsewhere) {
            signer.token_generation += 1;
            let token = self.keys().tokens.token(signer.id, signer.token_generation);
            signer.token_hash = Some(SigningTokens::hash(&token));
        }
        change.event(
            EventKind::SignerUpdated,
            who.actor(),
            client,
            json!({
                "signer_id": signer.id,
                "previous_email": previous_email,
                "email": signer.email,
                "previous_phone": previous_phone,
                "phone": signer.phone,
                "generation": signer.token_generation,
            }),
        );
        change.put_signer(signer.clone());
        self.commit(change).await?;
        Ok(signer)
    }

    /// Removes a recipient and its fields from a draft (409 `not_draft` once sent).
    pub async fn remove_signer(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        signer_id: SignerId,
        client: &ClientInfo,
    ) -> Result<(), CoreError> {
        retrying(|| self.remove_signer_once(who, envelope_id, signer_id, client)).await
    }

    async fn remove_signer_once(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        signer_id: SignerId,
        client: &ClientInfo,
    ) -> Result<(), CoreError> {
        let record = self.load_visible(who, envelope_id).await?;
        let signer = record
            .signer(signer_id)
            .cloned()
            .ok_or(CoreError::NotFound("signer"))?;
        require_draft_status(record.envelope.status)?;
        let mut change = Mutation::of(record, self.now());
        change.remove_signer(signer_id);
        change.event(
            EventKind::SignerRemoved,
            who.actor(),
            client,
            json!({"signer_id": signer.id, "email": signer.email}),
        );
        self.commit(change).await?;
        Ok(())
    }
}
