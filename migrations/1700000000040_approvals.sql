-- Up Migration

-- Second-admin approval of the three reset paths (api.md, "Approvals"; docs/approvals.md). A held
-- request waits in its approval workflow; this row is the authority on its decision: approve,
-- reject and the expiry timer are each one conditional UPDATE ... WHERE state = 'pending', so of
-- any number of concurrent decisions exactly one wins. The held request's options are kept here
-- for the console; a temporary password is never stored, not even sealed: it travels sealed in
-- the approval workflow's input only, as path 2's does.
CREATE TABLE approvals (
  id            uuid PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants (id),
  user_id       uuid NOT NULL,
  action        text NOT NULL CHECK (action IN ('password_reset_email', 'temporary_password', 'force_password_reset')),
  state         text NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'expired')),
  requested_by  jsonb NOT NULL,
  decided_by    jsonb,
  reason        text,
  -- the held request's options (revokeSessions, mustResetOnNextSignIn, notifyUser): never a password
  options       jsonb NOT NULL DEFAULT '{}',
  requested_at  timestamptz NOT NULL,
  decided_at    timestamptz,
  expires_at    timestamptz NOT NULL,
  workflow_id   text NOT NULL,
  -- the workflow of the action applied on approval
  applied_workflow_id text
);
CREATE INDEX approvals_tenant ON approvals (tenant_id, requested_at DESC, id DESC);
CREATE INDEX approvals_user ON approvals (tenant_id, user_id, requested_at DESC);
-- one pending request per user and action: a second is 409 approval_pending
CREATE UNIQUE INDEX approvals_one_pending ON approvals (tenant_id, user_id, action) WHERE state = 'pending';

-- Down Migration
DROP TABLE approvals;
