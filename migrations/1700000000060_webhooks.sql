-- Up Migration

-- Outbound webhooks (api.md, "Outbound webhooks"). An endpoint's signing secret is stored
-- sealed (AES-256-GCM under SECRETS_KEY, src/security/sealing.ts), never in clear; after a
-- rotation the previous secret keeps signing until previous_secret_expires_at.
CREATE TABLE webhook_endpoints (
  id                          uuid PRIMARY KEY,
  tenant_id                   text NOT NULL REFERENCES tenants (id),
  url                         text NOT NULL,
  description                 text NOT NULL DEFAULT '',
  -- NULL: every action of the audit catalogue
  event_types                 text[],
  enabled                     boolean NOT NULL DEFAULT true,
  disabled_reason             text,
  secret_sealed               text NOT NULL,
  previous_secret_sealed      text,
  previous_secret_expires_at  timestamptz,
  -- the first failed attempt since the last success: 5 days of failures disable the endpoint
  failing_since               timestamptz,
  created_at                  timestamptz NOT NULL,
  updated_at                  timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at);

-- The outbox: one row per (endpoint, event), written in the transaction that writes the
-- audit row (the trigger below), so an event and its deliveries never diverge. The worker's
-- dispatcher starts one workflow per row (dispatched = false: not started yet); a manual retry
-- bumps generation and clears dispatched.
CREATE TABLE webhook_deliveries (
  seq              bigserial UNIQUE,
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        text NOT NULL,
  endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id         uuid NOT NULL,
  event_type       text NOT NULL,
  -- the body of an event that is not an audit row (webhook.test); NULL: the audit event event_id
  payload          jsonb,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_attempt_at  timestamptz,
  last_status      integer,
  last_error       text,
  next_attempt_at  timestamptz DEFAULT now(),
  generation       integer NOT NULL DEFAULT 0,
  -- attempts made by earlier generations: a manual retry's attempts count on from there
  generation_base  integer NOT NULL DEFAULT 0,
  dispatched       boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq DESC);
CREATE INDEX webhook_deliveries_undispatched ON webhook_deliveries (seq) WHERE NOT dispatched;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (created_at) WHERE state = 'pending';

-- Every audit row, whoever writes it, gets its deliveries in the same statement's transaction:
-- one row per enabled endpoint of the tenant subscribed to the action.
CREATE FUNCTION webhook_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type)
  SELECT ev.tenant_id, ep.id, ev.id, ev.action
    FROM new_events ev
    JOIN webhook_endpoints ep ON ep.tenant_id = ev.tenant_id AND ep.enabled
                             AND (ep.event_types IS NULL OR ev.action = ANY (ep.event_types))
  ON CONFLICT (endpoint_id, event_id) DO NOTHING;
  -- wake the worker's dispatcher when the transaction commits (its periodic sweep catches the rest)
  IF FOUND THEN
    PERFORM pg_notify('webhook_deliveries', '');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_events_webhook_outbox AFTER INSERT ON audit_events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION webhook_outbox();

-- Down Migration
DROP TRIGGER audit_events_webhook_outbox ON audit_events;
DROP FUNCTION webhook_outbox();
DROP TABLE webhook_deliveries, webhook_endpoints;
