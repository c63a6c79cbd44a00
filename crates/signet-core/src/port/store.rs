use async_trait::async_trait;
use time::OffsetDateTime;

use crate::id::{
    AccountId, ApiKeyId, ContactId, DocumentId, EnvelopeId, JobId, OAuthClientId, PasswordResetId,
    SignerId, UserId, WebhookDeliveryId, WebhookEndpointId,
};
use crate::model::JobQueueCount;
use crate::model::{
    Account, ApiKey, AuditEvent, AuthCode, Contact, DialectKey, Document, Envelope, EnvelopeRecord,
    EnvelopeStatus, Field, Job, JobStatus, KeyKind, KeyedObject, NewJob, Notarization, OAuthClient,
    OAuthToken, OtpQuota, PasswordReset, Signer, SignerAuthPass, SignerOidcRequest, SignerOtp,
    SignerSession, User, WebSession, WebhookAttempt, WebhookDelivery, WebhookEndpoint,
    WebhookMessage,
};

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The envelope's version changed since it was read (or an event sequence number was
    /// taken): somebody else wrote first. The caller re-reads and retries.
    #[error("the envelope was modified concurrently")]
    VersionConflict,
    /// A uniqueness rule was violated; the text names the value (e.g. "external_key").
    #[error("{0} is already in use")]
    Duplicate(String),
    /// A stored row could not be decoded into the domain type (corrupt or foreign data).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Backend(String),
}

/// Everything one use case writes about one envelope, applied in a single transaction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnvelopeChange {
    /// The envelope row as it must be after the change; its `version` is the new version.
    pub envelope: Option<Envelope>,
    /// `None` inserts a new envelope; `Some(v)` updates only if the stored version is `v`,
    /// else the whole change fails with [`StoreError::VersionConflict`].
    pub expected_version: Option<i64>,
    /// Documents to insert or update (by id).
    pub documents: Vec<Document>,
    /// Signers to insert or update (by id).
    pub signers: Vec<Signer>,
    /// Fields to insert or update (by id).
    pub fields: Vec<Field>,
    /// Audit events to append. A duplicate (envelope, seq) fails with `VersionConflict`.
    pub events: Vec<AuditEvent>,
    /// Jobs to enqueue; a job whose `dedupe_key` already exists is silently skipped.
    pub jobs: Vec<NewJob>,
    /// Documents of a draft to delete (by id), with the fields placed on them.
    pub removed_documents: Vec<DocumentId>,
    /// Signers of a draft to delete (by id), with their fields.
    pub removed_signers: Vec<SignerId>,
    /// The envelope's front-door attributes (one JSON document) to store, replacing any
    /// earlier ones; `None` leaves them alone.
    pub attributes: Option<serde_json::Value>,
    /// Webhook events of the change: each becomes, in the same transaction, one delivery (and
    /// one `deliver_webhook` job) per enabled endpoint of the account subscribed to its type.
    pub webhooks: Vec<WebhookMessage>,
}

/// Filters for listing envelopes. Deleted envelopes are never listed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvelopeFilter {
    /// Only envelopes in this status.
    pub status: Option<EnvelopeStatus>,
    /// Only envelopes in one of these statuses (empty: any status).
    pub statuses: Vec<EnvelopeStatus>,
    /// Only envelopes that were sent (`true`) or never sent (`false`).
    pub sent: Option<bool>,
    /// Only the envelope with this external key.
    pub external_key: Option<String>,
}

/// Persistence of the domain. Every method that touches envelope data is scoped by account:
/// an id from another account behaves exactly like an id that does not exist.
#[async_trait]
pub trait Store: Send + Sync {
    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    // --- accounts and credentials ---

