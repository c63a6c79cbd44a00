//! Account webhook endpoints: create, list, change, delete, rotate the signing secret, and
//! look at (and re-send) what was delivered. Owners and admins only (`admin` scope). The
//! deliveries themselves are made by the `deliver_webhook` job (`deliver`), fanned out by the
//! store from the audit events of each envelope change (`message`).

mod deliver;
mod message;

use time::{Duration, OffsetDateTime};

use crate::CoreError;
use crate::id::{AccountId, JobId, WebhookDeliveryId, WebhookEndpointId};
use crate::model::{
    JobPayload, NewJob, Subscription, WEBHOOK_ATTEMPTS, WEBHOOK_EVENT_TYPES, WebhookAttempt,
    WebhookDelivery, WebhookEndpoint,
};
use crate::port::DeliveryError;
use crate::secret::generate_webhook_secret;
use crate::service::Signet;
use crate::usecase::account::Principal;

pub(crate) use message::message_for;
pub use message::webhook_event_type;

/// Longest endpoint URL accepted.
const MAX_URL_LEN: usize = 2000;
/// Longest description accepted.
const MAX_DESCRIPTION_LEN: usize = 500;
/// Longest grace period a rotation may give the old secret.
const MAX_GRACE: Duration = Duration::days(7);
/// Most deliveries listed.
const DELIVERY_PAGE: u32 = 100;

/// What creating an endpoint asks for.
#[derive(Clone, Debug, Default)]
pub struct NewWebhook {
    /// Where to post.
    pub url: String,
    /// A label for people.
    pub description: Option<String>,
    /// Default true.
    pub enabled: Option<bool>,
    /// Event types; empty, absent or `["*"]` subscribe to every type.
    pub event_types: Option<Vec<String>>,
}

/// What changing an endpoint asks for; `None` keeps a value.
#[derive(Clone, Debug, Default)]
pub struct WebhookUpdate {
    /// A new URL (checked like a new endpoint's).
    pub url: Option<String>,
    /// A new label.
    pub description: Option<String>,
    /// Turn it on or off (turning it on clears the reason Signet disabled it).
    pub enabled: Option<bool>,
    /// New event types.
    pub event_types: Option<Vec<String>>,
}

/// An endpoint with a signing secret that is shown only now (at creation or rotation).
#[derive(Clone, Debug)]
pub struct WebhookWithSecret {
    /// The endpoint as stored.
    pub endpoint: WebhookEndpoint,
    /// Its new `whsec_…` secret.
    pub secret: String,
}

impl Signet {
    /// Registers an endpoint after checking its URL may be called.
    pub async fn create_webhook(
        &self,
        who: &Principal,
        new: NewWebhook,
    ) -> Result<WebhookWithSecret, CoreError> {
        who.require_admin()?;
        self.check_webhook_url(&new.url).await?;
        let now = self.now();
        let id = WebhookEndpointId::generate();
        let secret = generate_webhook_secret();
        let endpoint = WebhookEndpoint {
            id,
            account_id: who.account_id,
            url: new.url,
            description: description(new.description)?,
            enabled: new.enabled.unwrap_or(true),
            subscription: subscription(new.event_types)?,
            secret_sealed: self.seal_webhook_secret(id, &secret)?,
            previous_secret_sealed: None,
            previous_secret_until: None,
            disabled_reason: None,
            created_at: now,
            updated_at: now,
        };
        self.store_ref().create_webhook_endpoint(&endpoint).await?;
        Ok(WebhookWithSecret { endpoint, secret })
    }

    /// The account's endpoints, oldest first.
    pub async fn list_webhooks(&self, who: &Principal) -> Result<Vec<WebhookEndpoint>, CoreError> {
        who.require_admin()?;
        Ok(self.store_ref().webhook_endpoints(who.account_id).await?)
    }

    /// One endpoint of the account.
    pub async fn webhook(
        &self,
        who: &Principal,
        id: WebhookEndpointId,
    ) -> Result<WebhookEndpoint, CoreError> {
        who.require_admin()?;
        self.endpoint_of(who.account_id, id).await
    }

