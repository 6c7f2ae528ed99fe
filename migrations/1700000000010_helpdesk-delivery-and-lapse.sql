-- Up Migration

-- Where a reset email stands with the mail provider, fed by its answer and by its
-- webhooks (Delivery, Bounce, SpamComplaint): when, in words, and Postmark's bounce type.
ALTER TABLE password_resets DROP CONSTRAINT password_resets_delivery_state_check;
ALTER TABLE password_resets ADD CONSTRAINT password_resets_delivery_state_check
  CHECK (delivery_state IN ('pending', 'sent', 'delivered', 'bounced', 'complained', 'failed'));
ALTER TABLE password_resets
  ADD COLUMN delivery_at timestamptz,
  ADD COLUMN delivery_detail text,
  ADD COLUMN delivery_bounce_type text;
-- webhooks find their reset by the provider's message id
CREATE INDEX password_resets_message ON password_resets (message_id) WHERE message_id IS NOT NULL;
-- the tenant's resets, newest first, keyset-paged on (created_at, id)
CREATE INDEX password_resets_tenant_page ON password_resets (tenant_id, created_at DESC, id DESC);
CREATE INDEX password_resets_user_page ON password_resets (tenant_id, user_id, created_at DESC, id DESC);

-- A temporary password (path 2, must change at next sign-in) lapses: when, and the
-- workflow that tracks it (a newer password write signals it to end).
ALTER TABLE users
  ADD COLUMN password_expires_at timestamptz,
  ADD COLUMN temporary_password_workflow_id text,
  ADD CONSTRAINT users_expiry_needs_password CHECK (password_hash IS NOT NULL OR password_expires_at IS NULL);

-- the audit log filtered by actor (the key, user or system that acted)
CREATE INDEX audit_events_actor ON audit_events (tenant_id, (actor->>'id'), seq DESC);

-- Down Migration
DROP INDEX audit_events_actor;
ALTER TABLE users DROP CONSTRAINT users_expiry_needs_password, DROP COLUMN temporary_password_workflow_id, DROP COLUMN password_expires_at;
DROP INDEX password_resets_user_page;
DROP INDEX password_resets_tenant_page;
DROP INDEX password_resets_message;
ALTER TABLE password_resets DROP COLUMN delivery_bounce_type, DROP COLUMN delivery_detail, DROP COLUMN delivery_at;
ALTER TABLE password_resets DROP CONSTRAINT password_resets_delivery_state_check;
ALTER TABLE password_resets ADD CONSTRAINT password_resets_delivery_state_check CHECK (delivery_state IN ('pending', 'sent', 'failed'));
