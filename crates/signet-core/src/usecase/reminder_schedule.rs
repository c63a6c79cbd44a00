//! Reminders on the account's schedule: each pending e-mail signer is reminded some days after
//! their turn began (the send, their turn in a sequential order, or a reactivation), then
//! every so many days, at most so many times, until they act or the envelope leaves
//! `in_progress`.
//!
//! Each reminder is a `scheduled_reminder` job. The first is written in the same transaction
//! as the change that starts the turn (`Signet::commit` asks [`Signet::schedule_turn_reminders`]
//! on every change; it compares whose turn it is with whose it was when the envelope was
//! loaded). Each one, when it runs, re-reads the envelope and the account's schedule, queues
//! the reminder mail (a `send_reminder` job, as on-demand reminders do) with a
//! `reminder_requested` event, and writes the next one in that same transaction. Dedupe keys
//! (signer, link generation, turn start, number) and a look at the audit trail make a re-run or
//! a second node's run harmless. The schedule is read when each job runs: a changed schedule
//! applies to the next reminder of every turn in flight, and turning it off ends them; a turn
//! that began while it was off gets none.

use serde_json::json;
use time::OffsetDateTime;

use crate::CoreError;
use crate::id::{AccountId, EnvelopeId, JobId, SignerId};
use crate::model::{
    Actor, EnvelopeRecord, EnvelopeStatus, EventKind, Invitation, JobPayload, NewJob,
    ReminderSchedule, SignerStatus,
};
use crate::mutation::{ClientInfo, JOB_ATTEMPTS, Mutation, retrying};
use crate::service::Signet;
use crate::usecase::account::Principal;
use crate::usecase::settings::AccountSettings;

/// The ids of a `scheduled_reminder` job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ScheduledReminder {
    pub(crate) account_id: AccountId,
    pub(crate) envelope_id: EnvelopeId,
    pub(crate) signer_id: SignerId,
    pub(crate) generation: i32,
    pub(crate) turn_started: i64,
    pub(crate) number: u32,
}

impl ScheduledReminder {
    fn payload(self) -> JobPayload {
        JobPayload::ScheduledReminder {
            account_id: self.account_id,
            envelope_id: self.envelope_id,
            signer_id: self.signer_id,
            generation: self.generation,
            turn_started: self.turn_started,
            number: self.number,
        }
    }

    /// One key per reminder of a turn: a re-run cannot queue it twice.
    fn key(self) -> String {
        format!(
            "scheduled_reminder:{}:{}:{}:{}",
            self.signer_id, self.generation, self.turn_started, self.number
        )
    }

    fn started(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.turn_started).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
}

impl Signet {
    /// Sets (or with `None` turns off) the caller's account's reminder schedule; owners and
    /// admins only. Read by each reminder job when it runs (see the module documentation).
    pub async fn set_reminders(
        &self,
        who: &Principal,
        schedule: Option<ReminderSchedule>,
    ) -> Result<AccountSettings, CoreError> {
        who.require_admin()?;
        if !self
            .store_ref()
            .set_account_reminders(who.account_id, schedule)
            .await?
        {
            return Err(CoreError::NotFound("account"));
        }
        self.account_settings(who).await
    }

    /// Adds to `change` the first scheduled reminder of every turn it starts, when the account
    /// has a schedule.
    pub(crate) async fn schedule_turn_reminders(
        &self,
        change: &mut Mutation,
    ) -> Result<(), CoreError> {
        let turns = turns_started(change);
        if turns.is_empty() {
            return Ok(());
        }
        let account_id = change.record.envelope.account_id;
        let Some(schedule) = self.store_ref().account_reminders(account_id).await? else {
            return Ok(());
        };
        for (signer_id, generation, started) in turns {
            let job = ScheduledReminder {
                account_id,
                envelope_id: change.record.envelope.id,
                signer_id,
                generation,
                turn_started: started.unix_timestamp(),
                number: 1,
            };
            let due = schedule.due_at(started, 1);
            change.job(job.payload(), Some(due), Some(job.key()));
        }
        Ok(())
    }

    /// The `scheduled_reminder` job (see the module documentation).
    pub(crate) async fn run_scheduled_reminder(
        &self,
        job: ScheduledReminder,
    ) -> Result<(), CoreError> {
        retrying(|| self.scheduled_reminder_once(job)).await
    }

