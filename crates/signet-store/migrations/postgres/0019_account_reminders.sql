-- Scheduled reminders: an account's schedule as `first,every,max` (days until the first
-- reminder after a signer's turn began, days between reminders, most reminders per turn);
-- NULL sends none (the default). The reminders are `scheduled_reminder` jobs, written in the
-- same transaction as the change that starts a turn.
ALTER TABLE accounts ADD COLUMN reminders TEXT;
