-- Completed documents: whether the completed e-mail attaches the sealed PDFs (NULL or
-- `attach`, the default) or carries a download link per recipient (`link`). A link's token is
-- 256 random bits, mailed once; only its SHA-256 is kept. Links go with their envelope when it
-- is purged, stop when it is deleted, and expire after 30 days.
ALTER TABLE accounts ADD COLUMN completed_documents TEXT;

CREATE TABLE download_links (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    envelope_id TEXT NOT NULL,
    -- the recipient; NULL is the user who created the envelope
    signer_id TEXT,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    FOREIGN KEY (envelope_id, account_id) REFERENCES envelopes (id, account_id)
) STRICT;
CREATE INDEX download_links_envelope ON download_links (account_id, envelope_id);
