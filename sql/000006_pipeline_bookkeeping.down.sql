DROP TABLE outbox;
DROP TABLE system_prompts;
DROP TABLE user_settings;

ALTER TABLE source_files
  DROP COLUMN updated_at, DROP COLUMN error_message, DROP COLUMN parent_file_id, DROP COLUMN checksum_sha256;

DROP INDEX idx_extraction_results_task_once;
ALTER TABLE extraction_results
  DROP COLUMN output_tokens, DROP COLUMN input_tokens, DROP COLUMN system_prompt_version,
  DROP COLUMN model_name, DROP COLUMN engine;

DROP INDEX idx_extraction_tasks_stuck;
ALTER TABLE extraction_tasks DROP CONSTRAINT extraction_tasks_source_file_id_fkey;
ALTER TABLE extraction_tasks ADD CONSTRAINT extraction_tasks_source_file_id_fkey
  FOREIGN KEY (source_file_id) REFERENCES source_files (id) ON DELETE CASCADE;
ALTER TABLE extraction_tasks
  DROP COLUMN object_name, DROP COLUMN mime_type, DROP COLUMN source_type, DROP COLUMN source_filename,
  DROP COLUMN error_code, DROP COLUMN updated_at, DROP COLUMN started_at, DROP COLUMN locked_at,
  DROP COLUMN locked_by, DROP COLUMN next_retry_at, DROP COLUMN invalid_answers,
  DROP COLUMN max_attempts, DROP COLUMN attempts;
-- The legacy states have no 'cancelled': a cancelled task reads as failed there.
ALTER TABLE extraction_tasks DROP CONSTRAINT extraction_tasks_status_check;
UPDATE extraction_tasks SET status = 'processing' WHERE status = 'running';
UPDATE extraction_tasks SET status = 'failed', error_message = coalesce(error_message, 'cancelled')
 WHERE status = 'cancelled';
ALTER TABLE extraction_tasks ADD CONSTRAINT extraction_tasks_status_check
  CHECK (status IN ('pending', 'processing', 'completed', 'failed'));

DROP INDEX idx_job_runs_job_status;
ALTER TABLE job_runs
  DROP COLUMN updated_at, DROP COLUMN error_message, DROP COLUMN extraction_settings, DROP COLUMN fields_snapshot,
  DROP COLUMN operation_id;

ALTER TABLE job_fields DROP COLUMN required;

ALTER TABLE connector_jobs DROP CONSTRAINT connector_jobs_operation_id_fkey;

DROP TABLE operation_steps;
DROP TABLE operations;