    /// Changes an endpoint.
    pub async fn update_webhook(
        &self,
        who: &Principal,
        id: WebhookEndpointId,
        update: WebhookUpdate,
    ) -> Result<WebhookEndpoint, CoreError> {
        who.require_admin()?;
        let mut endpoint = self.endpoint_of(who.account_id, id).await?;
        if let Some(url) = update.url {
            self.check_webhook_url(&url).await?;
            endpoint.url = url;
        }
        if let Some(text) = update.description {
            endpoint.description = description(Some(text))?;
        }
        if let Some(types) = update.event_types {
            endpoint.subscription = subscription(Some(types))?;
        }
        if let Some(enabled) = update.enabled {
            endpoint.enabled = enabled;
            if enabled {
                endpoint.disabled_reason = None;
            }
        }
        endpoint.updated_at = self.now();
        self.save_endpoint(&endpoint).await?;
        Ok(endpoint)
    }

    /// Deletes an endpoint with its delivery log; queued deliveries to it are dropped.
    pub async fn delete_webhook(
        &self,
        who: &Principal,
        id: WebhookEndpointId,
    ) -> Result<(), CoreError> {
        who.require_admin()?;
        if self
            .store_ref()
            .delete_webhook_endpoint(who.account_id, id)
            .await?
        {
            Ok(())
        } else {
            Err(CoreError::NotFound("webhook"))
        }
    }

    /// Gives an endpoint a new secret; the old one keeps signing (beside the new one) for
    /// `grace` (at most seven days; zero ends it now).
    pub async fn rotate_webhook_secret(
        &self,
        who: &Principal,
        id: WebhookEndpointId,
        grace: Duration,
    ) -> Result<WebhookWithSecret, CoreError> {
        who.require_admin()?;
        if grace.is_negative() || grace > MAX_GRACE {
            return Err(CoreError::invalid(
                "invalid_grace_period",
                "the grace period must be between 0 and 604800 seconds (7 days)",
            ));
        }
        let mut endpoint = self.endpoint_of(who.account_id, id).await?;
        let now = self.now();
        let secret = generate_webhook_secret();
        let old = std::mem::replace(
            &mut endpoint.secret_sealed,
            self.seal_webhook_secret(id, &secret)?,
        );
        (
            endpoint.previous_secret_sealed,
            endpoint.previous_secret_until,
        ) = if grace.is_zero() {
            (None, None)
        } else {
            (Some(old), Some(now + grace))
        };
        endpoint.updated_at = now;
        self.save_endpoint(&endpoint).await?;
        Ok(WebhookWithSecret { endpoint, secret })
    }

    /// An endpoint's deliveries, newest first (the latest hundred).
    pub async fn webhook_deliveries(
        &self,
        who: &Principal,
        id: WebhookEndpointId,
    ) -> Result<Vec<WebhookDelivery>, CoreError> {
        who.require_admin()?;
        self.endpoint_of(who.account_id, id).await?;
        Ok(self
            .store_ref()
            .webhook_deliveries(who.account_id, id, DELIVERY_PAGE)
            .await?)
    }

    /// One delivery of an endpoint, with its attempts.
    pub async fn webhook_delivery(
        &self,
        who: &Principal,
        id: WebhookEndpointId,
        delivery: WebhookDeliveryId,
    ) -> Result<(WebhookDelivery, Vec<WebhookAttempt>), CoreError> {
        who.require_admin()?;
        let found = self.delivery_of(who.account_id, id, delivery).await?;
        let attempts = self
            .store_ref()
            .webhook_attempts(who.account_id, delivery)
            .await?;
        Ok((found, attempts))
    }

    /// Sends a delivery again (same `webhook-id`, same body, a fresh signature), whatever its
    /// status; its job gets a full set of attempts.
    pub async fn resend_webhook_delivery(
        &self,
        who: &Principal,
        id: WebhookEndpointId,
        delivery: WebhookDeliveryId,
    ) -> Result<WebhookDelivery, CoreError> {
        who.require_admin()?;
        self.delivery_of(who.account_id, id, delivery).await?;
        let now = self.now();
        let job = NewJob {
            id: JobId::generate(),
            payload: JobPayload::DeliverWebhook {
                account_id: who.account_id,
                delivery_id: delivery,
            },
            run_at: now,
            max_attempts: WEBHOOK_ATTEMPTS,
            dedupe_key: None,
        };
        let store = self.store_ref();
        if !store
            .resend_webhook_delivery(who.account_id, delivery, &job, now)
            .await?
        {
            return Err(CoreError::NotFound("delivery"));
        }
        self.deps.job_signal.jobs_enqueued();
        self.delivery_of(who.account_id, id, delivery).await
    }

    async fn endpoint_of(
        &self,
        account: AccountId,
        id: WebhookEndpointId,
    ) -> Result<WebhookEndpoint, CoreError> {
        self.store_ref()
            .webhook_endpoint(account, id)
            .await?
            .ok_or(CoreError::NotFound("webhook"))
    }

