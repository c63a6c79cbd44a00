//! Webhook endpoints, deliveries and attempts, and the fan-out of an envelope change's webhook
//! events into delivery rows and their jobs.

use signet_core::id::{AccountId, EnvelopeId, JobId, WebhookDeliveryId, WebhookEndpointId};
use signet_core::model::{
    DeliveryStatus, JobStatus, NewJob, Subscription, WEBHOOK_ATTEMPTS, WebhookAttempt,
    WebhookDelivery, WebhookEndpoint, WebhookMessage,
};
use signet_core::port::StoreError;
use time::OffsetDateTime;

use crate::engine::{Engine, Tx};
use crate::param::params;
use crate::query::job::insert_job;
use crate::row::{Columns, Required};

/// The columns of an endpoint row, in a statement.
macro_rules! endpoint_select {
    ($rest:literal) => {
        concat!(
            "SELECT id, account_id, url, description, enabled, event_types, secret_sealed, \
             previous_secret_sealed, previous_secret_until, disabled_reason, created_at, \
             updated_at FROM webhook_endpoints ",
            $rest
        )
    };
}

/// The columns of a delivery row, in a statement.
macro_rules! delivery_select {
    ($rest:literal) => {
        concat!(
            "SELECT id, account_id, endpoint_id, envelope_id, event_type, payload, status, \
             attempts, last_status_code, last_error, created_at, updated_at \
             FROM webhook_deliveries ",
            $rest
        )
    };
}

/// Inserts one delivery per enabled endpoint of the account subscribed to `message`, and one
/// `deliver_webhook` job per delivery (the job id is the delivery id). For an account without
/// such endpoints this is one indexed probe that inserts nothing, and no second statement.
pub(crate) async fn fan_out(
    engine: &dyn Engine,
    tx: &mut dyn Tx,
    account: AccountId,
    envelope: EnvelopeId,
    message: &WebhookMessage,
) -> Result<(), StoreError> {
    let batch = JobId::generate();
    let pattern = format!(" {} ", message.event_type);
    let inserted = tx
        .execute(
            engine.webhook_fanout_sql(),
            params![
                account,
                envelope,
                message.event_type,
                message.payload.as_str(),
                message.at,
                batch,
                pattern,
            ],
        )
        .await?;
    if inserted == 0 {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, \
         created_at, updated_at) \
         SELECT d.id, 'deliver_webhook', '{\"kind\":\"deliver_webhook\",\"account_id\":\"' \
         || CAST(d.account_id AS TEXT) || '\",\"delivery_id\":\"' || CAST(d.id AS TEXT) \
         || '\"}', $2, $3, 0, $4, $3, $3 FROM webhook_deliveries d WHERE d.fanout_id = $1",
        params![
            batch,
            JobStatus::Pending.as_str(),
            message.at,
            i64::from(WEBHOOK_ATTEMPTS)
        ],
    )
    .await
    .map(drop)
}

/// See [`signet_core::port::Store::create_webhook_endpoint`].
pub(crate) async fn create_endpoint(
    engine: &dyn Engine,
    e: &WebhookEndpoint,
) -> Result<(), StoreError> {
    engine
        .execute(
            "INSERT INTO webhook_endpoints (id, account_id, url, description, enabled, \
             event_types, secret_sealed, previous_secret_sealed, previous_secret_until, \
             disabled_reason, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            params![
                e.id,
                e.account_id,
                e.url.as_str(),
                e.description.as_str(),
                e.enabled,
                e.subscription.stored(),
                e.secret_sealed.clone(),
                e.previous_secret_sealed.clone(),
                e.previous_secret_until,
                e.disabled_reason.clone(),
                e.created_at,
                e.updated_at,
            ],
        )
        .await
        .map(drop)
}

/// See [`signet_core::port::Store::webhook_endpoints`].
pub(crate) async fn endpoints(
    engine: &dyn Engine,
    account: AccountId,
) -> Result<Vec<WebhookEndpoint>, StoreError> {
    const SQL: &str = endpoint_select!("WHERE account_id = $1 ORDER BY created_at, id");
    engine.all(SQL, params![account], endpoint_row).await
}

