-- A DOC or DOCX upload is converted to the PDF that is signed; the upload itself is kept.
ALTER TABLE documents ADD COLUMN source_blob_key TEXT;
ALTER TABLE documents ADD COLUMN source_sha256 BLOB;
ALTER TABLE documents ADD COLUMN source_size INTEGER;
ALTER TABLE documents ADD COLUMN source_media_type TEXT;
-- The signers' approval signatures added so far (one incremental update each, in signing
-- order) and whose they are (a JSON array of signer ids), until the envelope is sealed.
ALTER TABLE documents ADD COLUMN revision_blob_key TEXT;
ALTER TABLE documents ADD COLUMN revision_sha256 BLOB;
ALTER TABLE documents ADD COLUMN revision_size INTEGER;
ALTER TABLE documents ADD COLUMN revision_signers TEXT;
