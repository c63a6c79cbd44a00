//! The store's logic and its portable SQL, written once against [`Engine`](crate::engine::Engine)
//! and shared by both backends. Statements that differ between SQLite and PostgreSQL live in
//! `sqlite.rs` and `postgres.rs`.

pub(crate) mod account;
pub(crate) mod auth_pass;
pub(crate) mod blob;
pub(crate) mod contact;
pub(crate) mod credential;
pub(crate) mod dialect_key;
pub(crate) mod download_link;
pub(crate) mod envelope;
pub(crate) mod job;
pub(crate) mod job_admin;
pub(crate) mod notarization;
pub(crate) mod oauth;
pub(crate) mod oidc;
pub(crate) mod otp;
pub(crate) mod password_reset;
pub(crate) mod reminder;
pub(crate) mod retention;
pub(crate) mod save;
pub(crate) mod webhook;

/// Implements [`signet_core::port::Store`] for a backend type that implements
/// [`Engine`](crate::engine::Engine), by forwarding to the shared functions. A macro because the
/// orphan rule forbids a blanket `impl<E: Engine> Store for E`.
macro_rules! impl_store {
    ($backend:ty) => {
        // The block scopes the imports to this impl.
        const _: () = {
            use signet_core::id::{
                AccountId, ApiKeyId, EnvelopeId, JobId, OAuthClientId, OAuthTokenId,
                PasswordResetId, SignerId, UserId,
            };
            use signet_core::model::{
                Account, ApiKey, AuditEvent, AuthCode, Envelope, EnvelopeRecord, Job, JobStatus,
                KeyKind, NewJob, OAuthClient, OAuthToken, PasswordReset, User, WebSession,
            };
            use signet_core::port::{EnvelopeChange, EnvelopeFilter, StoreError};
            use time::OffsetDateTime;

            #[async_trait::async_trait]
            impl signet_core::port::Store for $backend {
                async fn ping(&self) -> Result<(), StoreError> {
                    crate::engine::Engine::fetch(self, "SELECT 1", Vec::new())
                        .await
                        .map(drop)
                }
                async fn create_account(
                    &self,
                    account: &Account,
                    owner: &User,
                    key: &ApiKey,
                ) -> Result<(), StoreError> {
                    crate::query::account::create_account(self, account, owner, key).await
                }
                async fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError> {
                    crate::query::account::account(self, id).await
                }
                async fn set_account_pades_level(
                    &self,
                    id: AccountId,
                    level: Option<signet_core::model::PadesLevel>,
                ) -> Result<bool, StoreError> {
                    crate::query::account::set_account_pades_level(self, id, level).await
                }
                async fn set_account_password_grant(
                    &self,
                    id: AccountId,
                    enabled: bool,
                ) -> Result<bool, StoreError> {
                    crate::query::account::set_account_password_grant(self, id, enabled).await
                }
                async fn set_account_reactivation_days(
                    &self,
                    id: AccountId,
                    days: Option<i32>,
                ) -> Result<bool, StoreError> {
                    crate::query::account::set_account_reactivation_days(self, id, days).await
                }
                async fn user(
                    &self,
                    account: AccountId,
                    id: UserId,
                ) -> Result<Option<User>, StoreError> {
                    crate::query::account::user(self, account, id).await
                }
                async fn api_key_by_lookup(
                    &self,
                    lookup_id: &str,
                ) -> Result<Option<ApiKey>, StoreError> {
                    crate::query::account::api_key_by_lookup(self, lookup_id).await
                }
                async fn touch_api_key(
                    &self,
                    id: ApiKeyId,
                    at: OffsetDateTime,
                ) -> Result<(), StoreError> {
                    crate::query::account::touch_api_key(self, id, at).await
                }
                async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
                    crate::query::password_reset::user_by_email(self, email).await
                }
                async fn create_password_reset(
                    &self,
                    reset: &PasswordReset,
                    job: &NewJob,
                ) -> Result<(), StoreError> {
                    crate::query::password_reset::create_password_reset(self, reset, job).await
                }
                async fn password_reset(
                    &self,
                    account: AccountId,
                    id: PasswordResetId,
                ) -> Result<Option<PasswordReset>, StoreError> {
                    crate::query::password_reset::password_reset(self, account, id).await
                }
                async fn password_reset_by_token(
                    &self,
                    token_hash: &[u8; 32],
                ) -> Result<Option<PasswordReset>, StoreError> {
                    crate::query::password_reset::password_reset_by_token(self, token_hash).await
                }
                async fn use_password_reset(
                    &self,
                    reset: &PasswordReset,
                    password_hash: &str,
                    now: OffsetDateTime,
                ) -> Result<bool, StoreError> {
                    crate::query::password_reset::use_password_reset(
                        self,
                        reset,
                        password_hash,
                        now,
                    )
                    .await
                }
                async fn create_user(&self, user: &User) -> Result<(), StoreError> {
                    crate::query::credential::create_user(self, user).await
                }
                async fn list_users(&self, account: AccountId) -> Result<Vec<User>, StoreError> {
                    crate::query::credential::list_users(self, account).await
                }
                async fn disable_user(
                    &self,
                    account: AccountId,
                    id: UserId,
                    at: OffsetDateTime,
                ) -> Result<bool, StoreError> {
                    crate::query::credential::disable_user(self, account, id, at).await
                }
                async fn create_api_key(&self, key: &ApiKey) -> Result<(), StoreError> {
                    crate::query::credential::create_api_key(self, key).await
                }
                async fn api_key(
                    &self,
                    account: AccountId,
                    id: ApiKeyId,
                ) -> Result<Option<ApiKey>, StoreError> {
                    crate::query::credential::api_key(self, account, id).await
                }
                async fn list_api_keys(
                    &self,
                    account: AccountId,
                    kind: KeyKind,
                    user: Option<UserId>,
                ) -> Result<Vec<ApiKey>, StoreError> {
                    crate::query::credential::list_api_keys(self, account, kind, user).await
                }
                async fn revoke_api_key(
                    &self,
                    account: AccountId,
                    id: ApiKeyId,
                    at: OffsetDateTime,
                ) -> Result<bool, StoreError> {
                    crate::query::credential::revoke_api_key(self, account, id, at).await
                }
                async fn account_owner(
                    &self,
                    account: AccountId,
                ) -> Result<Option<User>, StoreError> {
                    crate::query::oauth::account_owner(self, account).await
                }
                async fn create_web_session(&self, session: &WebSession) -> Result<(), StoreError> {
                    crate::query::oauth::create_web_session(self, session).await
                }
                async fn web_session(
                    &self,
                    hash: &[u8; 32],
                ) -> Result<Option<WebSession>, StoreError> {
                    crate::query::oauth::session(self, hash).await
                }
                async fn touch_web_session(
                    &self,
                    hash: &[u8; 32],
                    at: OffsetDateTime,
                ) -> Result<(), StoreError> {
                    crate::query::oauth::touch_web_session(self, hash, at).await
                }
                async fn delete_web_session(&self, hash: &[u8; 32]) -> Result<(), StoreError> {
                    crate::query::oauth::delete_web_session(self, hash).await
                }
                async fn create_oauth_client(
                    &self,
                    client: &OAuthClient,
                ) -> Result<(), StoreError> {
                    crate::query::oauth::create_oauth_client(self, client).await
                }
                async fn oauth_client(
                    &self,
                    id: OAuthClientId,
                ) -> Result<Option<OAuthClient>, StoreError> {
                    crate::query::oauth::client_by_id(self, id).await
                }
                async fn account_oauth_client(
                    &self,
                    account: AccountId,
                    id: OAuthClientId,
                ) -> Result<Option<OAuthClient>, StoreError> {
                    crate::query::oauth::account_client(self, account, id).await
                }
                async fn oauth_clients(
                    &self,
                    account: AccountId,
                ) -> Result<Vec<OAuthClient>, StoreError> {
                    crate::query::oauth::clients(self, account).await
                }
                async fn delete_oauth_client(
                    &self,
                    account: AccountId,
                    id: OAuthClientId,
                ) -> Result<bool, StoreError> {
                    crate::query::oauth::delete_client(self, account, id).await
                }
                async fn create_auth_code(&self, code: &AuthCode) -> Result<(), StoreError> {
                    crate::query::oauth::create_auth_code(self, code).await
                }
                async fn use_auth_code(
                    &self,
                    hash: &[u8; 32],
                    now: OffsetDateTime,
                ) -> Result<Option<(AuthCode, bool)>, StoreError> {
                    crate::query::oauth::use_auth_code(self, hash, now).await
                }
                async fn issue_oauth_tokens(
                    &self,
                    rotated: Option<&OAuthToken>,
                    tokens: &[OAuthToken],
                    now: OffsetDateTime,
                ) -> Result<bool, StoreError> {
                    crate::query::oauth::issue_tokens(self, rotated, tokens, now).await
                }
                async fn oauth_token(
                    &self,
                    hash: &[u8; 32],
                ) -> Result<Option<OAuthToken>, StoreError> {
                    crate::query::oauth::token_by_hash(self, hash).await
                }
                async fn revoke_token_family(
                    &self,
                    family_id: uuid::Uuid,
                    now: OffsetDateTime,
                ) -> Result<(), StoreError> {
                    crate::query::oauth::revoke_family(self, family_id, now).await
                }
                async fn revoke_oauth_token(
                    &self,
                    id: OAuthTokenId,
                    now: OffsetDateTime,
                ) -> Result<(), StoreError> {
                    crate::query::oauth::revoke_token(self, id, now).await
                }
                async fn save_envelope(&self, change: &EnvelopeChange) -> Result<(), StoreError> {
                    crate::query::save::save_envelope(self, change).await
                }
                async fn load_envelope(
                    &self,
                    account: AccountId,
                    id: EnvelopeId,
                ) -> Result<Option<EnvelopeRecord>, StoreError> {
                    crate::query::envelope::load_envelope(self, account, id).await
                }
                async fn list_envelopes(
                    &self,
                    account: AccountId,
                    filter: &EnvelopeFilter,
                    before: Option<EnvelopeId>,
                    limit: u32,
                ) -> Result<Vec<Envelope>, StoreError> {
                    crate::query::envelope::list_envelopes(self, account, filter, before, limit)
                        .await
                }
                async fn signer_by_token(
                    &self,
                    token_hash: &[u8; 32],
                ) -> Result<Option<(AccountId, EnvelopeId, SignerId)>, StoreError> {
                    crate::query::envelope::signer_by_token(self, token_hash).await
                }
                async fn envelope_by_sealed_sha256(
                    &self,
                    account: AccountId,
                    sha256: &[u8; 32],
                ) -> Result<Option<(EnvelopeId, bool)>, StoreError> {
                    crate::query::envelope::envelope_by_sealed_sha256(self, account, sha256).await
                }
                async fn envelope_of_document(
                    &self,
                    account: AccountId,
                    document: signet_core::id::DocumentId,
                ) -> Result<Option<EnvelopeId>, StoreError> {
                    crate::query::notarization::envelope_of_document(self, account, document).await
                }
                async fn envelope_by_original_sha256(
                    &self,
                    account: AccountId,
                    sha256: &[u8; 32],
                ) -> Result<Option<(EnvelopeId, signet_core::id::DocumentId)>, StoreError> {
                    crate::query::notarization::envelope_by_original_sha256(self, account, sha256)
                        .await
                }
                async fn put_notarization(
                    &self,
                    notarization: &signet_core::model::Notarization,
                ) -> Result<signet_core::model::Notarization, StoreError> {
                    crate::query::notarization::put_notarization(self, notarization).await
                }
                async fn notarization(
                    &self,
                    account: AccountId,
                    document_sha256: &[u8; 32],
                ) -> Result<Option<signet_core::model::Notarization>, StoreError> {
                    crate::query::notarization::notarization(self, account, document_sha256).await
                }
                async fn notarization_by_certificate(
                    &self,
                    account: AccountId,
                    certificate_sha256: &[u8; 32],
                ) -> Result<Option<signet_core::model::Notarization>, StoreError> {
                    crate::query::notarization::notarization_by_certificate(
                        self,
                        account,
                        certificate_sha256,
                    )
                    .await
                }
                async fn events(
                    &self,
                    account: AccountId,
                    envelope: EnvelopeId,
                ) -> Result<Vec<AuditEvent>, StoreError> {
                    crate::query::envelope::events(self, account, envelope).await
                }
                async fn purge_envelope(
                    &self,
                    account: AccountId,
                    id: EnvelopeId,
                    expected_version: i64,
                ) -> Result<(), StoreError> {
                    crate::query::envelope::purge_envelope(self, account, id, expected_version)
                        .await
                }
                async fn envelope_attributes(
                    &self,
                    account: AccountId,
                    id: EnvelopeId,
                ) -> Result<Option<serde_json::Value>, StoreError> {
                    crate::query::contact::envelope_attributes(self, account, id).await
                }
                async fn create_contact(
                    &self,
                    contact: &signet_core::model::Contact,
                ) -> Result<(), StoreError> {
                    crate::query::contact::create_contact(self, contact).await
                }
                async fn contact(
                    &self,
                    account: AccountId,
                    id: signet_core::id::ContactId,
                ) -> Result<Option<signet_core::model::Contact>, StoreError> {
                    crate::query::contact::contact(self, account, id).await
                }
                async fn enqueue_jobs(&self, jobs: &[NewJob]) -> Result<(), StoreError> {
                    crate::query::job::enqueue_jobs(self, jobs).await
                }
                async fn claim_jobs(
                    &self,
                    worker: &str,
                    now: OffsetDateTime,
                    lease_until: OffsetDateTime,
                    limit: u32,
                ) -> Result<Vec<Job>, StoreError> {
                    crate::query::job::claim_jobs(self, worker, now, lease_until, limit).await
                }
                async fn extend_lease(
                    &self,
                    id: JobId,
                    worker: &str,
                    lease_until: OffsetDateTime,
                ) -> Result<bool, StoreError> {
                    crate::query::job::extend_lease(self, id, worker, lease_until).await
                }
                async fn finish_job(
                    &self,
                    id: JobId,
                    worker: &str,
                    now: OffsetDateTime,
                ) -> Result<bool, StoreError> {
                    crate::query::job::finish_job(self, id, worker, now).await
                }
                async fn retry_job(
                    &self,
                    id: JobId,
                    worker: &str,
                    error: &str,
                    run_at: OffsetDateTime,
                    now: OffsetDateTime,
                ) -> Result<bool, StoreError> {
                    crate::query::job::retry_job(self, id, worker, error, run_at, now).await
                }
                async fn bury_job(
                    &self,
                    id: JobId,
                    worker: &str,
                    error: &str,
                    now: OffsetDateTime,
                ) -> Result<bool, StoreError> {
                    crate::query::job::bury_job(self, id, worker, error, now).await
                }
                async fn list_jobs(
                    &self,
                    status: Option<JobStatus>,
                    limit: u32,
                ) -> Result<Vec<Job>, StoreError> {
                    crate::query::job::list_jobs(self, status, limit).await
                }
                async fn instance_secret(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
                    crate::query::account::instance_secret(self, name).await
                }
                async fn put_instance_secret_if_absent(
                    &self,
                    name: &str,
                    value: &[u8],
                ) -> Result<Vec<u8>, StoreError> {
                    crate::query::account::put_instance_secret_if_absent(self, name, value).await
                }
                async fn create_webhook_endpoint(
                    &self,
                    endpoint: &signet_core::model::WebhookEndpoint,
                ) -> Result<(), StoreError> {
                    crate::query::webhook::create_endpoint(self, endpoint).await
                }
                async fn webhook_endpoints(
                    &self,
                    account: AccountId,
                ) -> Result<Vec<signet_core::model::WebhookEndpoint>, StoreError> {
                    crate::query::webhook::endpoints(self, account).await
                }
                async fn webhook_endpoint(
                    &self,
                    account: AccountId,
                    id: signet_core::id::WebhookEndpointId,
                ) -> Result<Option<signet_core::model::WebhookEndpoint>, StoreError> {
                    crate::query::webhook::endpoint(self, account, id).await
                }
                async fn update_webhook_endpoint(
                    &self,
                    endpoint: &signet_core::model::WebhookEndpoint,
                ) -> Result<bool, StoreError> {
                    crate::query::webhook::update_endpoint(self, endpoint).await
                }
                async fn delete_webhook_endpoint(
                    &self,
                    account: AccountId,
                    id: signet_core::id::WebhookEndpointId,
                ) -> Result<bool, StoreError> {
                    crate::query::webhook::delete_endpoint(self, account, id).await
                }
                async fn webhook_deliveries(
                    &self,
                    account: AccountId,
                    endpoint: signet_core::id::WebhookEndpointId,
                    limit: u32,
                ) -> Result<Vec<signet_core::model::WebhookDelivery>, StoreError> {
                    crate::query::webhook::deliveries(self, account, endpoint, limit).await
                }
                async fn webhook_delivery(
                    &self,
                    account: AccountId,
                    id: signet_core::id::WebhookDeliveryId,
                ) -> Result<Option<signet_core::model::WebhookDelivery>, StoreError> {
                    crate::query::webhook::delivery(self, account, id).await
                }
                async fn webhook_attempts(
                    &self,
                    account: AccountId,
                    delivery: signet_core::id::WebhookDeliveryId,
                ) -> Result<Vec<signet_core::model::WebhookAttempt>, StoreError> {
                    crate::query::webhook::attempts(self, account, delivery).await
                }
                async fn record_webhook_attempt(
                    &self,
                    attempt: &signet_core::model::WebhookAttempt,
                    status: signet_core::model::DeliveryStatus,
                    disable: Option<&str>,
                ) -> Result<(), StoreError> {
                    crate::query::webhook::record_attempt(self, attempt, status, disable).await
                }
                async fn resend_webhook_delivery(
                    &self,
                    account: AccountId,
                    id: signet_core::id::WebhookDeliveryId,
                    job: &NewJob,
                    now: OffsetDateTime,
                ) -> Result<bool, StoreError> {
                    crate::query::webhook::resend(self, account, id, job, now).await
                }
                async fn replace_instance_secret(
                    &self,
                    name: &str,
                    value: &[u8],
                ) -> Result<(), StoreError> {
                    crate::query::account::replace_instance_secret(self, name, value).await
                }
                async fn dialect_key_of(
                    &self,
                    account: AccountId,
                    dialect: &str,
                    object: signet_core::model::KeyedObject,
                ) -> Result<Option<signet_core::model::DialectKey>, StoreError> {
                    crate::query::dialect_key::dialect_key_of(self, account, dialect, object).await
                }
                async fn dialect_key_by_key(
                    &self,
                    account: AccountId,
                    dialect: &str,
                    kind: &str,
                    key: &str,
                ) -> Result<Option<signet_core::model::DialectKey>, StoreError> {
                    crate::query::dialect_key::dialect_key_by_key(self, account, dialect, kind, key)
                        .await
                }
                async fn insert_dialect_key(
                    &self,
                    key: &signet_core::model::DialectKey,
                ) -> Result<(), StoreError> {
                    crate::query::dialect_key::insert_dialect_key(self, key).await
                }
                async fn set_dialect_key_data(
                    &self,
                    account: AccountId,
                    dialect: &str,
                    object: signet_core::model::KeyedObject,
                    data: &serde_json::Value,
                ) -> Result<bool, StoreError> {
                    crate::query::dialect_key::set_dialect_key_data(
                        self, account, dialect, object, data,
                    )
                    .await
                }
                async fn set_account_default_language(
                    &self,
                    id: AccountId,
                    language: Option<signet_core::model::Language>,
                ) -> Result<bool, StoreError> {
                    crate::query::account::set_account_default_language(self, id, language).await
                }
                async fn account_frame_ancestors(
                    &self,
                    id: AccountId,
                ) -> Result<Vec<String>, StoreError> {
                    crate::query::account::account_frame_ancestors(self, id).await
                }
                async fn set_account_frame_ancestors(
                    &self,
                    id: AccountId,
                    origins: &[String],
                ) -> Result<bool, StoreError> {
                    crate::query::account::set_account_frame_ancestors(self, id, origins).await
                }
                async fn referenced_blob_keys(
                    &self,
                    account: AccountId,
                ) -> Result<std::collections::HashSet<String>, StoreError> {
                    crate::query::blob::referenced_blob_keys(self, account).await
                }
                async fn list_account_jobs(
                    &self,
                    account: AccountId,
                    status: Option<JobStatus>,
                    kind: Option<&str>,
                    limit: u32,
                ) -> Result<Vec<Job>, StoreError> {
                    crate::query::job_admin::list_account_jobs(self, account, status, kind, limit)
                        .await
                }
                async fn job(
                    &self,
                    account: Option<AccountId>,
                    id: JobId,
                ) -> Result<Option<Job>, StoreError> {
                    crate::query::job_admin::job(self, account, id).await
                }
                async fn requeue_dead_job(
                    &self,
                    account: Option<AccountId>,
                    id: JobId,
                    now: OffsetDateTime,
                ) -> Result<Option<Job>, StoreError> {
                    crate::query::job_admin::requeue_dead_job(self, account, id, now).await
                }
                async fn release_job(&self, id: JobId, worker: &str) -> Result<bool, StoreError> {
                    crate::query::job_admin::release_job(self, id, worker).await
                }
                async fn job_queue_counts(
                    &self,
                    now: OffsetDateTime,
                ) -> Result<Vec<signet_core::model::JobQueueCount>, StoreError> {
                    crate::query::job_admin::job_queue_counts(self, now).await
                }
                async fn schema_current(&self) -> Result<bool, StoreError> {
                    crate::query::job_admin::schema_current(self).await
                }
                async fn create_signer_session(
                    &self,
                    session: &signet_core::model::SignerSession,
                ) -> Result<(), StoreError> {
                    crate::query::otp::create_signer_session(self, session).await
                }
                async fn signer_session(
                    &self,
                    hash: &[u8; 32],
                ) -> Result<Option<signet_core::model::SignerSession>, StoreError> {
                    crate::query::otp::signer_session(self, hash).await
                }
                async fn create_signer_otp(
                    &self,
                    otp: &signet_core::model::SignerOtp,
                    quota: &signet_core::model::OtpQuota,
                ) -> Result<bool, StoreError> {
                    crate::query::otp::create_signer_otp(self, otp, quota).await
                }
                async fn set_signer_otp_delivery(
                    &self,
                    account: AccountId,
                    id: uuid::Uuid,
                    delivered: bool,
                    at: OffsetDateTime,
                ) -> Result<(), StoreError> {
                    crate::query::otp::set_signer_otp_delivery(self, account, id, delivered, at)
                        .await
                }
                async fn signer_otps_since(
                    &self,
                    account: AccountId,
                    signer: SignerId,
                    since: OffsetDateTime,
                ) -> Result<Vec<signet_core::model::SignerOtp>, StoreError> {
                    crate::query::otp::signer_otps_since(self, account, signer, since).await
                }
                async fn latest_signer_otp(
                    &self,
                    account: AccountId,
                    signer: SignerId,
                    session_hash: &[u8; 32],
                ) -> Result<Option<signet_core::model::SignerOtp>, StoreError> {
                    crate::query::otp::latest_signer_otp(self, account, signer, session_hash).await
                }
                async fn count_signer_otp_attempt(
                    &self,
                    account: AccountId,
                    id: uuid::Uuid,
                    max: i32,
                ) -> Result<Option<i32>, StoreError> {
                    crate::query::otp::count_signer_otp_attempt(self, account, id, max).await
                }
                async fn verify_signer_session(
                    &self,
                    account: AccountId,
                    otp_id: uuid::Uuid,
                    old_hash: &[u8; 32],
                    session: &signet_core::model::SignerSession,
                ) -> Result<bool, StoreError> {
                    crate::query::otp::verify_signer_session(
                        self, account, otp_id, old_hash, session,
                    )
                    .await
                }

                async fn create_signer_oidc_request(
                    &self,
                    request: &signet_core::model::SignerOidcRequest,
                ) -> Result<(), StoreError> {
                    crate::query::oidc::create_signer_oidc_request(self, request).await
                }
                async fn signer_oidc_request(
                    &self,
                    state_hash: &[u8; 32],
                ) -> Result<Option<signet_core::model::SignerOidcRequest>, StoreError> {
                    crate::query::oidc::signer_oidc_request(self, state_hash).await
                }
                async fn use_signer_oidc_request(
                    &self,
                    account: AccountId,
                    state_hash: &[u8; 32],
                    at: time::OffsetDateTime,
                ) -> Result<bool, StoreError> {
                    crate::query::oidc::use_signer_oidc_request(self, account, state_hash, at).await
                }
                async fn replace_signer_session(
                    &self,
                    account: AccountId,
                    old_hash: &[u8; 32],
                    session: &signet_core::model::SignerSession,
                ) -> Result<bool, StoreError> {
                    crate::query::oidc::replace_signer_session(self, account, old_hash, session)
                        .await
                }
                async fn create_signer_auth_pass(
                    &self,
                    pass: &signet_core::model::SignerAuthPass,
                ) -> Result<(), StoreError> {
                    crate::query::auth_pass::create_signer_auth_pass(self, pass).await
                }
                async fn signer_auth_pass(
                    &self,
                    account: AccountId,
                    hash: &[u8; 32],
                ) -> Result<Option<signet_core::model::SignerAuthPass>, StoreError> {
                    crate::query::auth_pass::signer_auth_pass(self, account, hash).await
                }

                // --- retention ---
                async fn account_retention(
                    &self,
                    account: AccountId,
                ) -> Result<Option<signet_core::model::RetentionRule>, StoreError> {
                    crate::query::retention::account_retention(self, account).await
                }
                async fn set_account_retention(
                    &self,
                    account: AccountId,
                    rule: Option<signet_core::model::RetentionRule>,
                ) -> Result<bool, StoreError> {
                    crate::query::retention::set_account_retention(self, account, rule).await
                }
                async fn retention_accounts(
                    &self,
                ) -> Result<Vec<(AccountId, signet_core::model::RetentionRule)>, StoreError>
                {
                    crate::query::retention::retention_accounts(self).await
                }
                async fn envelopes_due_for_purge(
                    &self,
                    account: AccountId,
                    finished_before: OffsetDateTime,
                    limit: u32,
                ) -> Result<Vec<EnvelopeId>, StoreError> {
                    crate::query::retention::envelopes_due_for_purge(
                        self,
                        account,
                        finished_before,
                        limit,
                    )
                    .await
                }
                async fn purge_finished_envelope(
                    &self,
                    tombstone: &signet_core::model::Tombstone,
                    expected_version: i64,
                ) -> Result<bool, StoreError> {
                    crate::query::retention::purge_finished_envelope(
                        self,
                        tombstone,
                        expected_version,
                    )
                    .await
                }
                async fn tombstone(
                    &self,
                    account: AccountId,
                    envelope: EnvelopeId,
                ) -> Result<Option<signet_core::model::Tombstone>, StoreError> {
                    crate::query::retention::tombstone(self, account, envelope).await
                }
                async fn tombstone_by_sealed_sha256(
                    &self,
                    sha256: &[u8; 32],
                ) -> Result<
                    Option<(
                        signet_core::model::Tombstone,
                        signet_core::model::TombstoneFile,
                    )>,
                    StoreError,
                > {
                    crate::query::retention::tombstone_by_sealed_sha256(self, sha256).await
                }

                // --- scheduled reminders ---
                async fn account_reminders(
                    &self,
                    account: AccountId,
                ) -> Result<Option<signet_core::model::ReminderSchedule>, StoreError> {
                    crate::query::reminder::account_reminders(self, account).await
                }
                async fn set_account_reminders(
                    &self,
                    account: AccountId,
                    schedule: Option<signet_core::model::ReminderSchedule>,
                ) -> Result<bool, StoreError> {
                    crate::query::reminder::set_account_reminders(self, account, schedule).await
                }

                // --- completed documents ---
                async fn account_completed_documents(
                    &self,
                    account: AccountId,
                ) -> Result<Option<signet_core::model::CompletedDocuments>, StoreError> {
                    crate::query::download_link::account_completed_documents(self, account).await
                }
                async fn set_account_completed_documents(
                    &self,
                    account: AccountId,
                    choice: Option<signet_core::model::CompletedDocuments>,
                ) -> Result<bool, StoreError> {
                    crate::query::download_link::set_account_completed_documents(
                        self, account, choice,
                    )
                    .await
                }
                async fn insert_download_link(
                    &self,
                    link: &signet_core::model::DownloadLink,
                ) -> Result<(), StoreError> {
                    crate::query::download_link::insert_download_link(self, link).await
                }
                async fn download_link_by_hash(
                    &self,
                    token_hash: &[u8; 32],
                ) -> Result<Option<signet_core::model::DownloadLink>, StoreError> {
                    crate::query::download_link::download_link_by_hash(self, token_hash).await
                }
            }
        };
    };
}
pub(crate) use impl_store;
