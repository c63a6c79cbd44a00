-- Signet's schema, PostgreSQL flavour (same file names as migrations/sqlite; never edit a released
-- migration, add a new one).
--
-- Representation: ids are uuid; times are timestamptz (microsecond precision, exact round trip);
-- hashes are bytea; structured values are JSON text (not jsonb: the audit data must read back
-- byte for byte, and one representation keeps the two backends identical); every integer is
-- bigint so both backends decode the same Rust type.
-- Every envelope-related row carries account_id, tied to its envelope's account by composite
-- foreign keys, so every query is scoped by account in its WHERE clause.

CREATE TABLE accounts (
    id uuid PRIMARY KEY NOT NULL,
    name text NOT NULL,
    webhook_secret_sealed bytea NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE users (
    id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL REFERENCES accounts (id),
    email text NOT NULL,
    -- Lowercased e-mail, computed by the store: unique instance-wide, case-insensitively.
    email_key text NOT NULL UNIQUE,
    name text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL,
    created_at timestamptz NOT NULL,
    disabled_at timestamptz,
    UNIQUE (id, account_id)
);
CREATE INDEX users_account ON users (account_id);

CREATE TABLE api_keys (
    id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL REFERENCES accounts (id),
    user_id uuid NOT NULL,
    name text NOT NULL,
    lookup_id text NOT NULL UNIQUE,
    -- SHA-256 of the whole key; the key itself is never stored.
    secret_hash bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz,
    FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id)
);

CREATE TABLE envelopes (
    id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL REFERENCES accounts (id),
    created_by uuid NOT NULL,
    title text NOT NULL,
    message text,
    external_key text,
    signing_order text NOT NULL,
    status text NOT NULL,
    expires_at timestamptz,
    callback_url text,
    proof_blob_key text,
    proof_sha256 bytea,
    proof_size bigint,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    sent_at timestamptz,
    finished_at timestamptz,
    deleted_at timestamptz,
    -- Optimistic concurrency: every update is a compare-and-set on it.
    version bigint NOT NULL,
    UNIQUE (id, account_id),
    -- NULLs are distinct, so only envelopes that have an external key are constrained.
    UNIQUE (account_id, external_key),
    FOREIGN KEY (created_by, account_id) REFERENCES users (id, account_id)
);
-- Listing an account's envelopes newest first (ids are UUIDv7, so id order is creation order).
CREATE INDEX envelopes_listing ON envelopes (account_id, id DESC);

CREATE TABLE documents (
    id uuid PRIMARY KEY NOT NULL,
    envelope_id uuid NOT NULL,
    account_id uuid NOT NULL,
    filename text NOT NULL,
    original_blob_key text NOT NULL,
    original_sha256 bytea NOT NULL,
    original_size bigint NOT NULL,
    pages text NOT NULL,
    tags text NOT NULL,
    position bigint NOT NULL,
    signed_blob_key text,
    signed_sha256 bytea,
    signed_size bigint,
    created_at timestamptz NOT NULL,
    UNIQUE (id, envelope_id),
    FOREIGN KEY (envelope_id, account_id) REFERENCES envelopes (id, account_id)
);
CREATE INDEX documents_envelope ON documents (envelope_id, position);

CREATE TABLE signers (
    id uuid PRIMARY KEY NOT NULL,
    envelope_id uuid NOT NULL,
    account_id uuid NOT NULL,
    name text NOT NULL,
    email text NOT NULL,
    role text NOT NULL,
    sign_order bigint NOT NULL,
    language text NOT NULL,
    invitation text NOT NULL,
    redirect_url text,
    status text NOT NULL,
    -- SHA-256 of the current signing-link token; the token itself is never stored.
    token_hash bytea UNIQUE,
    token_generation bigint NOT NULL,
    signature text,
    evidence text,
    decline_reason text,
    viewed_at timestamptz,
    signed_at timestamptz,
    declined_at timestamptz,
    created_at timestamptz NOT NULL,
    UNIQUE (id, envelope_id),
    FOREIGN KEY (envelope_id, account_id) REFERENCES envelopes (id, account_id)
);
CREATE INDEX signers_envelope ON signers (envelope_id);

CREATE TABLE fields (
    id uuid PRIMARY KEY NOT NULL,
    envelope_id uuid NOT NULL,
    account_id uuid NOT NULL,
    signer_id uuid NOT NULL,
    document_id uuid NOT NULL,
    kind text NOT NULL,
    required boolean NOT NULL,
    page bigint NOT NULL,
    x real NOT NULL,
    y real NOT NULL,
    width real NOT NULL,
    height real NOT NULL,
    tag text,
    tag_x real,
    tag_y real,
    tag_width real,
    tag_height real,
    value text,
    -- A field's signer and document must belong to the field's own envelope.
    FOREIGN KEY (signer_id, envelope_id) REFERENCES signers (id, envelope_id),
    FOREIGN KEY (document_id, envelope_id) REFERENCES documents (id, envelope_id),
    FOREIGN KEY (envelope_id, account_id) REFERENCES envelopes (id, account_id)
);
CREATE INDEX fields_envelope ON fields (envelope_id);
CREATE INDEX fields_signer ON fields (signer_id, envelope_id);
CREATE INDEX fields_document ON fields (document_id, envelope_id);

-- Append-only: the store has no UPDATE path for these rows and deletes them only when a draft
-- envelope is purged.
CREATE TABLE audit_events (
    envelope_id uuid NOT NULL,
    account_id uuid NOT NULL,
    seq bigint NOT NULL,
    at timestamptz NOT NULL,
    kind text NOT NULL,
    actor text NOT NULL,
    ip text,
    user_agent text,
    -- The JSON text exactly as written, so the event's hash can be recomputed.
    data text NOT NULL,
    prev_hash bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash bytea NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (envelope_id, seq),
    FOREIGN KEY (envelope_id, account_id) REFERENCES envelopes (id, account_id)
);

CREATE TABLE jobs (
    id uuid PRIMARY KEY NOT NULL,
    kind text NOT NULL,
    payload text NOT NULL,
    status text NOT NULL,
    run_at timestamptz NOT NULL,
    attempts bigint NOT NULL,
    max_attempts bigint NOT NULL,
    locked_by text,
    locked_until timestamptz,
    last_error text,
    dedupe_key text UNIQUE,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
-- Claiming: pending jobs by due time.
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE status = 'pending';
CREATE INDEX jobs_status ON jobs (status, id);

CREATE TABLE instance_secrets (
    name text PRIMARY KEY NOT NULL,
    value bytea NOT NULL
);
