-- Extended authentication sessions (Ignisign's `extendedAuthSessionEnabled`): an envelope
-- setting, and the auth passes a verification on such an envelope gives the browser.
ALTER TABLE envelopes ADD COLUMN extended_auth_session boolean NOT NULL DEFAULT false;

-- Only the SHA-256 of the HttpOnly cookie is stored. A pass counts for 30 minutes from the
-- verification (expires_at) on another envelope of the same account with the setting on, for
-- a signer with the same normalised e-mail and the same method (and phone for `sms`, provider
-- for `oidc`). The source signer's link generation and the verification's audit event are
-- kept: a new link for that signer ends the pass.
CREATE TABLE signer_auth_passes (
    hash bytea PRIMARY KEY NOT NULL CHECK (octet_length(hash) = 32),
    account_id uuid NOT NULL,
    email TEXT NOT NULL,
    method TEXT NOT NULL,
    phone TEXT,
    identity_provider TEXT,
    envelope_id uuid NOT NULL,
    signer_id uuid NOT NULL,
    generation bigint NOT NULL,
    event_seq bigint NOT NULL,
    verified_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    FOREIGN KEY (signer_id, envelope_id) REFERENCES signers (id, envelope_id)
);
CREATE INDEX signer_auth_passes_signer ON signer_auth_passes (account_id, signer_id);
