-- Up Migration
-- Issue 17: an Idempotency-Key's operation belongs to its caller and to the claim's lifetime. Each claim
-- draws a random seed the operation ids derive from (with the caller and the key), kept while the claim
-- lives (a failed request releases its lock, not its seed), so a retry converges and a key reused by
-- another caller, or after the retention, starts a new operation instead of silently joining an old one.
-- Fingerprints become HMACs keyed from SECRETS_KEY; bare hashes stored before are dropped with their rows.
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys ADD COLUMN operation_seed bytea NOT NULL CHECK (octet_length(operation_seed) = 16);

-- Down Migration
ALTER TABLE idempotency_keys DROP COLUMN operation_seed;
