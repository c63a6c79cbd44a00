//! Contacts and the front-door attributes kept beside an envelope.

use signet_core::id::{AccountId, ContactId, EnvelopeId};
use signet_core::model::Contact;
use signet_core::port::StoreError;

use crate::decode;
use crate::engine::Engine;
use crate::param::params;
use crate::row::{Columns, Required};

/// See [`signet_core::port::Store::create_contact`].
pub(crate) async fn create_contact(
    engine: &dyn Engine,
    contact: &Contact,
) -> Result<(), StoreError> {
    engine
        .execute(
            "INSERT INTO contacts (id, account_id, first_name, last_name, email, external_id, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            params![
                contact.id,
                contact.account_id,
                contact.first_name.as_ref(),
                contact.last_name.as_ref(),
                &contact.email,
                contact.external_id.as_ref(),
                contact.created_at,
            ],
        )
        .await
        .map(drop)
}

/// See [`signet_core::port::Store::contact`].
pub(crate) async fn contact(
    engine: &dyn Engine,
    account: AccountId,
    id: ContactId,
) -> Result<Option<Contact>, StoreError> {
    engine
        .first(
            "SELECT * FROM contacts WHERE id = $1 AND account_id = $2",
            params![id, account],
            decode::contact,
        )
        .await
}

/// See [`signet_core::port::Store::envelope_attributes`].
pub(crate) async fn envelope_attributes(
    engine: &dyn Engine,
    account: AccountId,
    id: EnvelopeId,
) -> Result<Option<serde_json::Value>, StoreError> {
    engine
        .first(
            "SELECT body FROM envelope_attributes WHERE envelope_id = $1 AND account_id = $2",
            params![id, account],
            |r: &dyn Columns| {
                serde_json::from_str(&r.req_text("body")?).map_err(|e| {
                    StoreError::Corrupt(format!("envelope_attributes.body is not JSON: {e}"))
                })
            },
        )
        .await
}
