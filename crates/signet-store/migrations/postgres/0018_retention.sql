-- Retention: an account may have its completed, declined and expired envelopes purged after a
-- period (`days:N` or `end_of_month_after_one_month`; NULL keeps them forever). A purged
-- envelope leaves a tombstone: its id, final status, times, audit chain head and the SHA-256 of
-- each file, so a later verification can still say "sealed here, then" (no names, no
-- addresses, no documents).
ALTER TABLE accounts ADD COLUMN retention text;
-- The sweep's query: an account's finished envelopes by the time they finished.
CREATE INDEX envelopes_retention ON envelopes (account_id, status, finished_at);
-- Purging an envelope deletes its webhook deliveries and its dialect keys by envelope.
CREATE INDEX webhook_deliveries_envelope ON webhook_deliveries (account_id, envelope_id);
CREATE INDEX dialect_keys_object ON dialect_keys (account_id, object_id);

CREATE TABLE envelope_tombstones (
    envelope_id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL REFERENCES accounts (id),
    final_status text NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at timestamptz,
    finished_at timestamptz,
    sealed_at timestamptz,
    audit_head bytea CHECK (audit_head IS NULL OR octet_length(audit_head) = 32),
    audit_events bigint NOT NULL,
    purged_at timestamptz NOT NULL,
    UNIQUE (account_id, envelope_id)
);

CREATE TABLE tombstone_hashes (
    envelope_id uuid NOT NULL,
    account_id uuid NOT NULL,
    -- original, source, sealed or proof
    file text NOT NULL,
    position bigint NOT NULL,
    sha256 bytea NOT NULL CHECK (octet_length(sha256) = 32),
    PRIMARY KEY (envelope_id, file, position),
    FOREIGN KEY (account_id, envelope_id) REFERENCES envelope_tombstones (account_id, envelope_id)
);
-- The verifier finds a tombstone by the hash of a sealed document or proof.
CREATE INDEX tombstone_hashes_sha256 ON tombstone_hashes (sha256);