/// See [`signet_core::port::Store::webhook_endpoint`].
pub(crate) async fn endpoint(
    engine: &dyn Engine,
    account: AccountId,
    id: WebhookEndpointId,
) -> Result<Option<WebhookEndpoint>, StoreError> {
    const SQL: &str = endpoint_select!("WHERE account_id = $1 AND id = $2");
    engine.first(SQL, params![account, id], endpoint_row).await
}

/// See [`signet_core::port::Store::update_webhook_endpoint`].
pub(crate) async fn update_endpoint(
    engine: &dyn Engine,
    e: &WebhookEndpoint,
) -> Result<bool, StoreError> {
    let changed = engine
        .execute(
            "UPDATE webhook_endpoints SET url = $3, description = $4, enabled = $5, \
             event_types = $6, secret_sealed = $7, previous_secret_sealed = $8, \
             previous_secret_until = $9, disabled_reason = $10, updated_at = $11 \
             WHERE account_id = $1 AND id = $2",
            params![
                e.account_id,
                e.id,
                e.url.as_str(),
                e.description.as_str(),
                e.enabled,
                e.subscription.stored(),
                e.secret_sealed.clone(),
                e.previous_secret_sealed.clone(),
                e.previous_secret_until,
                e.disabled_reason.clone(),
                e.updated_at,
            ],
        )
        .await?;
    Ok(changed > 0)
}

/// See [`signet_core::port::Store::delete_webhook_endpoint`].
pub(crate) async fn delete_endpoint(
    engine: &dyn Engine,
    account: AccountId,
    id: WebhookEndpointId,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    tx.execute(
        "DELETE FROM webhook_attempts WHERE account_id = $1 AND delivery_id IN \
         (SELECT id FROM webhook_deliveries WHERE account_id = $1 AND endpoint_id = $2)",
        params![account, id],
    )
    .await?;
    tx.execute(
        "DELETE FROM webhook_deliveries WHERE account_id = $1 AND endpoint_id = $2",
        params![account, id],
    )
    .await?;
    let deleted = tx
        .execute(
            "DELETE FROM webhook_endpoints WHERE account_id = $1 AND id = $2",
            params![account, id],
        )
        .await?;
    tx.commit().await?;
    Ok(deleted > 0)
}

/// See [`signet_core::port::Store::webhook_deliveries`].
pub(crate) async fn deliveries(
    engine: &dyn Engine,
    account: AccountId,
    endpoint: WebhookEndpointId,
    limit: u32,
) -> Result<Vec<WebhookDelivery>, StoreError> {
    const SQL: &str = delivery_select!(
        "WHERE account_id = $1 AND endpoint_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3"
    );
    engine
        .all(
            SQL,
            params![account, endpoint, i64::from(limit)],
            delivery_row,
        )
        .await
}

/// See [`signet_core::port::Store::webhook_delivery`].
pub(crate) async fn delivery(
    engine: &dyn Engine,
    account: AccountId,
    id: WebhookDeliveryId,
) -> Result<Option<WebhookDelivery>, StoreError> {
    const SQL: &str = delivery_select!("WHERE account_id = $1 AND id = $2");
    engine.first(SQL, params![account, id], delivery_row).await
}

/// See [`signet_core::port::Store::webhook_attempts`].
pub(crate) async fn attempts(
    engine: &dyn Engine,
    account: AccountId,
    delivery: WebhookDeliveryId,
) -> Result<Vec<WebhookAttempt>, StoreError> {
    engine
        .all(
            "SELECT delivery_id, account_id, attempted_at, status_code, duration_ms, error \
             FROM webhook_attempts WHERE account_id = $1 AND delivery_id = $2 \
             ORDER BY attempted_at",
            params![account, delivery],
            attempt_row,
        )
        .await
}

