-- Signer authentication beyond the link: `email_otp` or `sms` (with the signer's E.164 phone).
ALTER TABLE signers ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'none';
ALTER TABLE signers ADD COLUMN phone TEXT;

-- A signer's browser sessions: the SHA-256 of an HttpOnly cookie. Codes are bound to the
-- session that asked for them; verifying a code replaces the row's hash (a fresh cookie) and
-- sets verified_at, which unlocks the signing API for that browser.
CREATE TABLE signer_sessions (
    hash BLOB PRIMARY KEY NOT NULL CHECK (length(hash) = 32),
    account_id TEXT NOT NULL,
    envelope_id TEXT NOT NULL,
    signer_id TEXT NOT NULL,
    generation INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    verified_at INTEGER,
    FOREIGN KEY (signer_id, envelope_id) REFERENCES signers (id, envelope_id)
) STRICT;
CREATE INDEX signer_sessions_signer ON signer_sessions (account_id, signer_id);

-- One-time codes: only HMAC(instance OTP key, id ‖ code) is stored. Codes whose sending
-- failed (failed_at) do not count against the signer's send limit.
CREATE TABLE signer_otps (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL,
    envelope_id TEXT NOT NULL,
    signer_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),
    session_hash BLOB NOT NULL CHECK (length(session_hash) = 32),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    sent_at INTEGER,
    failed_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    used_at INTEGER,
    FOREIGN KEY (signer_id, envelope_id) REFERENCES signers (id, envelope_id)
) STRICT;
CREATE INDEX signer_otps_signer ON signer_otps (account_id, signer_id, created_at);
