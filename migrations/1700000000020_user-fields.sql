-- Up Migration

-- The user fields of this round, shared by several features (api.md, Users):
-- privileged (second-admin approval covers them), locale (the language of their emails and
-- pages), the password lock a "this wasn't me" report sets, and the algorithm of an imported
-- password hash (NULL: resetflow's own argon2id) that the first sign-in replaces.
ALTER TABLE users
  ADD COLUMN privileged boolean NOT NULL DEFAULT false,
  ADD COLUMN locale text,
  ADD COLUMN password_locked_at timestamptz,
  ADD COLUMN password_hash_algorithm text,
  ADD CONSTRAINT users_lock_needs_password CHECK (password_hash IS NOT NULL OR password_locked_at IS NULL),
  ADD CONSTRAINT users_algorithm_needs_password CHECK (password_hash IS NOT NULL OR password_hash_algorithm IS NULL);
ALTER TABLE users DROP CONSTRAINT users_change_required_check;
ALTER TABLE users ADD CONSTRAINT users_change_required_check
  CHECK (change_required IN ('temporary_password', 'admin_forced', 'scheduled_rotation', 'breached_password'));
-- how many users still hold each kind of imported hash (GET …/password-hashes)
CREATE INDEX users_legacy_hash ON users (tenant_id, password_hash_algorithm) WHERE password_hash_algorithm IS NOT NULL;

-- Down Migration
DROP INDEX users_legacy_hash;
ALTER TABLE users DROP CONSTRAINT users_change_required_check;
ALTER TABLE users ADD CONSTRAINT users_change_required_check
  CHECK (change_required IN ('temporary_password', 'admin_forced', 'scheduled_rotation'));
ALTER TABLE users
  DROP CONSTRAINT users_algorithm_needs_password,
  DROP CONSTRAINT users_lock_needs_password,
  DROP COLUMN password_hash_algorithm,
  DROP COLUMN password_locked_at,
  DROP COLUMN locale,
  DROP COLUMN privileged;