    /// Creates an account with its owner and first API key, atomically.
    /// A user e-mail already in use fails with `Duplicate("email")`.
    async fn create_account(
        &self,
        account: &Account,
        owner: &User,
        key: &ApiKey,
    ) -> Result<(), StoreError>;
    /// An account by id.
    async fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError>;
    /// Sets (or with `None` clears) an account's PAdES level; false when there is no such account.
    async fn set_account_pades_level(
        &self,
        id: AccountId,
        level: Option<crate::model::PadesLevel>,
    ) -> Result<bool, StoreError>;
    /// Turns the password grant on or off for an account; false when there is no such account.
    async fn set_account_password_grant(
        &self,
        id: AccountId,
        enabled: bool,
    ) -> Result<bool, StoreError>;
    /// Sets (or with `None` clears) how many days a reactivated envelope of the account stays
    /// open; false when there is no such account.
    async fn set_account_reactivation_days(
        &self,
        id: AccountId,
        days: Option<i32>,
    ) -> Result<bool, StoreError>;
    /// A user of an account by id.
    async fn user(&self, account: AccountId, id: UserId) -> Result<Option<User>, StoreError>;
    /// An API key by the public lookup id embedded in it (not scoped: this is how the account is
    /// found).
    async fn api_key_by_lookup(&self, lookup_id: &str) -> Result<Option<ApiKey>, StoreError>;
    /// Records that a key was used.
    async fn touch_api_key(&self, id: ApiKeyId, at: OffsetDateTime) -> Result<(), StoreError>;

    // --- password resets ---

