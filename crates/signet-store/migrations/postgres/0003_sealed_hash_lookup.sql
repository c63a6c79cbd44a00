-- The verifier finds the envelope a sealed PDF or proof belongs to by its SHA-256.
CREATE INDEX documents_signed_sha256 ON documents (account_id, signed_sha256);
CREATE INDEX envelopes_proof_sha256 ON envelopes (account_id, proof_sha256);
