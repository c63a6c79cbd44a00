-- Retention: an account may have its completed, declined and expired envelopes purged after a
-- period (`days:N` or `end_of_month_after_one_month`; NULL keeps them forever). A purged
-- envelope leaves a tombstone: its id, final status, times, audit chain head and the SHA-256 of
-- each file, so a later verification can still say "sealed here, then" (no names, no
-- addresses, no documents).
ALTER TABLE accounts ADD COLUMN retention TEXT;
-- The sweep's query: an account's finished envelopes by the time they finished.
CREATE INDEX envelopes_retention ON envelopes (account_id, status, finished_at);
-- Purging an envelope deletes its webhook deliveries and its dialect keys by envelope.
CREATE INDEX webhook_deliveries_envelope ON webhook_deliveries (account_id, envelope_id);
CREATE INDEX dialect_keys_object ON dialect_keys (account_id, object_id);

CREATE TABLE envelope_tombstones (
    envelope_id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    final_status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    finished_at INTEGER,
    sealed_at INTEGER,
    audit_head BLOB CHECK (audit_head IS NULL OR length(audit_head) = 32),
    audit_events INTEGER NOT NULL,
    purged_at INTEGER NOT NULL,
    UNIQUE (account_id, envelope_id)
) STRICT;

CREATE TABLE tombstone_hashes (
    envelope_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    -- original, source, sealed or proof
    file TEXT NOT NULL,
    position INTEGER NOT NULL,
    sha256 BLOB NOT NULL CHECK (length(sha256) = 32),
    PRIMARY KEY (envelope_id, file, position),
    FOREIGN KEY (account_id, envelope_id) REFERENCES envelope_tombstones (account_id, envelope_id)
) STRICT;
-- The verifier finds a tombstone by the hash of a sealed document or proof.
CREATE INDEX tombstone_hashes_sha256 ON tombstone_hashes (sha256);
