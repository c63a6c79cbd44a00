-- The password grant (the Acronis dialect's token endpoint) can be turned off per account;
-- on by default.
ALTER TABLE accounts ADD COLUMN password_grant INTEGER NOT NULL DEFAULT 1;

-- Notarization certificates: a PDF the instance seals (with a signature time-stamp) binding a
-- document's SHA-256 to the time it was first asked for; one per account and hash, found by
-- the document hash or by the certificate's own SHA-256.
CREATE TABLE notarizations (
    account_id TEXT NOT NULL,
    document_sha256 BLOB NOT NULL CHECK (length(document_sha256) = 32),
    blob_key TEXT NOT NULL,
    certificate_sha256 BLOB NOT NULL CHECK (length(certificate_sha256) = 32),
    certificate_size INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, document_sha256)
) STRICT;
CREATE INDEX notarizations_certificate ON notarizations (account_id, certificate_sha256);

-- Finding a document by the SHA-256 of its upload (the Acronis document id).
CREATE INDEX documents_original_sha256 ON documents (account_id, original_sha256);
