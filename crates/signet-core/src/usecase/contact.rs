//! Contacts: people an account keeps on file and later names as recipients of its drafts
//! ([`crate::usecase::draft::DraftSigner::Add`] takes their name and address).

use crate::CoreError;
use crate::id::ContactId;
use crate::model::Contact;
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::validate;

/// What `create_contact` asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewContact {
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// E-mail address (required).
    pub email: String,
    /// The client's own reference.
    pub external_id: Option<String>,
}

impl Signet {
    /// Records a contact of the caller's account.
    pub async fn create_contact(
        &self,
        who: &Principal,
        new: NewContact,
    ) -> Result<Contact, CoreError> {
        let contact = Contact {
            id: ContactId::generate(),
            account_id: who.account_id,
            first_name: validate::optional_text("firstName", new.first_name.as_deref(), 100)?,
            last_name: validate::optional_text("lastName", new.last_name.as_deref(), 100)?,
            email: validate::email("email", &new.email)?,
            external_id: validate::optional_text("externalId", new.external_id.as_deref(), 255)?,
            created_at: self.now(),
        };
        self.store_ref().create_contact(&contact).await?;
        Ok(contact)
    }

    /// A contact of the caller's account (404 `contact` for anyone else's).
    pub async fn contact(&self, who: &Principal, id: ContactId) -> Result<Contact, CoreError> {
        self.store_ref()
            .contact(who.account_id, id)
            .await?
            .ok_or(CoreError::NotFound("contact"))
    }
}
