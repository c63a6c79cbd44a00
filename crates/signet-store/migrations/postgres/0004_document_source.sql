-- A DOC or DOCX upload is converted to the PDF that is signed; the upload itself is kept.
ALTER TABLE documents ADD COLUMN source_blob_key text;
ALTER TABLE documents ADD COLUMN source_sha256 bytea;
ALTER TABLE documents ADD COLUMN source_size bigint;
ALTER TABLE documents ADD COLUMN source_media_type text;
