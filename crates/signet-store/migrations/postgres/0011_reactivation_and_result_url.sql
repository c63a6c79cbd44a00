-- How many days a reactivated envelope stays open (NULL: the default, 30 days), and an
-- envelope-level result URL: where a signer's browser goes after signing when the signer has
-- no redirect URL of their own.
ALTER TABLE accounts ADD COLUMN reactivation_days bigint;
ALTER TABLE envelopes ADD COLUMN result_url TEXT;
-- Whether the callback URL also hears the envelope being sent (not only its final outcome).
ALTER TABLE envelopes ADD COLUMN status_callbacks boolean NOT NULL DEFAULT false;
