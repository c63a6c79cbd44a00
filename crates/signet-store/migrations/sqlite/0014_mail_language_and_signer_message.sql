-- The account's default language for recipients added without one (NULL: English), and a
-- message for one recipient's invitation (allow-listed HTML, shown instead of the envelope's).
ALTER TABLE accounts ADD COLUMN default_language TEXT;
ALTER TABLE signers ADD COLUMN message TEXT;
