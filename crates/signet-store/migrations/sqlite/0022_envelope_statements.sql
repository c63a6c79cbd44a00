-- Statements every signer must accept before signing (id, Markdown label, optional document),
-- as a JSON array: set while the envelope is a draft, read only with the envelope.
ALTER TABLE envelopes ADD COLUMN statements TEXT NOT NULL DEFAULT '[]';
