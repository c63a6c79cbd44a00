-- Signer authentication at an external OpenID Connect identity provider (`auth_method` `oidc`):
-- the configured provider's name.
ALTER TABLE signers ADD COLUMN identity_provider TEXT;

-- Logins under way at a provider: only the SHA-256 of the `state`; the PKCE verifier and nonce
-- are derived from the state with an instance key. Single use (used_at), ten minutes, and bound
-- to the browser session that started them (session_hash), which the callback verifies.
CREATE TABLE signer_oidc_requests (
    state_hash BLOB PRIMARY KEY NOT NULL CHECK (length(state_hash) = 32),
    account_id TEXT NOT NULL,
    envelope_id TEXT NOT NULL,
    signer_id TEXT NOT NULL,
    generation INTEGER NOT NULL,
    provider TEXT NOT NULL,
    session_hash BLOB NOT NULL CHECK (length(session_hash) = 32),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    FOREIGN KEY (signer_id, envelope_id) REFERENCES signers (id, envelope_id)
) STRICT;
CREATE INDEX signer_oidc_requests_signer ON signer_oidc_requests (account_id, signer_id);
