DROP INDEX idx_job_exports_stuck;
DROP INDEX idx_job_exports_run_automation;
ALTER TABLE job_exports
  DROP COLUMN completed_at, DROP COLUMN delivery_started_at, DROP COLUMN delivery_key, DROP COLUMN error_code,
  DROP COLUMN locked_at, DROP COLUMN locked_by, DROP COLUMN attempts, DROP COLUMN rows_exported,
  DROP COLUMN object_name, DROP COLUMN file_name, DROP COLUMN automation_id, DROP COLUMN options, DROP COLUMN account_id;
