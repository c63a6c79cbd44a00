//! Changing where an envelope reports to: its callback URL, the result URL a signer's browser
//! goes to after signing, and whether the callback hears every status change (the OKdokument
//! `sendInfoURL` and `resulturl`).

use serde_json::json;

use crate::CoreError;
use crate::id::EnvelopeId;
use crate::model::{EnvelopeRecord, EventKind};
use crate::mutation::{ClientInfo, Mutation, retrying};
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::validate;

/// The changes; `None` leaves a setting as it is, `Some(None)` clears a URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlChanges {
    /// The URL Signet calls on status changes (checked like every callback URL).
    pub callback_url: Option<Option<String>>,
    /// Where a signer's browser goes after signing or declining, unless the signer has a
    /// `redirect_url` of their own.
    pub result_url: Option<Option<String>>,
    /// Whether the callback also hears `envelope.sent`.
    pub status_callbacks: Option<bool>,
}

impl Signet {
    /// Changes the callback and result URLs of an envelope of the caller's account, whatever
    /// its status (a finished envelope's links no longer lead anywhere, which is harmless).
    /// Recorded as a `urls_changed` event. 422 `invalid_url` / `private_callback_url`.
    pub async fn set_envelope_urls(
        &self,
        who: &Principal,
        id: EnvelopeId,
        changes: UrlChanges,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        let allow_private = self.config().allow_private_callbacks;
        let callback_url = match changes.callback_url {
            Some(Some(url)) => Some(Some(validate::callback_url(
                "callback_url",
                &url,
                allow_private,
            )?)),
            other => other,
        };
        let result_url = match changes.result_url {
            Some(Some(url)) => Some(Some(validate::redirect_url("result_url", &url)?)),
            other => other,
        };
        let checked = UrlChanges {
            callback_url,
            result_url,
            status_callbacks: changes.status_callbacks,
        };
        retrying(|| self.set_urls_once(who, id, &checked, client)).await
    }

    async fn set_urls_once(
        &self,
        who: &Principal,
        id: EnvelopeId,
        changes: &UrlChanges,
        client: &ClientInfo,
    ) -> Result<EnvelopeRecord, CoreError> {
        let record = self.load_visible(who, id).await?;
        let mut change = Mutation::of(record, self.now());
        let envelope = &mut change.record.envelope;
        if let Some(url) = &changes.callback_url {
            envelope.callback_url.clone_from(url);
        }
        if let Some(url) = &changes.result_url {
            envelope.result_url.clone_from(url);
        }
        if let Some(all) = changes.status_callbacks {
            envelope.status_callbacks = all;
        }
        // The URLs themselves may carry the client's secrets (query tokens): the trail records
        // what changed, not the values.
        let data = json!({
            "callback_url": changes.callback_url.is_some(),
            "result_url": changes.result_url.is_some(),
            "status_callbacks": envelope.status_callbacks,
        });
        change.event(EventKind::UrlsChanged, who.actor(), client, data);
        self.commit(change).await
    }
}
