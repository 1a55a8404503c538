-- Webhooks (issue 14): a user's endpoints and the deliveries made to them. A delivery row
-- is written in the same transaction as the event it announces, with an outbox message
-- for the `webhook` queue; its id is the Standard Webhooks `webhook-id`, the same on every
-- retry. The signing secret is stored encrypted with the token keyring (shared/secrets).
CREATE TABLE webhook_endpoints (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id varchar(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  url text NOT NULL CHECK (length(url) <= 2000),
  events text[] NOT NULL CHECK (cardinality(events) > 0),
  secret bytea NOT NULL,
  status varchar(20) NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
  disabled_reason text,
  consecutive_failures integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_user_id_idx ON webhook_endpoints (user_id, created_at);

CREATE TABLE webhook_deliveries (
  id varchar(64) PRIMARY KEY,
  endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_type varchar(50) NOT NULL,
  event_key varchar(300) NOT NULL,
  payload jsonb NOT NULL,
  status varchar(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_status_code integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  delivered_at timestamptz,
  UNIQUE (endpoint_id, event_key)
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);

-- An endpoint disabled after repeated failure is told in the activity log.
ALTER TABLE activity_events DROP CONSTRAINT activity_events_kind_check;
ALTER TABLE activity_events ADD CONSTRAINT activity_events_kind_check CHECK (kind IN (
  'connector_connect_started', 'connector_connect_succeeded', 'connector_connect_failed',
  'connector_disconnect_started', 'connector_disconnect_succeeded', 'connector_disconnect_failed',
  'connector_sync_started', 'connector_sync_completed', 'connector_sync_failed',
  'connector_job_scheduled', 'connector_job_retried', 'connector_account_revoked', 'connector_account_error',
  'run_started', 'run_completed', 'run_failed',
  'export_completed', 'export_failed',
  'webhook_disabled'));
