-- The data 000011 filled in (task object names, run snapshots and counters, statuses of
-- legacy runs) is what the runs now are: the rollback keeps it. Account events go back to
-- the kinds 000005 knows; the per-folder Drive tokens and file versions are dropped.
ALTER TABLE source_files DROP COLUMN external_version;
DROP TABLE drive_sync_folders;

ALTER TABLE activity_events DROP CONSTRAINT activity_events_kind_check;
UPDATE activity_events SET kind = 'connector_connect_failed' WHERE kind = 'connector_account_revoked';
DELETE FROM activity_events WHERE kind = 'connector_account_error';
ALTER TABLE activity_events ADD CONSTRAINT activity_events_kind_check CHECK (kind IN (
  'connector_connect_started', 'connector_connect_succeeded', 'connector_connect_failed',
  'connector_disconnect_started', 'connector_disconnect_succeeded', 'connector_disconnect_failed',
  'connector_sync_started', 'connector_sync_completed', 'connector_sync_failed',
  'connector_job_scheduled', 'connector_job_retried',
  'run_started', 'run_completed', 'run_failed',
  'export_completed', 'export_failed'));
ALTER TABLE integration_accounts DROP COLUMN consecutive_failures;

ALTER TABLE job_runs DROP CONSTRAINT job_runs_tasks_within_total_check;
