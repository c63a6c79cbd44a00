-- The OAuth2 authorization server and the web login it needs. Every secret (session cookie,
-- client secret, code, token) is stored only as its SHA-256.
CREATE TABLE web_sessions (
    hash BLOB PRIMARY KEY NOT NULL CHECK (length(hash) = 32),
    account_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id)
) STRICT;

CREATE TABLE oauth_clients (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    -- JSON array of exact redirect URIs.
    redirect_uris TEXT NOT NULL,
    -- NULL for a public client.
    secret_hash BLOB CHECK (secret_hash IS NULL OR length(secret_hash) = 32),
    -- Space-separated grant types and scopes.
    grants TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id)
) STRICT;
CREATE INDEX oauth_clients_account ON oauth_clients (account_id, id);

CREATE TABLE oauth_codes (
    hash BLOB PRIMARY KEY NOT NULL CHECK (length(hash) = 32),
    client_id TEXT NOT NULL REFERENCES oauth_clients (id),
    account_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT,
    family_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
) STRICT;
CREATE INDEX oauth_codes_client ON oauth_codes (client_id);

CREATE TABLE oauth_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
    kind TEXT NOT NULL,
    account_id TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES oauth_clients (id),
    user_id TEXT NOT NULL,
    scopes TEXT NOT NULL,
    family_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    revoked_at INTEGER
) STRICT;
CREATE INDEX oauth_tokens_family ON oauth_tokens (family_id);
CREATE INDEX oauth_tokens_client ON oauth_tokens (client_id);
