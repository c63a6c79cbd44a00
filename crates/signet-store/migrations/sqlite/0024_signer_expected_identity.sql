-- Who an `oidc` signer's identity provider must confirm they are (Stiply's `idin` object), as
-- JSON: {"family_name": "...", "birthdate": "YYYY-MM-DD"}, either part optional.
ALTER TABLE signers ADD COLUMN expected_identity TEXT;
