-- A DOC or DOCX upload is converted to the PDF that is signed; the upload itself is kept.
ALTER TABLE documents ADD COLUMN source_blob_key text;
ALTER TABLE documents ADD COLUMN source_sha256 bytea;
ALTER TABLE documents ADD COLUMN source_size bigint;
ALTER TABLE documents ADD COLUMN source_media_type text;
-- The signers' approval signatures added so far (one incremental update each, in signing
-- order) and whose they are (a JSON array of signer ids), until the envelope is sealed.
ALTER TABLE documents ADD COLUMN revision_blob_key text;
ALTER TABLE documents ADD COLUMN revision_sha256 bytea;
ALTER TABLE documents ADD COLUMN revision_size bigint;
ALTER TABLE documents ADD COLUMN revision_signers text;
