-- A DOC or DOCX upload is converted to the PDF that is signed; the upload itself is kept.
ALTER TABLE documents ADD COLUMN source_blob_key TEXT;
ALTER TABLE documents ADD COLUMN source_sha256 BLOB;
ALTER TABLE documents ADD COLUMN source_size INTEGER;
ALTER TABLE documents ADD COLUMN source_media_type TEXT;