/// See [`signet_core::port::Store::record_webhook_attempt`].
pub(crate) async fn record_attempt(
    engine: &dyn Engine,
    a: &WebhookAttempt,
    status: DeliveryStatus,
    disable: Option<&str>,
) -> Result<(), StoreError> {
    let mut tx = engine.write().await?;
    tx.execute(
        "INSERT INTO webhook_attempts (delivery_id, account_id, attempted_at, status_code, \
         duration_ms, error) VALUES ($1, $2, $3, $4, $5, $6)",
        params![
            a.delivery_id,
            a.account_id,
            a.attempted_at,
            a.status_code.map(i64::from),
            a.duration_ms,
            a.error.clone(),
        ],
    )
    .await?;
    tx.execute(
        "UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, \
         last_status_code = $4, last_error = $5, updated_at = $6 \
         WHERE account_id = $1 AND id = $2",
        params![
            a.account_id,
            a.delivery_id,
            status.as_str(),
            a.status_code.map(i64::from),
            a.error.clone(),
            a.attempted_at,
        ],
    )
    .await?;
    if let Some(reason) = disable {
        tx.execute(
            "UPDATE webhook_endpoints SET enabled = $3, disabled_reason = $4, updated_at = $5 \
             WHERE account_id = $1 AND id = \
             (SELECT endpoint_id FROM webhook_deliveries WHERE account_id = $1 AND id = $2)",
            params![a.account_id, a.delivery_id, false, reason, a.attempted_at],
        )
        .await?;
    }
    tx.commit().await
}

/// See [`signet_core::port::Store::resend_webhook_delivery`].
pub(crate) async fn resend(
    engine: &dyn Engine,
    account: AccountId,
    id: WebhookDeliveryId,
    job: &NewJob,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let mut tx = engine.write().await?;
    let changed = tx
        .execute(
            "UPDATE webhook_deliveries SET status = $3, updated_at = $4 \
             WHERE account_id = $1 AND id = $2",
            params![account, id, DeliveryStatus::Pending.as_str(), now],
        )
        .await?;
    if changed == 0 {
        return Ok(false);
    }
    insert_job(&mut *tx, job, now).await?;
    tx.commit().await?;
    Ok(true)
}

fn endpoint_row(r: &dyn Columns) -> Result<WebhookEndpoint, StoreError> {
    Ok(WebhookEndpoint {
        id: WebhookEndpointId::from_uuid(r.req_id("id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        url: r.req_text("url")?,
        description: r.req_text("description")?,
        enabled: r.req_bool("enabled")?,
        subscription: Subscription::from_stored(&r.req_text("event_types")?),
        secret_sealed: r.req_bytes("secret_sealed")?,
        previous_secret_sealed: r.bytes("previous_secret_sealed")?,
        previous_secret_until: r.time("previous_secret_until")?,
        disabled_reason: r.text("disabled_reason")?,
        created_at: r.req_time("created_at")?,
        updated_at: r.req_time("updated_at")?,
    })
}

fn delivery_row(r: &dyn Columns) -> Result<WebhookDelivery, StoreError> {
    let code = r
        .int("last_status_code")?
        .map(|c| i32::try_from(c).map_err(|_| StoreError::Corrupt("status code".into())))
        .transpose()?;
    Ok(WebhookDelivery {
        id: WebhookDeliveryId::from_uuid(r.req_id("id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        endpoint_id: WebhookEndpointId::from_uuid(r.req_id("endpoint_id")?),
        envelope_id: EnvelopeId::from_uuid(r.req_id("envelope_id")?),
        event_type: r.req_text("event_type")?,
        payload: r.req_text("payload")?,
        status: r.req_enum("status", DeliveryStatus::parse)?,
        attempts: r.req_i32("attempts")?,
        last_status_code: code,
        last_error: r.text("last_error")?,
        created_at: r.req_time("created_at")?,
        updated_at: r.req_time("updated_at")?,
    })
}

fn attempt_row(r: &dyn Columns) -> Result<WebhookAttempt, StoreError> {
    let code = r
        .int("status_code")?
        .map(|c| i32::try_from(c).map_err(|_| StoreError::Corrupt("status code".into())))
        .transpose()?;
    Ok(WebhookAttempt {
        delivery_id: WebhookDeliveryId::from_uuid(r.req_id("delivery_id")?),
        account_id: AccountId::from_uuid(r.req_id("account_id")?),
        attempted_at: r.req_time("attempted_at")?,
        status_code: code,
        duration_ms: r.req_int("duration_ms")?,
        error: r.text("error")?,
    })
}
