-- Credentials carry scopes (space-separated: read, write, admin), and a kind: an account API
-- key (`api_key`) or a user's personal access token (`personal`). Keys made before this
-- migration keep every scope.
ALTER TABLE api_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'api_key';
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read write admin';