    async fn delivery_of(
        &self,
        account: AccountId,
        endpoint: WebhookEndpointId,
        id: WebhookDeliveryId,
    ) -> Result<WebhookDelivery, CoreError> {
        self.store_ref()
            .webhook_delivery(account, id)
            .await?
            .filter(|d| d.endpoint_id == endpoint)
            .ok_or(CoreError::NotFound("delivery"))
    }

    async fn save_endpoint(&self, endpoint: &WebhookEndpoint) -> Result<(), CoreError> {
        if self.store_ref().update_webhook_endpoint(endpoint).await? {
            Ok(())
        } else {
            Err(CoreError::NotFound("webhook"))
        }
    }

    /// Refuses URLs that are not absolute http(s) URLs, and (unless the operator allows
    /// private targets) those whose host is or resolves to a non-public address.
    async fn check_webhook_url(&self, url: &str) -> Result<(), CoreError> {
        let parsed = url::Url::parse(url)
            .map_err(|err| CoreError::invalid("invalid_url", format!("invalid URL: {err}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || url.len() > MAX_URL_LEN {
            return Err(CoreError::invalid(
                "invalid_url",
                "the URL must be an http(s) URL of at most 2000 characters",
            ));
        }
        self.deps
            .callbacks
            .check_target(url)
            .await
            .map_err(|err| match err {
                DeliveryError::Permanent(m) => CoreError::invalid("url_not_allowed", m),
                DeliveryError::Transient(m) => CoreError::invalid("invalid_url", m),
            })
    }

    fn seal_webhook_secret(
        &self,
        id: WebhookEndpointId,
        secret: &str,
    ) -> Result<Vec<u8>, CoreError> {
        self.keys()
            .secrets
            .seal(&secret_context(id), secret.as_bytes())
    }

    /// The secrets that sign a delivery at `now`: the current one, then the previous one while
    /// its grace period lasts.
    pub(crate) fn signing_secrets(
        &self,
        endpoint: &WebhookEndpoint,
        now: OffsetDateTime,
    ) -> Result<Vec<String>, CoreError> {
        let open = |sealed: &[u8]| {
            let bytes = self
                .keys()
                .secrets
                .open(&secret_context(endpoint.id), sealed)?;
            String::from_utf8(bytes)
                .map_err(|_| CoreError::Integrity("webhook secret is not text".into()))
        };
        let mut secrets = vec![open(&endpoint.secret_sealed)?];
        if let (Some(previous), Some(until)) = (
            &endpoint.previous_secret_sealed,
            endpoint.previous_secret_until,
        ) && until > now
        {
            secrets.push(open(previous)?);
        }
        Ok(secrets)
    }
}

/// The sealing context of an endpoint's secrets (a sealed secret opens only for its endpoint).
fn secret_context(id: WebhookEndpointId) -> String {
    format!("webhook-endpoint-secret:{id}")
}

fn description(text: Option<String>) -> Result<String, CoreError> {
    let text = text.unwrap_or_default();
    if text.chars().count() > MAX_DESCRIPTION_LEN {
        return Err(CoreError::invalid(
            "invalid_field",
            "description must be at most 500 characters",
        ));
    }
    Ok(text)
}

/// Empty, absent or `["*"]` is every type; otherwise each must be a known type.
fn subscription(types: Option<Vec<String>>) -> Result<Subscription, CoreError> {
    let mut types = types.unwrap_or_default();
    if types.is_empty() || types == ["*"] {
        return Ok(Subscription::All);
    }
    if let Some(unknown) = types
        .iter()
        .find(|t| !WEBHOOK_EVENT_TYPES.contains(&t.as_str()))
    {
        return Err(CoreError::invalid(
            "invalid_event_type",
            format!(
                "unknown event type {unknown:?}; use \"*\" or some of {}",
                WEBHOOK_EVENT_TYPES.join(", ")
            ),
        ));
    }
    types.sort();
    types.dedup();
    Ok(Subscription::Only(types))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_are_all_or_known_types() {
        assert_eq!(subscription(None).unwrap(), Subscription::All);
        assert_eq!(
            subscription(Some(vec!["*".into()])).unwrap(),
            Subscription::All
        );
        let some = subscription(Some(vec!["envelope.signed".into(), "envelope.sent".into()]));
        assert_eq!(some.unwrap().stored(), " envelope.sent envelope.signed ");
        assert!(subscription(Some(vec!["envelope.*".into()])).is_err());
        assert!(subscription(Some(vec!["*".into(), "envelope.sent".into()])).is_err());
    }
}
