-- The password grant (the Acronis dialect's token endpoint) can be turned off per account;
-- on by default.
ALTER TABLE accounts ADD COLUMN password_grant boolean NOT NULL DEFAULT true;

-- Notarization certificates: a PDF the instance seals (with a signature time-stamp) binding a
-- document's SHA-256 to the time it was first asked for; one per account and hash, found by
-- the document hash or by the certificate's own SHA-256.
CREATE TABLE notarizations (
    account_id uuid NOT NULL,
    document_sha256 bytea NOT NULL CHECK (octet_length(document_sha256) = 32),
    blob_key text NOT NULL,
    certificate_sha256 bytea NOT NULL CHECK (octet_length(certificate_sha256) = 32),
    certificate_size bigint NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (account_id, document_sha256)
);
CREATE INDEX notarizations_certificate ON notarizations (account_id, certificate_sha256);

-- Finding a document by the SHA-256 of its upload (the Acronis document id).
CREATE INDEX documents_original_sha256 ON documents (account_id, original_sha256);
