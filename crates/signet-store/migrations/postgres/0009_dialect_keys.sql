-- Keys a dialect gives Signet's objects (Stiply's 50-character sign-request and signer keys),
-- with what the dialect records about the object beyond the core model (JSON text). One key per
-- (dialect, object), minted on first use; a key is unique per (account, dialect, kind).
CREATE TABLE dialect_keys (
    account_id uuid NOT NULL,
    dialect text NOT NULL,
    kind text NOT NULL,
    object_id uuid NOT NULL,
    key text NOT NULL,
    data text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (dialect, kind, object_id),
    UNIQUE (account_id, dialect, kind, key),
    FOREIGN KEY (account_id) REFERENCES accounts (id)
);
