-- Up Migration

-- "Your password was changed — this wasn't me" (api.md, Password change notices): the one-time
-- report link each notice carries. Only the token's SHA-256 is stored. A link is bound to the
-- password it reports (password_set_at of that password): once the user's password changes
-- again, the link no longer matches and answers 410. One link per workflow (workflow_id is
-- unique): a retried activity replaces the token of its own still-unused link, never adds one.
CREATE TABLE password_change_reports (
  id               uuid PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id),
  user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash       bytea NOT NULL UNIQUE,
  -- the password this link reports: the user's password_set_at when it was written
  password_set_at  timestamptz NOT NULL,
  -- which notice carried it: password_changed (the user chose a password) or temporary_password_set (path 2)
  notice           text NOT NULL CHECK (notice IN ('password_changed', 'temporary_password_set')),
  workflow_id      text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  used_at          timestamptz,
  -- the provider's message id and what it said (the same delivery vocabulary as reset emails)
  message_id       text,
  delivery_state   text NOT NULL DEFAULT 'pending' CHECK (delivery_state IN ('pending', 'sent', 'delivered', 'bounced', 'complained', 'failed')),
  delivery_at      timestamptz
);
CREATE INDEX password_change_reports_user ON password_change_reports (user_id, created_at DESC);
CREATE INDEX password_change_reports_message ON password_change_reports (message_id) WHERE message_id IS NOT NULL;

-- Down Migration
DROP TABLE password_change_reports;
