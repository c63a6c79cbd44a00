-- Jobs name their account in a column, so an account's admins can list and retry their own
-- jobs (every payload carries account_id; older rows are filled from it).
ALTER TABLE jobs ADD COLUMN account_id TEXT;
UPDATE jobs SET account_id = json_extract(payload, '$.account_id');
CREATE INDEX jobs_account ON jobs (account_id, status, id);
