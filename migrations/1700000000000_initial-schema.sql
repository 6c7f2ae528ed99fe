-- Up Migration

CREATE TABLE tenants (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name        text NOT NULL,
  settings    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Tenant admin keys. Only a SHA-256 of the key is stored; the key is shown once.
CREATE TABLE api_keys (
  id          uuid PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id),
  name        text NOT NULL,
  key_hash    bytea NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE TABLE users (
  id                  uuid PRIMARY KEY,
  tenant_id           text NOT NULL REFERENCES tenants (id),
  email               text NOT NULL,
  display_name        text,
  -- the password identity: NULL for a federated-only user
  password_hash       text,
  password_set_at     timestamptz,
  password_temporary  boolean NOT NULL DEFAULT false,
  change_required     text CHECK (change_required IN ('temporary_password', 'admin_forced', 'scheduled_rotation')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (password_hash IS NOT NULL OR change_required IS NULL)
);
CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, lower(email));
CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id);

CREATE TABLE federated_identities (
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id  text NOT NULL REFERENCES tenants (id),
  provider   text NOT NULL,
  subject    text NOT NULL,
  PRIMARY KEY (user_id, provider, subject),
  UNIQUE (tenant_id, provider, subject)
);

-- Previous password hashes, newest first, for the "no reuse of the last N" rule.
CREATE TABLE password_history (
  id             bigserial PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  password_hash  text NOT NULL,
  set_at         timestamptz NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, id DESC);

-- Path 1 links. Only the SHA-256 of the token is stored.
CREATE TABLE password_resets (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id),
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash      bytea UNIQUE,
  state           text NOT NULL CHECK (state IN ('pending', 'completed', 'expired', 'superseded', 'cancelled')),
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  ended_at        timestamptz,
  -- the operation (workflow id) that ended the link, so a retried step finds what it ended
  ended_by        text,
  workflow_id     text NOT NULL,
  run_id          text,
  requested_by    jsonb NOT NULL,
  delivery_state  text NOT NULL DEFAULT 'pending' CHECK (delivery_state IN ('pending', 'sent', 'failed')),
  delivery_error  text,
  message_id      text
);
-- Only the newest link of a user works: at most one pending reset per user.
CREATE UNIQUE INDEX password_resets_one_pending ON password_resets (user_id) WHERE state = 'pending';
CREATE INDEX password_resets_tenant ON password_resets (tenant_id, created_at);

CREATE TABLE sessions (
  id            uuid PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants (id),
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash    bytea NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  user_agent    text,
  ip            text
);
CREATE INDEX sessions_user_active ON sessions (user_id) WHERE revoked_at IS NULL;

-- Single-use tokens that let a user who signed in with a password that must
-- change choose a new one (no session is issued before that).
CREATE TABLE change_tokens (
  id          uuid PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash  bytea NOT NULL UNIQUE,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

-- Every action, exactly once: writers insert with an idempotency key derived
-- from the workflow and step, so a retried activity adds nothing.
CREATE TABLE audit_events (
  seq              bigserial UNIQUE,
  id               uuid PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id),
  user_id          uuid,
  occurred_at      timestamptz NOT NULL,
  action           text NOT NULL,
  actor            jsonb NOT NULL,
  data             jsonb NOT NULL DEFAULT '{}',
  workflow_id      text,
  run_id           text,
  idempotency_key  text NOT NULL UNIQUE
);
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, seq DESC);
CREATE INDEX audit_events_user ON audit_events (tenant_id, user_id, seq DESC);

-- rate-limiter-flexible's table (see src/api/rateLimits.ts)
CREATE TABLE rate_limits (
  key     varchar(255) PRIMARY KEY,
  points  integer NOT NULL DEFAULT 0,
  expire  bigint
);

-- Down Migration
DROP TABLE rate_limits, audit_events, change_tokens, sessions, password_resets, password_history,
  federated_identities, users, api_keys, tenants;
