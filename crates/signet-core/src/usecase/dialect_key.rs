//! Dialect keys: the names a vendor dialect gives envelopes and signers (Stiply's 50-character
//! keys), minted on first use so that objects made through any door get one, plus what that
//! dialect records about them beyond the core model. Every lookup is scoped by account and
//! checks that the object is still visible.

use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::{Value, json};

use crate::CoreError;
use crate::model::{DialectKey, EnvelopeRecord, KeyedObject};
use crate::port::StoreError;
use crate::service::Signet;
use crate::usecase::account::Principal;

/// Length of a minted key.
pub const DIALECT_KEY_LEN: usize = 50;

impl Signet {
    /// The key `dialect` gives `object`, minted now if it has none. The caller passes an object
    /// it loaded through the principal; a key minted for anything else resolves to nothing,
    /// since every lookup through it loads the object scoped by account again.
    pub async fn dialect_key(
        &self,
        who: &Principal,
        dialect: &'static str,
        object: KeyedObject,
    ) -> Result<DialectKey, CoreError> {
        let store = self.store_ref();
        if let Some(key) = store
            .dialect_key_of(who.account_id, dialect, object)
            .await?
        {
            return Ok(key);
        }
        let minted = DialectKey {
            account_id: who.account_id,
            dialect: dialect.to_owned(),
            object,
            key: mint_key(),
            data: json!({}),
            created_at: self.now(),
        };
        match store.insert_dialect_key(&minted).await {
            Ok(()) => Ok(minted),
            // Somebody minted one first (or, astronomically unlikely, the key is taken): read it.
            Err(StoreError::Duplicate(_)) => store
                .dialect_key_of(who.account_id, dialect, object)
                .await?
                .ok_or(CoreError::ConcurrentUpdate),
            Err(err) => Err(err.into()),
        }
    }

    /// The envelope `dialect` calls `key` (its own key, or the native envelope id).
    pub async fn envelope_by_dialect_key(
        &self,
        who: &Principal,
        dialect: &'static str,
        key: &str,
    ) -> Result<EnvelopeRecord, CoreError> {
        let found = self
            .store_ref()
            .dialect_key_by_key(who.account_id, dialect, "envelope", key)
            .await?;
        let id = match found.map(|k| k.object) {
            Some(KeyedObject::Envelope(id)) => id,
            _ => key.parse().map_err(|_| CoreError::NotFound("envelope"))?,
        };
        self.load_visible(who, id).await
    }

    /// The signer of `record` that `dialect` calls `key` (its own key, or the native signer id).
    pub async fn signer_by_dialect_key(
        &self,
        who: &Principal,
        dialect: &'static str,
        record: &EnvelopeRecord,
        key: &str,
    ) -> Result<crate::model::Signer, CoreError> {
        let found = self
            .store_ref()
            .dialect_key_by_key(who.account_id, dialect, "signer", key)
            .await?;
        let id = match found.map(|k| k.object) {
            Some(KeyedObject::Signer(id)) => id,
            _ => key.parse().map_err(|_| CoreError::NotFound("signer"))?,
        };
        record
            .signer(id)
            .cloned()
            .ok_or(CoreError::NotFound("signer"))
    }

    /// Merges `attributes` (a JSON object) into what `dialect` records about `object`, minting
    /// its key if needed. Returns the key with the merged data.
    pub async fn set_dialect_attributes(
        &self,
        who: &Principal,
        dialect: &'static str,
        object: KeyedObject,
        attributes: Value,
    ) -> Result<DialectKey, CoreError> {
        let mut key = self.dialect_key(who, dialect, object).await?;
        if let (Value::Object(into), Value::Object(new)) = (&mut key.data, attributes) {
            into.extend(new);
        }
        self.store_ref()
            .set_dialect_key_data(who.account_id, dialect, object, &key.data)
            .await?;
        Ok(key)
    }
}

fn mint_key() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(DIALECT_KEY_LEN)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_keys_are_fifty_alphanumerics_and_differ() {
        let (a, b) = (mint_key(), mint_key());
        assert_eq!(a.len(), DIALECT_KEY_LEN);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }
}
