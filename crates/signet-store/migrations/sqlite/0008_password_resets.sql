-- Password resets: one e-mailed, single-use link each. The link's token is never stored: it is
-- HMAC(instance reset key, id ‖ nonce), re-derived to mail it; token_hash (its SHA-256) finds
-- the row when the link is opened. A newer request or a completed reset sets revoked_at on the
-- user's other open resets; using one sets used_at.
CREATE TABLE password_resets (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    nonce BLOB NOT NULL CHECK (length(nonce) = 32),
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    revoked_at INTEGER,
    FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id)
) STRICT;
CREATE INDEX password_resets_user ON password_resets (account_id, user_id);
