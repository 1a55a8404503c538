DELETE FROM activity_events WHERE kind = 'webhook_disabled';
ALTER TABLE activity_events DROP CONSTRAINT activity_events_kind_check;
ALTER TABLE activity_events ADD CONSTRAINT activity_events_kind_check CHECK (kind IN (
  'connector_connect_started', 'connector_connect_succeeded', 'connector_connect_failed',
  'connector_disconnect_started', 'connector_disconnect_succeeded', 'connector_disconnect_failed',
  'connector_sync_started', 'connector_sync_completed', 'connector_sync_failed',
  'connector_job_scheduled', 'connector_job_retried', 'connector_account_revoked', 'connector_account_error',
  'run_started', 'run_completed', 'run_failed',
  'export_completed', 'export_failed'));
DROP TABLE IF EXISTS webhook_deliveries;
DROP TABLE IF EXISTS webhook_endpoints;
