-- Signer authentication at an external OpenID Connect identity provider (`auth_method` `oidc`):
-- the configured provider's name.
ALTER TABLE signers ADD COLUMN identity_provider TEXT;

-- Logins under way at a provider: only the SHA-256 of the `state`; the PKCE verifier and nonce
-- are derived from the state with an instance key. Single use (used_at), ten minutes, and bound
-- to the browser session that started them (session_hash), which the callback verifies.
CREATE TABLE signer_oidc_requests (
    state_hash bytea PRIMARY KEY NOT NULL CHECK (octet_length(state_hash) = 32),
    account_id uuid NOT NULL,
    envelope_id uuid NOT NULL,
    signer_id uuid NOT NULL,
    generation bigint NOT NULL,
    provider TEXT NOT NULL,
    session_hash bytea NOT NULL CHECK (octet_length(session_hash) = 32),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    FOREIGN KEY (signer_id, envelope_id) REFERENCES signers (id, envelope_id)
);
CREATE INDEX signer_oidc_requests_signer ON signer_oidc_requests (account_id, signer_id);
