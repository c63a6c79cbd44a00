use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::id::{
    AccountId, EnvelopeId, JobId, PasswordResetId, SignerId, UserId, WebhookDeliveryId,
};
use crate::model::text_enum;

/// What a job does. Jobs carry ids only and re-read their data when they run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobPayload {
    /// Stamp, seal and complete an envelope whose signers are all done.
    SealEnvelope {
        /// Account of the envelope.
        account_id: AccountId,
        /// The envelope.
        envelope_id: EnvelopeId,
    },
    /// Add the approval signatures of everyone who has signed to the envelope's documents
    /// (each one signed revision on top of the last).
    AddSignatures {
        /// Account of the envelope.
        account_id: AccountId,
        /// The envelope.
        envelope_id: EnvelopeId,
    },
    /// E-mail a signer the signing link.
    SendInvitation {
        /// Account of the envelope.
        account_id: AccountId,
        /// The envelope.
        envelope_id: EnvelopeId,
        /// The signer.
        signer_id: SignerId,
        /// The link generation the e-mail carries; a newer generation makes the job moot.
        generation: i32,
    },
    /// E-mail a signer a reminder carrying their current signing link.
    SendReminder {
        /// Account of the envelope.
        account_id: AccountId,
        /// The envelope.
        envelope_id: EnvelopeId,
        /// The signer.
        signer_id: SignerId,
        /// The link generation the e-mail carries; a newer generation makes the job moot.
        generation: i32,
        /// This reminder (each request for a reminder is a job of its own).
        reminder_id: Uuid,
    },
    /// Reminder `number` of the account's schedule to one signer whose turn began at
    /// `turn_started` (Unix seconds). Scheduled for the time the schedule names; when it runs it
    /// re-reads the envelope and the schedule, sends a [`JobPayload::SendReminder`] and
    /// schedules the next one, or finds it is not due yet (the schedule changed) and moves.
    ScheduledReminder {
        /// Account of the envelope.
        account_id: AccountId,
        /// The envelope.
        envelope_id: EnvelopeId,
        /// The signer.
        signer_id: SignerId,
        /// The link generation of the turn; a newer generation ends this chain of reminders.
        generation: i32,
        /// When the signer's turn began (Unix seconds); reminders are counted from here.
        turn_started: i64,
        /// Which reminder of the turn this is (1 is the first).
        number: u32,
    },
    /// Move an envelope whose term has passed to `expired`. Scheduled at its `expires_at`;
    /// finds a later expiry (the term was extended) and schedules itself again.
    ExpireEnvelope {
        /// Account of the envelope.
        account_id: AccountId,
        /// The envelope.
        envelope_id: EnvelopeId,
    },
    /// Call the envelope's callback URL.
    DeliverCallback {
        /// Account of the envelope.
        account_id: AccountId,
        /// The envelope.
        envelope_id: EnvelopeId,
        /// The event being reported (`envelope.completed`, `envelope.declined`).
        event: String,
        /// Stable id of this delivery, sent as `webhook-id` on every attempt.
        delivery_id: Uuid,
    },
    /// E-mail a user the link of a password reset. Carries ids only: the link's token is
    /// re-derived from the reset when the job runs, so it is never stored.
    SendPasswordReset {
        /// Account of the user.
        account_id: AccountId,
        /// The user.
        user_id: UserId,
        /// The reset whose link is sent; a used, replaced or expired reset makes the job moot.
        reset_id: PasswordResetId,
    },
    /// Post one webhook delivery to its endpoint. Inserted by the store with the delivery row
    /// (the fan-out of an envelope change), or by a resend.
    DeliverWebhook {
        /// Account of the delivery.
        account_id: AccountId,
        /// The delivery; it carries the endpoint and the body.
        delivery_id: WebhookDeliveryId,
    },
    /// E-mail one party of an envelope about what happened to it (the mail re-reads the
    /// envelope; a notice whose moment has passed is dropped).
    SendNotice {
        /// Account of the envelope.
        account_id: AccountId,
        /// The envelope.
        envelope_id: EnvelopeId,
        /// The recipient; `None` is the user who created the envelope.
        signer_id: Option<SignerId>,
        /// What the mail reports.
        notice: NoticeKind,
        /// This occurrence (an envelope can be reactivated or extended more than once); part
        /// of the stable `Message-ID`.
        occurrence: Uuid,
    },
    /// Purge every account's finished envelopes whose retention period has passed (one
    /// instance-wide job per hour, made unique by its dedupe key, so one node runs it).
    RetentionSweep {},
}

/// What a [`JobPayload::SendNotice`] mail reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// The envelope went out (to cc recipients).
    Sent,
    /// Everyone signed: the signed documents (to every party).
    Completed,
    /// A signer declined (to the sender and the other parties).
    Declined,
    /// The term passed (to the sender, the pending signers and cc recipients).
    Expired,
    /// The envelope was reactivated (to the signers whose turn it is, with their link).
    Reactivated,
    /// The term was extended (to the signers whose turn it is, with their link).
    TermExtended,
}
text_enum!(NoticeKind {
    Sent => "sent", Completed => "completed", Declined => "declined", Expired => "expired",
    Reactivated => "reactivated", TermExtended => "term_extended",
});

impl JobPayload {
    /// The kind as stored in the `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::SealEnvelope { .. } => "seal_envelope",
            Self::AddSignatures { .. } => "add_signatures",
            Self::SendInvitation { .. } => "send_invitation",
            Self::SendReminder { .. } => "send_reminder",
            Self::ScheduledReminder { .. } => "scheduled_reminder",
            Self::ExpireEnvelope { .. } => "expire_envelope",
            Self::DeliverCallback { .. } => "deliver_callback",
            Self::SendPasswordReset { .. } => "send_password_reset",
            Self::DeliverWebhook { .. } => "deliver_webhook",
            Self::SendNotice { .. } => "send_notice",
            Self::RetentionSweep {} => "retention_sweep",
        }
    }
}

/// A job's state in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobStatus {
    /// Waiting for `run_at`, or claimed by a worker whose lease has not expired.
    Pending,
    /// Finished successfully.
    Done,
    /// Failed on its last attempt; kept with its reason.
    Dead,
}
text_enum!(JobStatus { Pending => "pending", Done => "done", Dead => "dead" });

/// A job to insert, in the same transaction as the change that causes it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewJob {
    /// Its id.
    pub id: JobId,
    /// What to do.
    pub payload: JobPayload,
    /// Not before this time.
    pub run_at: OffsetDateTime,
    /// How many attempts before it is marked dead.
    pub max_attempts: i32,
    /// If set, at most one job with this key is ever inserted (later inserts are ignored).
    pub dedupe_key: Option<String>,
}

/// A job as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// Its id.
    pub id: JobId,
    /// What to do.
    pub payload: JobPayload,
    /// Pending, done or dead.
    pub status: JobStatus,
    /// Attempts started so far (including the current one once claimed).
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
    /// Not before this time.
    pub run_at: OffsetDateTime,
    /// The worker holding the lease, if any.
    pub locked_by: Option<String>,
    /// When the current lease expires.
    pub locked_until: Option<OffsetDateTime>,
    /// The error of the last failed attempt.
    pub last_error: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// How many pending or dead jobs of one kind are in one state, for the metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct JobQueueCount {
    /// The job kind (`JobPayload::kind`).
    pub kind: String,
    /// `due` (pending, `run_at` passed), `scheduled` (pending, later) or `dead`.
    pub state: String,
    /// How many.
    pub count: i64,
    /// The earliest `run_at` among them (for due jobs: how long the oldest has waited).
    pub oldest_run_at: Option<OffsetDateTime>,
}
