-- Up Migration

-- User import (api.md, "User import with existing password hashes"). The uploaded NDJSON is
-- staged here, line by line, never carried through Temporal; the import's workflow reads it in
-- batches. Each batch commits its users, its errors and the import's cursor (next_line) in one
-- transaction, so a retried or resumed batch finds the cursor moved and imports nothing twice.
CREATE TABLE user_imports (
  id           uuid PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id),
  workflow_id  text NOT NULL,
  -- receiving: the upload is still streaming in (or was cut off: it never becomes running)
  state        text NOT NULL CHECK (state IN ('receiving', 'running', 'completed', 'failed', 'cancelled')),
  actor        jsonb NOT NULL,
  lines        integer NOT NULL DEFAULT 0,
  next_line    integer NOT NULL DEFAULT 1,
  created      integer NOT NULL DEFAULT 0,
  skipped      integer NOT NULL DEFAULT 0,
  failed       integer NOT NULL DEFAULT 0,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz
);
CREATE INDEX user_imports_tenant ON user_imports (tenant_id, started_at DESC);

-- the staged lines, deleted when the import ends (they hold password hashes)
CREATE TABLE user_import_lines (
  import_id    uuid NOT NULL REFERENCES user_imports (id) ON DELETE CASCADE,
  line         integer NOT NULL,
  body         text,
  -- set when the line could not be staged as text (not UTF-8, a NUL, too long)
  problem      text,
  -- lower(email) when the line names one: duplicates in the file are found by it
  email_lower  text,
  PRIMARY KEY (import_id, line)
);
CREATE INDEX user_import_lines_email ON user_import_lines (import_id, email_lower, line);

-- the first 1,000 bad lines of each import
CREATE TABLE user_import_errors (
  import_id  uuid NOT NULL REFERENCES user_imports (id) ON DELETE CASCADE,
  line       integer NOT NULL,
  code       text NOT NULL,
  detail     text NOT NULL,
  PRIMARY KEY (import_id, line)
);

-- an imported user's id in the system it came from (a line's externalId)
ALTER TABLE users ADD COLUMN external_id text;

-- Down Migration
ALTER TABLE users DROP COLUMN external_id;
DROP TABLE user_import_errors, user_import_lines, user_imports;
