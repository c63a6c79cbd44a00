-- The OAuth2 authorization server and the web login it needs. Every secret (session cookie,
-- client secret, code, token) is stored only as its SHA-256.
CREATE TABLE web_sessions (
    hash bytea PRIMARY KEY NOT NULL CHECK (octet_length(hash) = 32),
    account_id uuid NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id)
);

CREATE TABLE oauth_clients (
    id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL,
    user_id uuid NOT NULL,
    name text NOT NULL,
    -- JSON array of exact redirect URIs.
    redirect_uris text NOT NULL,
    -- NULL for a public client.
    secret_hash bytea CHECK (secret_hash IS NULL OR octet_length(secret_hash) = 32),
    -- Space-separated grant types and scopes.
    grants text NOT NULL,
    scopes text NOT NULL,
    created_at timestamptz NOT NULL,
    FOREIGN KEY (user_id, account_id) REFERENCES users (id, account_id)
);
CREATE INDEX oauth_clients_account ON oauth_clients (account_id, id);

CREATE TABLE oauth_codes (
    hash bytea PRIMARY KEY NOT NULL CHECK (octet_length(hash) = 32),
    client_id uuid NOT NULL REFERENCES oauth_clients (id),
    account_id uuid NOT NULL,
    user_id uuid NOT NULL,
    redirect_uri text NOT NULL,
    scopes text NOT NULL,
    code_challenge text,
    family_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX oauth_codes_client ON oauth_codes (client_id);

CREATE TABLE oauth_tokens (
    id uuid PRIMARY KEY NOT NULL,
    hash bytea NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
    kind text NOT NULL,
    account_id uuid NOT NULL,
    client_id uuid NOT NULL REFERENCES oauth_clients (id),
    user_id uuid NOT NULL,
    scopes text NOT NULL,
    family_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX oauth_tokens_family ON oauth_tokens (family_id);
CREATE INDEX oauth_tokens_client ON oauth_tokens (client_id);
