//! The `deliver_webhook` job: one signed POST of a delivery to its endpoint, logged as an
//! attempt. 2xx succeeds; a 410 disables the endpoint (no retry); anything else, redirects
//! included (they are never followed), is retried on the job's schedule.

use crate::CoreError;
use crate::id::{AccountId, WebhookDeliveryId};
use crate::model::{DeliveryStatus, WebhookAttempt};
use crate::port::{CallbackRequest, DeliveryError};
use crate::service::Signet;
use crate::usecase::job::{JobError, signed_webhook_headers};

/// Longest error text kept with an attempt.
const MAX_ERROR_LEN: usize = 1000;

/// What an attempt came to.
struct Verdict {
    status: DeliveryStatus,
    error: Option<String>,
    disable: Option<String>,
    outcome: Result<(), JobError>,
}

impl Signet {
    /// Posts a delivery once. A delivery that succeeded already, or whose endpoint was deleted
    /// or disabled, is left alone (the job is done).
    pub(crate) async fn deliver_webhook(
        &self,
        account_id: AccountId,
        delivery_id: WebhookDeliveryId,
    ) -> Result<(), JobError> {
        let store = self.store_ref();
        let Some(delivery) = store
            .webhook_delivery(account_id, delivery_id)
            .await
            .map_err(CoreError::from)?
        else {
            return Ok(());
        };
        let endpoint = store
            .webhook_endpoint(account_id, delivery.endpoint_id)
            .await
            .map_err(CoreError::from)?;
        let Some(endpoint) = endpoint.filter(|e| e.enabled) else {
            return Ok(());
        };
        if delivery.status == DeliveryStatus::Succeeded {
            return Ok(());
        }
        let now = self.now();
        let secrets = self.signing_secrets(&endpoint, now)?;
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let body = delivery.payload.into_bytes();
        let headers = signed_webhook_headers(
            &secrets,
            &delivery_id.to_string(),
            now.unix_timestamp(),
            &body,
        );
        let request = CallbackRequest {
            url: endpoint.url,
            headers,
            body,
        };
        let response = self.deps.callbacks.post_timed(&request).await;
        let status_code = response.status.as_ref().ok().map(|s| i32::from(*s));
        let verdict = judge(response.status);
        let attempt = WebhookAttempt {
            delivery_id,
            account_id,
            attempted_at: now,
            status_code,
            duration_ms: i64::try_from(response.elapsed.as_millis()).unwrap_or(i64::MAX),
            error: verdict.error.map(cut),
        };
        store
            .record_webhook_attempt(&attempt, verdict.status, verdict.disable.as_deref())
            .await
            .map_err(CoreError::from)?;
        verdict.outcome
    }
}

fn judge(status: Result<u16, DeliveryError>) -> Verdict {
    let failed = |error: String, outcome| Verdict {
        status: DeliveryStatus::Failed,
        error: Some(error),
        disable: None,
        outcome,
    };
    match status {
        Ok(code) if (200..300).contains(&code) => Verdict {
            status: DeliveryStatus::Succeeded,
            error: None,
            disable: None,
            outcome: Ok(()),
        },
        Ok(410) => Verdict {
            disable: Some("the endpoint answered 410 Gone".into()),
            ..failed("answered 410 Gone; endpoint disabled".into(), Ok(()))
        },
        Ok(code) if (300..400).contains(&code) => {
            let error = format!("answered {code}; redirects are not followed");
            failed(error.clone(), Err(JobError::Retry(error)))
        }
        Ok(code) => {
            let error = format!("answered {code}");
            failed(error.clone(), Err(JobError::Retry(error)))
        }
        Err(DeliveryError::Transient(m)) => failed(m.clone(), Err(JobError::Retry(m))),
        Err(DeliveryError::Permanent(m)) => failed(m.clone(), Err(JobError::Permanent(m))),
    }
}

fn cut(mut text: String) -> String {
    if text.len() > MAX_ERROR_LEN {
        let mut end = MAX_ERROR_LEN;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_and_errors_retry_but_gone_disables() {
        assert!(judge(Ok(204)).outcome.is_ok());
        assert_eq!(judge(Ok(204)).status, DeliveryStatus::Succeeded);
        let gone = judge(Ok(410));
        assert!(gone.outcome.is_ok() && gone.disable.is_some());
        assert!(matches!(judge(Ok(302)).outcome, Err(JobError::Retry(_))));
        assert!(matches!(judge(Ok(500)).outcome, Err(JobError::Retry(_))));
        let refused = judge(Err(DeliveryError::Permanent("private".into())));
        assert!(matches!(refused.outcome, Err(JobError::Permanent(_))));
    }
}
