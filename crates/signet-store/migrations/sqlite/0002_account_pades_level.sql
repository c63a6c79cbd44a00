-- A per-account PAdES baseline level for sealed documents (B-B, B-T, B-LT, B-LTA);
-- NULL means the instance default (SIGNET_PADES_LEVEL).
ALTER TABLE accounts ADD COLUMN pades_level TEXT;
