-- Password resets: one e-mailed, single-use link each. The link's token is never stored: it is
-- HMAC(instance reset key, id ‖ nonce), re-derived to mail it; token_hash (its SHA-256) finds
-- the row when the link is opened. A newer request or a completed reset sets revoked_at on the
-- user's other open resets; using one sets used_at.
CREATE TABLE password_resets (
    id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL,
    user_id uuid NOT NULL,
    nonce bytea NOT NULL CHECK (octet_length(nonce) = 32),
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked_at timestamptz,
    FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id)
);
CREATE INDEX password_resets_user ON password_resets (account_id, user_id);