    async fn scheduled_reminder_once(&self, job: ScheduledReminder) -> Result<(), CoreError> {
        let store = self.store_ref();
        let Some(record) = store.load_envelope(job.account_id, job.envelope_id).await? else {
            return Ok(());
        };
        let now = self.now();
        if !still_due(&record, job, now) {
            return Ok(());
        }
        let Some(schedule) = store.account_reminders(job.account_id).await? else {
            return Ok(());
        };
        if job.number > schedule.max() {
            return Ok(());
        }
        let due = crate::time::storable(schedule.due_at(job.started(), job.number));
        if due > now {
            // The schedule was lengthened since this job was written: wait for the new time.
            let key = format!("{}:{}", job.key(), due.unix_timestamp());
            return Ok(store.enqueue_jobs(&[new_job(job, due, key)]).await?);
        }
        if self.already_requested(job).await? {
            return Ok(());
        }
        let mut change = Mutation::of(record, now);
        remind_now(&mut change, job, schedule);
        self.commit(change).await.map(|_| ())
    }

    /// Whether the audit trail records this reminder as requested (a re-run after a commit).
    async fn already_requested(&self, job: ScheduledReminder) -> Result<bool, CoreError> {
        let events = self
            .store_ref()
            .events(job.account_id, job.envelope_id)
            .await?;
        let key = job.key();
        Ok(events.iter().any(|event| {
            event.kind == EventKind::ReminderRequested && event.data["scheduled"] == key.as_str()
        }))
    }
}

/// Queues the reminder mail of `job`, records it, and writes the next reminder of the turn.
fn remind_now(change: &mut Mutation, job: ScheduledReminder, schedule: ReminderSchedule) {
    let mail = JobPayload::SendReminder {
        account_id: job.account_id,
        envelope_id: job.envelope_id,
        signer_id: job.signer_id,
        generation: job.generation,
        reminder_id: uuid::Uuid::now_v7(),
    };
    change.job(mail, None, Some(format!("{}:mail", job.key())));
    change.event(
        EventKind::ReminderRequested,
        Actor::System,
        &ClientInfo::none(),
        json!({
            "signer_ids": [job.signer_id],
            "scheduled": job.key(),
            "number": job.number,
            "max": schedule.max(),
        }),
    );
    if job.number < schedule.max() {
        let next = ScheduledReminder {
            number: job.number + 1,
            ..job
        };
        let due = schedule.due_at(job.started(), next.number);
        change.job(next.payload(), Some(due), Some(next.key()));
    }
}

/// True while the signer of `job` still has to act in this turn of an envelope out for
/// signing: in progress, not deleted or lapsed, the signer pending, invited by e-mail, up now
/// and still on the turn's link generation (a reactivation or a changed signer starts anew).
fn still_due(record: &EnvelopeRecord, job: ScheduledReminder, now: OffsetDateTime) -> bool {
    let envelope = &record.envelope;
    if envelope.status != EnvelopeStatus::InProgress
        || envelope.deleted_at.is_some()
        || envelope.expires_at.is_some_and(|at| at <= now)
    {
        return false;
    }
    record.signer(job.signer_id).is_some_and(|signer| {
        signer.status == SignerStatus::Pending
            && signer.invitation == Invitation::Email
            && signer.token_generation == job.generation
            && record.is_turn_of(signer)
    })
}

fn new_job(job: ScheduledReminder, run_at: OffsetDateTime, key: String) -> NewJob {
    NewJob {
        id: JobId::generate(),
        payload: job.payload(),
        run_at,
        max_attempts: JOB_ATTEMPTS,
        dedupe_key: Some(key),
    }
}

/// The turns `change` starts: (signer, link generation, when) for each pending e-mail signer
/// of an envelope in progress who is up now but was not when it was loaded on that generation
/// (the send, the next order in a sequence, a reactivation, a relinked signer). The turn
/// starts when their invitation goes out (later for deferred invitations), else now.
fn turns_started(change: &Mutation) -> Vec<(SignerId, i32, OffsetDateTime)> {
    let record = &change.record;
    if record.envelope.status != EnvelopeStatus::InProgress {
        return Vec::new();
    }
    let invited_at = |signer: SignerId| {
        change.jobs().iter().find_map(|job| match job.payload {
            JobPayload::SendInvitation { signer_id, .. } if signer_id == signer => Some(job.run_at),
            _ => None,
        })
    };
    record
        .signers_up_now()
        .into_iter()
        .filter(|s| s.invitation == Invitation::Email && !change.was_up(s.id, s.token_generation))
        .map(|s| {
            let at = invited_at(s.id).map_or(change.now, |at| at.max(change.now));
            (s.id, s.token_generation, at)
        })
        .collect()
}
