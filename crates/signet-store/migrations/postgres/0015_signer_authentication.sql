-- Signer authentication beyond the link: `email_otp` or `sms` (with the signer's E.164 phone).
ALTER TABLE signers ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'none';
ALTER TABLE signers ADD COLUMN phone TEXT;

-- A signer's browser sessions: the SHA-256 of an HttpOnly cookie. Codes are bound to the
-- session that asked for them; verifying a code replaces the row's hash (a fresh cookie) and
-- sets verified_at, which unlocks the signing API for that browser.
CREATE TABLE signer_sessions (
    hash bytea PRIMARY KEY NOT NULL CHECK (octet_length(hash) = 32),
    account_id uuid NOT NULL,
    envelope_id uuid NOT NULL,
    signer_id uuid NOT NULL,
    generation bigint NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    verified_at timestamptz,
    FOREIGN KEY (signer_id, envelope_id) REFERENCES signers (id, envelope_id)
);
CREATE INDEX signer_sessions_signer ON signer_sessions (account_id, signer_id);

-- One-time codes: only HMAC(instance OTP key, id ‖ code) is stored. Codes whose sending
-- failed (failed_at) do not count against the signer's send limit.
CREATE TABLE signer_otps (
    id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL,
    envelope_id uuid NOT NULL,
    signer_id uuid NOT NULL,
    channel TEXT NOT NULL,
    code_hash bytea NOT NULL CHECK (octet_length(code_hash) = 32),
    session_hash bytea NOT NULL CHECK (octet_length(session_hash) = 32),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    sent_at timestamptz,
    failed_at timestamptz,
    attempts bigint NOT NULL DEFAULT 0,
    used_at timestamptz,
    FOREIGN KEY (signer_id, envelope_id) REFERENCES signers (id, envelope_id)
);
CREATE INDEX signer_otps_signer ON signer_otps (account_id, signer_id, created_at);
