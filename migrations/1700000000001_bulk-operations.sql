-- Up Migration

-- A tenant-wide forced reset: a scheduled or manual rotation run, or a bulk forced reset.
-- The operation's progress lives in its workflow; this row maps its id to the workflow.
CREATE TABLE bulk_operations (
  id           uuid PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id),
  kind         text NOT NULL CHECK (kind IN ('rotation', 'bulk_force_reset')),
  workflow_id  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bulk_operations_tenant ON bulk_operations (tenant_id, created_at);

-- One row per processed batch, written in the batch's transaction: a retried batch
-- finds its row and changes nothing twice.
CREATE TABLE bulk_operation_batches (
  operation_id   uuid NOT NULL REFERENCES bulk_operations (id) ON DELETE CASCADE,
  after_user_id  uuid NOT NULL,
  last_user_id   uuid,
  matched        integer NOT NULL,
  done           integer NOT NULL,
  skipped        integer NOT NULL,
  PRIMARY KEY (operation_id, after_user_id)
);

-- Keyset scans of a tenant's password users in id order.
CREATE INDEX users_tenant_id ON users (tenant_id, id) WHERE password_hash IS NOT NULL;

-- Down Migration
DROP INDEX users_tenant_id;
DROP TABLE bulk_operation_batches, bulk_operations;
