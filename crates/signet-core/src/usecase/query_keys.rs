//! The keys Signet appends to callback and redirect URLs (the Stiply convention: `key`,
//! `signer_key`, `external_key`). An envelope that has Stiply keys (it was made or read through
//! the Stiply dialect) is named by them, so a Stiply client finds its own 50-character keys in
//! the query; every other envelope is named by its native ids.

use crate::id::SignerId;
use crate::model::{EnvelopeRecord, KeyedObject};
use crate::service::Signet;
use crate::stiply::STIPLY_DIALECT;

/// The names of an envelope (and one of its signers) in a callback or redirect query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct QueryKeys {
    /// The envelope's key.
    pub key: String,
    /// The signer's key, when a signer is named.
    pub signer_key: Option<String>,
    /// The client's own reference, or empty.
    pub external_key: String,
}

impl QueryKeys {
    /// Appends `key`, then `signer_key` (when named), then `external_key` to `url`'s query.
    pub fn append_to(&self, url: &mut url::Url) {
        let mut query = url.query_pairs_mut();
        query.append_pair("key", &self.key);
        if let Some(signer_key) = &self.signer_key {
            query.append_pair("signer_key", signer_key);
        }
        query.append_pair("external_key", &self.external_key);
    }
}

impl Signet {
    /// The query keys of `record` and, if given, of its signer `signer_id`. A key lookup that
    /// fails falls back to the native id: the URL stays usable, every Stiply route accepts it.
    pub(crate) async fn query_keys(
        &self,
        record: &EnvelopeRecord,
        signer_id: Option<SignerId>,
    ) -> QueryKeys {
        let envelope = &record.envelope;
        let key = self
            .stiply_key(record, KeyedObject::Envelope(envelope.id))
            .await
            .unwrap_or_else(|| envelope.id.to_string());
        let signer_key = match signer_id {
            Some(id) => Some(
                self.stiply_key(record, KeyedObject::Signer(id))
                    .await
                    .unwrap_or_else(|| id.to_string()),
            ),
            None => None,
        };
        QueryKeys {
            key,
            signer_key,
            external_key: envelope.external_key.clone().unwrap_or_default(),
        }
    }

    async fn stiply_key(&self, record: &EnvelopeRecord, object: KeyedObject) -> Option<String> {
        let account = record.envelope.account_id;
        match self
            .store_ref()
            .dialect_key_of(account, STIPLY_DIALECT, object)
            .await
        {
            Ok(found) => found.map(|k| k.key),
            Err(err) => {
                tracing::warn!(error = %err, "dialect key lookup failed; using the native id");
                None
            }
        }
    }
}
