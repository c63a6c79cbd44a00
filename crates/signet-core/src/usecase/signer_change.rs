//! Changing a recipient after it was added: a new e-mail address for a signer who has not
//! signed yet (a sent envelope issues the signer a new link generation, so the old link stops
//! working), and removing a recipient from a draft.

use serde_json::json;

use crate::CoreError;
use crate::id::{EnvelopeId, SignerId};
use crate::model::{EnvelopeStatus, EventKind, Signer, SignerStatus};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::secret::SigningTokens;
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::document::require_draft_status;
use crate::usecase::validate;

impl Signet {
    /// Gives a pending signer a new e-mail address. When the envelope is out for signing and
    /// the address changes, the signer gets a new link generation: the old link stops working;
    /// no e-mail is sent (a reminder sends the new link). 409 `signer_done` once the signer
    /// signed or declined; 409 `not_in_progress` for finished envelopes.
    pub async fn change_signer_email(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        signer_id: SignerId,
        email: &str,
        client: &ClientInfo,
    ) -> Result<Signer, CoreError> {
        let email = validate::email("email", email)?;
        retrying(|| self.change_email_once(who, envelope_id, signer_id, &email, client)).await
    }

    async fn change_email_once(
        &self,
        who: &Principal,
        envelope_id: EnvelopeId,
        signer_id: SignerId,
        email: &str,
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
        if signer.email == email {
            return Ok(signer);
        }
        let mut change = Mutation::of(record, self.now());
        let previous = std::mem::replace(&mut signer.email, email.to_owned());
        let relinked = signer.token_generation > 0;
        if relinked {
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
                "previous_email": previous,
                "email": signer.email,
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
