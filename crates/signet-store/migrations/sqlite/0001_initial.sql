-- Signet's schema, SQLite flavour (same file names as migrations/postgres; never edit a released
-- migration, add a new one).
--
-- Representation: ids are lowercase hyphenated UUID text (sorts like the UUID, readable in the
-- sqlite3 shell); times are integer microseconds since the Unix epoch, UTC (exact round trip and
-- correct comparison in SQL); hashes are 32-byte blobs; structured values are JSON text.
-- Every envelope-related row carries account_id, tied to its envelope's account by composite
-- foreign keys, so every query is scoped by account in its WHERE clause.

CREATE TABLE accounts (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    webhook_secret_sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    email TEXT NOT NULL,
    -- Lowercased e-mail, computed by the store: unique instance-wide, case-insensitively.
    email_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER,
    UNIQUE (id, account_id)
) STRICT;
CREATE INDEX users_account ON users (account_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    lookup_id TEXT NOT NULL UNIQUE,
    -- SHA-256 of the whole key; the key itself is never stored.
    secret_hash BLOB NOT NULL CHECK (length(secret_hash) = 32),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    last_used_at INTEGER,
    revoked_at INTEGER,
    FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id)
) STRICT;

CREATE TABLE envelopes (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_by TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT,
    external_key TEXT,
    signing_order TEXT NOT NULL,
    status TEXT NOT NULL,
    expires_at INTEGER,
    callback_url TEXT,
    proof_blob_key TEXT,
    proof_sha256 BLOB,
    proof_size INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER,
    finished_at INTEGER,
    deleted_at INTEGER,
    -- Optimistic concurrency: every update is a compare-and-set on it.
    version INTEGER NOT NULL,
    UNIQUE (id, account_id),
    -- NULLs are distinct, so only envelopes that have an external key are constrained.
    UNIQUE (account_id, external_key),
    FOREIGN KEY (created_by, account_id) REFERENCES users (id, account_id)
) STRICT;
-- Listing an account's envelopes newest first (ids are UUIDv7, so id order is creation order).
CREATE INDEX envelopes_listing ON envelopes (account_id, id DESC);

CREATE TABLE documents (
    id TEXT PRIMARY KEY NOT NULL,
    envelope_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    original_blob_key TEXT NOT NULL,
    original_sha256 BLOB NOT NULL,
    original_size INTEGER NOT NULL,
    pages TEXT NOT NULL,
    tags TEXT NOT NULL,
    position INTEGER NOT NULL,
    signed_blob_key TEXT,
    signed_sha256 BLOB,
    signed_size INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (id, envelope_id),
    FOREIGN KEY (envelope_id, account_id) REFERENCES envelopes (id, account_id)
) STRICT;
CREATE INDEX documents_envelope ON documents (envelope_id, position);

CREATE TABLE signers (
    id TEXT PRIMARY KEY NOT NULL,
    envelope_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    sign_order INTEGER NOT NULL,
    language TEXT NOT NULL,
    invitation TEXT NOT NULL,
    redirect_url TEXT,
    status TEXT NOT NULL,
    -- SHA-256 of the current signing-link token; the token itself is never stored.
    token_hash BLOB UNIQUE,
    token_generation INTEGER NOT NULL,
    signature TEXT,
    evidence TEXT,
    decline_reason TEXT,
    viewed_at INTEGER,
    signed_at INTEGER,
    declined_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (id, envelope_id),
    FOREIGN KEY (envelope_id, account_id) REFERENCES envelopes (id, account_id)
) STRICT;
CREATE INDEX signers_envelope ON signers (envelope_id);

CREATE TABLE fields (
    id TEXT PRIMARY KEY NOT NULL,
    envelope_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    signer_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    required INTEGER NOT NULL,
    page INTEGER NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    width REAL NOT NULL,
    height REAL NOT NULL,
    tag TEXT,
    tag_x REAL,
    tag_y REAL,
    tag_width REAL,
    tag_height REAL,
    value TEXT,
    -- A field's signer and document must belong to the field's own envelope.
    FOREIGN KEY (signer_id, envelope_id) REFERENCES signers (id, envelope_id),
    FOREIGN KEY (document_id, envelope_id) REFERENCES documents (id, envelope_id),
    FOREIGN KEY (envelope_id, account_id) REFERENCES envelopes (id, account_id)
) STRICT;
CREATE INDEX fields_envelope ON fields (envelope_id);
CREATE INDEX fields_signer ON fields (signer_id, envelope_id);
CREATE INDEX fields_document ON fields (document_id, envelope_id);

-- Append-only: the store has no UPDATE path for these rows and deletes them only when a draft
-- envelope is purged.
CREATE TABLE audit_events (
    envelope_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    -- The JSON text exactly as written, so the event's hash can be recomputed.
    data TEXT NOT NULL,
    prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (envelope_id, seq),
    FOREIGN KEY (envelope_id, account_id) REFERENCES envelopes (id, account_id)
) STRICT;

CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    run_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    locked_by TEXT,
    locked_until INTEGER,
    last_error TEXT,
    dedupe_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
-- Claiming: pending jobs by due time.
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE status = 'pending';
CREATE INDEX jobs_status ON jobs (status, id);

CREATE TABLE instance_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) STRICT;