    /// A user by login e-mail address, compared case-insensitively (not scoped: the address is
    /// the login, unique across the instance).
    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError>;
    /// Records a reset and the job that mails it, atomically, revoking (as of the reset's
    /// `created_at`) the user's earlier resets that are neither used nor revoked.
    async fn create_password_reset(
        &self,
        reset: &PasswordReset,
        job: &NewJob,
    ) -> Result<(), StoreError>;
    /// A reset of an account by id.
    async fn password_reset(
        &self,
        account: AccountId,
        id: PasswordResetId,
    ) -> Result<Option<PasswordReset>, StoreError>;
    /// A reset by the SHA-256 of its token (not scoped: the token is the credential).
    async fn password_reset_by_token(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<PasswordReset>, StoreError>;
    /// Uses a reset, atomically: if at `now` it is neither used, revoked nor expired and its
    /// user is not disabled, marks it used, sets the user's password hash, revokes the
    /// user's other open resets and ends the user's web sessions. Returns false, changing nothing, otherwise. Of concurrent
    /// calls for one reset, at most one returns true.
    async fn use_password_reset(
        &self,
        reset: &PasswordReset,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    // --- users and credentials of an account (all scoped by account) ---

    /// Adds a user to its account. An e-mail already in use (instance-wide, case-insensitively)
    /// fails with `Duplicate("email")`.
    async fn create_user(&self, user: &User) -> Result<(), StoreError>;
    /// The users of an account, oldest first.
    async fn list_users(&self, account: AccountId) -> Result<Vec<User>, StoreError>;
    /// Disables an active user at `at`, unless that would leave the account without an active
    /// owner; true when the user was disabled now. Atomic: two owners disabling each other
    /// concurrently cannot both succeed.
    async fn disable_user(
        &self,
        account: AccountId,
        id: UserId,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// Stores a new API key or personal access token.
    async fn create_api_key(&self, key: &ApiKey) -> Result<(), StoreError>;
    /// An API key or personal access token of an account by id.
    async fn api_key(&self, account: AccountId, id: ApiKeyId)
    -> Result<Option<ApiKey>, StoreError>;
    /// The credentials of one kind in an account (only `user`'s when given), oldest first.
    async fn list_api_keys(
        &self,
        account: AccountId,
        kind: KeyKind,
        user: Option<UserId>,
    ) -> Result<Vec<ApiKey>, StoreError>;
    /// Revokes a credential at `at` unless it is already revoked; true when it was revoked now.
    async fn revoke_api_key(
        &self,
        account: AccountId,
        id: ApiKeyId,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    // --- login and OAuth2 ---

    /// The account's first owner.
    async fn account_owner(&self, account: AccountId) -> Result<Option<User>, StoreError>;

    // --- web sessions and OAuth2 ---

    /// Stores a new web session.
    async fn create_web_session(&self, session: &WebSession) -> Result<(), StoreError>;
    /// A web session by the hash of its cookie (not scoped: the cookie is the credential).
    async fn web_session(&self, hash: &[u8; 32]) -> Result<Option<WebSession>, StoreError>;
    /// Records activity on a session.
    async fn touch_web_session(
        &self,
        hash: &[u8; 32],
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;
    /// Ends a session (logout); nothing happens when there is none.
    async fn delete_web_session(&self, hash: &[u8; 32]) -> Result<(), StoreError>;
    /// Registers an OAuth2 client.
    async fn create_oauth_client(&self, client: &OAuthClient) -> Result<(), StoreError>;
    /// A client by id (not scoped: the token endpoint finds the account through it).
    async fn oauth_client(&self, id: OAuthClientId) -> Result<Option<OAuthClient>, StoreError>;
    /// A client of an account by id.
    async fn account_oauth_client(
        &self,
        account: AccountId,
        id: OAuthClientId,
    ) -> Result<Option<OAuthClient>, StoreError>;
    /// The account's clients, oldest first.
    async fn oauth_clients(&self, account: AccountId) -> Result<Vec<OAuthClient>, StoreError>;
    /// Deletes a client of an account with its codes and tokens; false when there is none.
    async fn delete_oauth_client(
        &self,
        account: AccountId,
        id: OAuthClientId,
    ) -> Result<bool, StoreError>;
    /// Stores an authorization code.
    async fn create_auth_code(&self, code: &AuthCode) -> Result<(), StoreError>;
    /// Marks a code used at `now` and returns it with `true` when this call used it first,
    /// `false` when it had been used already (a replay); `None` when there is no such code.
    async fn use_auth_code(
        &self,
        hash: &[u8; 32],
        now: OffsetDateTime,
    ) -> Result<Option<(AuthCode, bool)>, StoreError>;
    /// Stores issued tokens. With `rotated`, first marks that refresh token used, atomically:
    /// when it was used or revoked already nothing is stored and the result is `false`.
    async fn issue_oauth_tokens(
        &self,
        rotated: Option<&OAuthToken>,
        tokens: &[OAuthToken],
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// A token by the hash of its text (not scoped: the token is the credential).
    async fn oauth_token(&self, hash: &[u8; 32]) -> Result<Option<OAuthToken>, StoreError>;
    /// Revokes every live token of a family.
    async fn revoke_token_family(
        &self,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;
    /// Revokes one token.
    async fn revoke_oauth_token(
        &self,
        id: crate::id::OAuthTokenId,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;

    // --- envelopes ---

    /// Applies a change atomically (see [`EnvelopeChange`]).
    async fn save_envelope(&self, change: &EnvelopeChange) -> Result<(), StoreError>;
    /// An envelope with its documents, signers, fields and chain head (deleted ones included;
    /// the core decides what to show).
    async fn load_envelope(
        &self,
        account: AccountId,
        id: EnvelopeId,
    ) -> Result<Option<EnvelopeRecord>, StoreError>;
    /// Envelopes of an account, newest first, strictly older than `before` when given.
    async fn list_envelopes(
        &self,
        account: AccountId,
        filter: &EnvelopeFilter,
        before: Option<EnvelopeId>,
        limit: u32,
    ) -> Result<Vec<Envelope>, StoreError>;
    /// Resolves a signing-link token hash (not scoped: the token is the credential).
    async fn signer_by_token(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<(AccountId, EnvelopeId, SignerId)>, StoreError>;
    /// The envelope (not deleted) of `account` whose sealed document (`false`) or proof
    /// (`true`) has this SHA-256.
    async fn envelope_by_sealed_sha256(
        &self,
        account: AccountId,
        sha256: &[u8; 32],
    ) -> Result<Option<(EnvelopeId, bool)>, StoreError>;
    /// The envelope (not deleted) of `account` holding the document with this id.
    async fn envelope_of_document(
        &self,
        account: AccountId,
        document: DocumentId,
    ) -> Result<Option<EnvelopeId>, StoreError>;
    /// The newest envelope (not deleted) of `account` holding a document whose original
    /// upload has this SHA-256, with that document's id.
    async fn envelope_by_original_sha256(
        &self,
        account: AccountId,
        sha256: &[u8; 32],
    ) -> Result<Option<(EnvelopeId, DocumentId)>, StoreError>;
    /// Stores a notarization unless the account has one for its document hash already;
    /// returns the one stored afterwards (this one, or the one stored first).
    async fn put_notarization(
        &self,
        notarization: &Notarization,
    ) -> Result<Notarization, StoreError>;
    /// The account's notarization of a document hash.
    async fn notarization(
        &self,
        account: AccountId,
        document_sha256: &[u8; 32],
    ) -> Result<Option<Notarization>, StoreError>;
    /// The account's notarization whose certificate PDF has this SHA-256.
    async fn notarization_by_certificate(
        &self,
        account: AccountId,
        certificate_sha256: &[u8; 32],
    ) -> Result<Option<Notarization>, StoreError>;
    /// An envelope's audit events in sequence order.
    async fn events(
        &self,
        account: AccountId,
        envelope: EnvelopeId,
    ) -> Result<Vec<AuditEvent>, StoreError>;
    /// Removes a draft envelope and everything that belongs to it (rows only; the core deletes
    /// the blobs). Fails with `VersionConflict` if the version is not `expected_version`.
    async fn purge_envelope(
        &self,
        account: AccountId,
        id: EnvelopeId,
        expected_version: i64,
    ) -> Result<(), StoreError>;

    /// The front-door attributes stored with an envelope of `account` (see
    /// [`EnvelopeChange::attributes`]), if any.
    async fn envelope_attributes(
        &self,
        account: AccountId,
        id: EnvelopeId,
    ) -> Result<Option<serde_json::Value>, StoreError>;

    // --- contacts ---

    /// Records a new contact.
    async fn create_contact(&self, contact: &Contact) -> Result<(), StoreError>;
    /// A contact of `account`.
    async fn contact(
        &self,
        account: AccountId,
        id: ContactId,
    ) -> Result<Option<Contact>, StoreError>;

    // --- dialect keys ---

    /// The key `dialect` gave `object` in `account`, if any.
    async fn dialect_key_of(
        &self,
        account: AccountId,
        dialect: &str,
        object: KeyedObject,
    ) -> Result<Option<DialectKey>, StoreError>;
    /// The object of `kind` that `dialect` calls `key` in `account`, if any.
    async fn dialect_key_by_key(
        &self,
        account: AccountId,
        dialect: &str,
        kind: &str,
        key: &str,
    ) -> Result<Option<DialectKey>, StoreError>;
    /// Records a new key; [`StoreError::Duplicate`] if the object already has one or the key
    /// is taken.
    async fn insert_dialect_key(&self, key: &DialectKey) -> Result<(), StoreError>;
    /// Replaces the dialect's attributes of an object that has a key; false if it has none.
    async fn set_dialect_key_data(
        &self,
        account: AccountId,
        dialect: &str,
        object: KeyedObject,
        data: &serde_json::Value,
    ) -> Result<bool, StoreError>;

    // --- jobs ---

    /// Enqueues jobs outside an envelope change (dedupe keys honoured).
    async fn enqueue_jobs(&self, jobs: &[NewJob]) -> Result<(), StoreError>;
    /// Claims up to `limit` due jobs (pending, `run_at <= now`, no live lease) for `worker`:
    /// sets the lease to `lease_until` and counts the attempt. Safe with many workers on many
    /// processes: a job is never held by two live leases.
    async fn claim_jobs(
        &self,
        worker: &str,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError>;
    /// Extends a lease still held by `worker`; false if the lease was lost.
    async fn extend_lease(
        &self,
        id: JobId,
        worker: &str,
        lease_until: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// Marks a job done if `worker` still holds it; false if the lease was lost.
    async fn finish_job(
        &self,
        id: JobId,
        worker: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// Releases a failed attempt for a retry at `run_at`, recording the error.
    async fn retry_job(
        &self,
        id: JobId,
        worker: &str,
        error: &str,
        run_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// Marks a job dead after its last attempt, recording the error.
    async fn bury_job(
        &self,
        id: JobId,
        worker: &str,
        error: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// Jobs in a status (all when `None`), oldest first, at most `limit`.
    async fn list_jobs(
        &self,
        status: Option<JobStatus>,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError>;

    // --- instance secrets ---

    /// A named instance secret (already encrypted by the core).
    async fn instance_secret(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Stores a secret unless one with that name exists; returns the value that is stored
    /// afterwards (ours, or the one another node stored first).
    async fn put_instance_secret_if_absent(
        &self,
        name: &str,
        value: &[u8],
    ) -> Result<Vec<u8>, StoreError>;
    /// Stores a secret, replacing any value under that name (an operator's deliberate change,
    /// such as importing a seal).
    async fn replace_instance_secret(&self, name: &str, value: &[u8]) -> Result<(), StoreError>;

    // --- webhook endpoints and deliveries (all scoped by account) ---

    /// Stores a new endpoint.
    async fn create_webhook_endpoint(&self, endpoint: &WebhookEndpoint) -> Result<(), StoreError>;
    /// The account's endpoints, oldest first.
    async fn webhook_endpoints(
        &self,
        account: AccountId,
    ) -> Result<Vec<WebhookEndpoint>, StoreError>;
    /// An endpoint of the account.
    async fn webhook_endpoint(
        &self,
        account: AccountId,
        id: WebhookEndpointId,
    ) -> Result<Option<WebhookEndpoint>, StoreError>;
    /// Replaces an endpoint's mutable columns (url, description, enabled, subscription,
    /// secrets, disabled reason, updated time); false when the account has no such endpoint.
    async fn update_webhook_endpoint(&self, endpoint: &WebhookEndpoint)
    -> Result<bool, StoreError>;
    /// Deletes an endpoint with its deliveries and their attempts; false when there is none.
    async fn delete_webhook_endpoint(
        &self,
        account: AccountId,
        id: WebhookEndpointId,
    ) -> Result<bool, StoreError>;
    /// An endpoint's deliveries, newest first, at most `limit`.
    async fn webhook_deliveries(
        &self,
        account: AccountId,
        endpoint: WebhookEndpointId,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>, StoreError>;
    /// A delivery of the account.
    async fn webhook_delivery(
        &self,
        account: AccountId,
        id: WebhookDeliveryId,
    ) -> Result<Option<WebhookDelivery>, StoreError>;
    /// A delivery's attempts, oldest first.
    async fn webhook_attempts(
        &self,
        account: AccountId,
        delivery: WebhookDeliveryId,
    ) -> Result<Vec<WebhookAttempt>, StoreError>;
    /// Logs an attempt and sets the delivery's status, attempt count and last result, in one
    /// transaction; with `disable`, also disables the delivery's endpoint with that reason.
    async fn record_webhook_attempt(
        &self,
        attempt: &WebhookAttempt,
        status: crate::model::DeliveryStatus,
        disable: Option<&str>,
    ) -> Result<(), StoreError>;
    /// Sets a delivery of the account back to pending and enqueues `job` to send it again, in
    /// one transaction; false when the account has no such delivery.
    async fn resend_webhook_delivery(
        &self,
        account: AccountId,
        id: WebhookDeliveryId,
        job: &NewJob,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// Sets (or with `None` clears, meaning English) the account's default language; false
    /// when there is no such account.
    async fn set_account_default_language(
        &self,
        id: AccountId,
        language: Option<crate::model::Language>,
    ) -> Result<bool, StoreError>;
    /// The origins that may frame the account's signing pages (see
    /// [`crate::frame_ancestors`]); empty when none is set or there is no such account.
    async fn account_frame_ancestors(&self, id: AccountId) -> Result<Vec<String>, StoreError>;
    /// Replaces the origins that may frame the account's signing pages (empty: none); false
    /// when there is no such account.
    async fn set_account_frame_ancestors(
        &self,
        id: AccountId,
        origins: &[String],
    ) -> Result<bool, StoreError>;

    // --- blobs ---

    /// Every blob key a row of the account points to (documents, proofs, drawn signatures,
    /// notarization certificates; deleted envelopes included): what the orphan sweep keeps.
    async fn referenced_blob_keys(
        &self,
        account: AccountId,
    ) -> Result<std::collections::HashSet<String>, StoreError>;

    // --- job administration and queue figures ---

    /// An account's jobs, newest first, filtered by status and kind, at most `limit`.
    async fn list_account_jobs(
        &self,
        account: AccountId,
        status: Option<JobStatus>,
        kind: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError>;
    /// One job, scoped to `account` when given (`None`: the operator's instance-wide view).
    async fn job(&self, account: Option<AccountId>, id: JobId) -> Result<Option<Job>, StoreError>;
    /// Puts a dead job back in the queue, due at `now`, with its attempts reset (its last error
    /// is kept); scoped to `account` when given. `None` when no dead job matched.
    async fn requeue_dead_job(
        &self,
        account: Option<AccountId>,
        id: JobId,
        now: OffsetDateTime,
    ) -> Result<Option<Job>, StoreError>;
    /// Gives up a lease `worker` holds without recording an outcome (a graceful shutdown): the
    /// job is due again at once and the unfinished attempt is not counted; false if the lease
    /// was lost.
    async fn release_job(&self, id: JobId, worker: &str) -> Result<bool, StoreError>;
    /// Pending and dead jobs counted per kind and state, for the metrics (one grouped query).
    async fn job_queue_counts(&self, now: OffsetDateTime)
    -> Result<Vec<JobQueueCount>, StoreError>;
    /// Whether every embedded migration has been applied (and nothing unknown has).
    async fn schema_current(&self) -> Result<bool, StoreError>;

    // --- signer authentication (one-time codes and the browser sessions they unlock) ---

    /// Stores a signer's browser session.
    async fn create_signer_session(&self, session: &SignerSession) -> Result<(), StoreError>;
    /// A signer's browser session by the SHA-256 of its cookie (not scoped: the cookie is the
    /// credential; the caller checks it belongs to the signer of the link).
    async fn signer_session(&self, hash: &[u8; 32]) -> Result<Option<SignerSession>, StoreError>;
    /// Stores a new code unless the signer's codes (those whose sending did not fail) break
    /// `quota`; false, storing nothing, when they do. Atomic: concurrent requests for one
    /// signer cannot both pass the quota.
    async fn create_signer_otp(
        &self,
        otp: &SignerOtp,
        quota: &OtpQuota,
    ) -> Result<bool, StoreError>;
    /// Records the outcome of sending a code: `sent_at` when `delivered`, else `failed_at`.
    async fn set_signer_otp_delivery(
        &self,
        account: AccountId,
        id: uuid::Uuid,
        delivered: bool,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;
    /// A signer's codes made after `since` whose sending did not fail, oldest first.
    async fn signer_otps_since(
        &self,
        account: AccountId,
        signer: SignerId,
        since: OffsetDateTime,
    ) -> Result<Vec<SignerOtp>, StoreError>;
    /// The newest delivered code of a signer issued to the browser session `session_hash`.
    async fn latest_signer_otp(
        &self,
        account: AccountId,
        signer: SignerId,
        session_hash: &[u8; 32],
    ) -> Result<Option<SignerOtp>, StoreError>;
    /// Counts one verification attempt on an unused code with fewer than `max` attempts;
    /// returns the attempts made including this one, or `None` (nothing counted) when the code
    /// is used or out of attempts. Atomic.
    async fn count_signer_otp_attempt(
        &self,
        account: AccountId,
        id: uuid::Uuid,
        max: i32,
    ) -> Result<Option<i32>, StoreError>;
    /// Uses a code and verifies its browser session, atomically: marks the code used (only if
    /// it was unused) and replaces the session `old_hash` with `session` (a fresh cookie, so a
    /// cookie planted before verification is worthless after it). False, changing nothing,
    /// when the code was used already or the session is gone.
    async fn verify_signer_session(
        &self,
        account: AccountId,
        otp_id: uuid::Uuid,
        old_hash: &[u8; 32],
        session: &SignerSession,
    ) -> Result<bool, StoreError>;

    /// Stores a login at an identity provider that a signer's browser session started.
    async fn create_signer_oidc_request(
        &self,
        request: &SignerOidcRequest,
    ) -> Result<(), StoreError>;
    /// A login under way by the SHA-256 of its `state` (not scoped: the state is the
    /// credential; the caller checks the signer and the browser session).
    async fn signer_oidc_request(
        &self,
        state_hash: &[u8; 32],
    ) -> Result<Option<SignerOidcRequest>, StoreError>;
    /// Marks a login's callback as arrived, once: false when it was used already.
    async fn use_signer_oidc_request(
        &self,
        account: AccountId,
        state_hash: &[u8; 32],
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// Replaces the browser session `old_hash` of `session`'s signer with `session` (a fresh
    /// cookie, verified); false when that session is gone.
    async fn replace_signer_session(
        &self,
        account: AccountId,
        old_hash: &[u8; 32],
        session: &SignerSession,
    ) -> Result<bool, StoreError>;

    /// Stores an extended authentication session (auth pass).
    async fn create_signer_auth_pass(&self, pass: &SignerAuthPass) -> Result<(), StoreError>;
    /// The auth pass of `account` whose cookie's SHA-256 is `hash` (expired ones included; the
    /// caller checks the time).
    async fn signer_auth_pass(
        &self,
        account: AccountId,
        hash: &[u8; 32],
    ) -> Result<Option<SignerAuthPass>, StoreError>;

    // --- retention (purging finished envelopes, leaving tombstones) ---

    /// The account's retention rule (`None`: keep envelopes forever).
    async fn account_retention(
        &self,
        account: AccountId,
    ) -> Result<Option<crate::model::RetentionRule>, StoreError>;
    /// Sets (or with `None` clears) the account's retention rule; false when there is no such
    /// account.
    async fn set_account_retention(
        &self,
        account: AccountId,
        rule: Option<crate::model::RetentionRule>,
    ) -> Result<bool, StoreError>;
    /// Every account that has a retention rule, with it.
    async fn retention_accounts(
        &self,
    ) -> Result<Vec<(AccountId, crate::model::RetentionRule)>, StoreError>;
    /// Up to `limit` envelopes of `account` (deleted ones included) that are completed,
    /// declined or expired and finished strictly before `finished_before`, oldest first.
    async fn envelopes_due_for_purge(
        &self,
        account: AccountId,
        finished_before: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<EnvelopeId>, StoreError>;
    /// Purges a completed, declined or expired envelope and writes its tombstone, in one
    /// transaction: its documents, signers (with their codes and sessions), fields, audit
    /// events, front-door attributes, dialect keys and webhook deliveries (with their attempts)
    /// go; the blobs are the caller's to delete after the commit. Fails with `VersionConflict`
    /// unless the envelope is at `expected_version` in one of those statuses; returns false,
    /// changing nothing, when the envelope is not there (purged already).
    async fn purge_finished_envelope(
        &self,
        tombstone: &crate::model::Tombstone,
        expected_version: i64,
    ) -> Result<bool, StoreError>;
    /// The tombstone of a purged envelope of `account`.
    async fn tombstone(
        &self,
        account: AccountId,
        envelope: EnvelopeId,
    ) -> Result<Option<crate::model::Tombstone>, StoreError>;
    /// The tombstone (of any account: the verifier holds the file itself) one of whose sealed
    /// documents or proof has this SHA-256, with which of the two the file was.
    async fn tombstone_by_sealed_sha256(
        &self,
        sha256: &[u8; 32],
    ) -> Result<Option<(crate::model::Tombstone, crate::model::TombstoneFile)>, StoreError>;

    // --- scheduled reminders ---

    /// The account's reminder schedule (`None`: no scheduled reminders, the default).
    async fn account_reminders(
        &self,
        account: AccountId,
    ) -> Result<Option<crate::model::ReminderSchedule>, StoreError>;
    /// Sets (or with `None` clears) the account's reminder schedule; false when there is no
    /// such account.
    async fn set_account_reminders(
        &self,
        account: AccountId,
        schedule: Option<crate::model::ReminderSchedule>,
    ) -> Result<bool, StoreError>;

    // --- completed documents (attached or behind download links) ---

    /// How the account's completed e-mails deliver the signed documents (`None`: attached).
    async fn account_completed_documents(
        &self,
        account: AccountId,
    ) -> Result<Option<crate::model::CompletedDocuments>, StoreError>;
    /// Sets (or with `None` clears) that choice; false when there is no such account.
    async fn set_account_completed_documents(
        &self,
        account: AccountId,
        choice: Option<crate::model::CompletedDocuments>,
    ) -> Result<bool, StoreError>;
    /// Stores a download link (its token's SHA-256 only).
    async fn insert_download_link(
        &self,
        link: &crate::model::DownloadLink,
    ) -> Result<(), StoreError>;
    /// The download link whose token has this SHA-256 (not scoped: this is how the account is
    /// found).
    async fn download_link_by_hash(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<crate::model::DownloadLink>, StoreError>;
}
