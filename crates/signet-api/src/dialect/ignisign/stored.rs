//! What the dialect keeps in the envelope's attributes, under the `ignisign` key: the settings
//! Ignisign has and the core does not act on, and the ids Ignisign clients know things by.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use signet_core::id::EnvelopeId;
use signet_core::usecase::account::Principal;

use super::error::{IgnisignError, IgnisignResult};
use crate::AppState;

const KEY: &str = "ignisign";

/// The dialect's attributes of one signature request.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Stored {
    pub app_id: Option<String>,
    pub app_env: Option<String>,
    pub signature_profile_id: Option<String>,
    pub language: Option<String>,
    pub expiration_date: Option<String>,
    pub expiration_date_is_activated: Option<bool>,
    pub diffusion_mode: Option<String>,
    pub diffusion_date: Option<String>,
    pub statements: Vec<Value>,
    pub initial_signature_request_id: Option<String>,
    /// Core signer id → the contact (Ignisign signer) it was made from.
    pub contacts: BTreeMap<String, String>,
    /// Documents initialised through `init-documents`, in the order given.
    pub documents: Vec<PendingDocument>,
}

/// A document initialised before its file was uploaded.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct PendingDocument {
    /// The key of its Ignisign id (`{signatureRequestId}.{key}`).
    pub key: String,
    pub label: Option<String>,
    pub description: Option<String>,
    pub external_id: Option<String>,
    pub created_at: Option<String>,
    /// The core document, once the file is uploaded.
    pub document_id: Option<String>,
}

impl Stored {
    /// The attributes of `id` (the whole JSON document, and the dialect's part of it).
    pub(crate) async fn load(
        state: &AppState,
        who: &Principal,
        id: EnvelopeId,
    ) -> IgnisignResult<(Value, Self)> {
        let all = state
            .signet
            .envelope_attributes(who, id)
            .await?
            .unwrap_or_else(|| Value::Object(Default::default()));
        let mine = all
            .get(KEY)
            .cloned()
            .map(serde_json::from_value)
            .transpose()
            .map_err(|err| {
                tracing::error!(error = %err, "stored Ignisign attributes are unreadable");
                IgnisignError::new(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    "INTERNAL_ERROR",
                    "an internal error occurred; the request id identifies it in the server log",
                )
            })?
            .unwrap_or_default();
        Ok((all, mine))
    }

    /// `all` with the dialect's part replaced by `self`.
    pub(crate) fn into_attributes(self, mut all: Value) -> Value {
        let mine = serde_json::to_value(self).unwrap_or(Value::Null);
        match all.as_object_mut() {
            Some(map) => {
                map.insert(KEY.into(), mine);
                all
            }
            None => serde_json::json!({ KEY: mine }),
        }
    }

    /// The pending document with this key.
    pub(crate) fn document(&self, key: &str) -> Option<&PendingDocument> {
        self.documents.iter().find(|d| d.key == key)
    }

    /// The pending document that became core document `id`.
    pub(crate) fn document_for(&self, id: &str) -> Option<&PendingDocument> {
        self.documents
            .iter()
            .find(|d| d.document_id.as_deref() == Some(id))
    }
}
