-- Up Migration

-- When a tenant key was last used (for GET …/api-keys; written at most once a minute per key).
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at);

-- A change token issued at sign-in dies with the password it was issued for: any later
-- password write ends it in the same transaction.
ALTER TABLE change_tokens ADD COLUMN invalidated_at timestamptz;
CREATE INDEX change_tokens_user_open ON change_tokens (user_id) WHERE used_at IS NULL AND invalidated_at IS NULL;

-- Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): one row per key and caller.
-- The first request with a key claims the row; its outcome is stored and replayed to every
-- later request with the same key and the same request; a different request is refused.
CREATE TABLE idempotency_keys (
  owner        text NOT NULL,
  key          text NOT NULL,
  fingerprint  bytea NOT NULL,
  state        text NOT NULL CHECK (state IN ('in_progress', 'done')),
  -- a claim older than this is taken over (the process that held it died)
  locked_until timestamptz NOT NULL,
  status       integer,
  headers      jsonb,
  body         text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (owner, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Down Migration
DROP TABLE idempotency_keys;
DROP INDEX change_tokens_user_open;
ALTER TABLE change_tokens DROP COLUMN invalidated_at;
DROP INDEX api_keys_tenant;
ALTER TABLE api_keys DROP COLUMN last_used_at;
