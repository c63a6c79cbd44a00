-- Contacts: people an account can later name as recipients of a draft (a front door such as
-- Ignisign creates its signers before any signature request exists).
CREATE TABLE contacts (
    id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL REFERENCES accounts (id),
    first_name text,
    last_name text,
    email text NOT NULL,
    external_id text,
    created_at timestamptz NOT NULL
);
CREATE INDEX contacts_account ON contacts (account_id);

-- Settings a front door keeps about an envelope that the core does not act on (for example
-- Ignisign's diffusion mode, statements or extended auth session), as one JSON document,
-- written in the same transaction as the envelope change that sets them.
CREATE TABLE envelope_attributes (
    envelope_id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL,
    body text NOT NULL,
    FOREIGN KEY (envelope_id, account_id) REFERENCES envelopes (id, account_id)
);
