-- Issue 12 (seed 004, seed 003, seed 002 §7): the step audit trail keyed for redelivery,
-- exports followed by an operation, per-user daily usage and limits, the api request rate
-- window, runs over a given set of files with auto-run on upload, the log context carried
-- by outbox rows, and the indexes retention deletes by.

-- One row per attempt of a step, keyed so a redelivered message writes no second row.
ALTER TABLE operation_steps ADD COLUMN step_key varchar(200), ADD COLUMN started_at timestamptz;
UPDATE operation_steps SET step_key = id::text, started_at = created_at WHERE step_key IS NULL;
ALTER TABLE operation_steps ALTER COLUMN step_key SET NOT NULL,
  ADD CONSTRAINT operation_steps_operation_step_key UNIQUE (operation_id, step_key);

ALTER TABLE job_exports ADD COLUMN operation_id uuid
  CONSTRAINT job_exports_operation_id_fkey REFERENCES operations (id) ON DELETE SET NULL;

ALTER TABLE user_settings
  ADD COLUMN max_runs_per_day integer NOT NULL DEFAULT 200
    CONSTRAINT user_settings_max_runs_per_day_check CHECK (max_runs_per_day BETWEEN 1 AND 100000),
  ADD COLUMN max_pages_per_month integer NOT NULL DEFAULT 20000
    CONSTRAINT user_settings_max_pages_per_month_check CHECK (max_pages_per_month BETWEEN 1 AND 100000000);

-- Usage per user and UTC day, counted in the transaction of the change it measures.
CREATE TABLE usage_daily (
  user_id             varchar(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  day                 date NOT NULL,
  runs_started        integer NOT NULL DEFAULT 0 CONSTRAINT usage_daily_runs_started_check CHECK (runs_started >= 0),
  documents_processed integer NOT NULL DEFAULT 0 CONSTRAINT usage_daily_documents_processed_check CHECK (documents_processed >= 0),
  pages_processed     integer NOT NULL DEFAULT 0 CONSTRAINT usage_daily_pages_processed_check CHECK (pages_processed >= 0),
  input_tokens        bigint NOT NULL DEFAULT 0 CONSTRAINT usage_daily_input_tokens_check CHECK (input_tokens >= 0),
  output_tokens       bigint NOT NULL DEFAULT 0 CONSTRAINT usage_daily_output_tokens_check CHECK (output_tokens >= 0),
  exports_download    integer NOT NULL DEFAULT 0 CONSTRAINT usage_daily_exports_download_check CHECK (exports_download >= 0),
  exports_gdrive      integer NOT NULL DEFAULT 0 CONSTRAINT usage_daily_exports_gdrive_check CHECK (exports_gdrive >= 0),
  exports_gmail       integer NOT NULL DEFAULT 0 CONSTRAINT usage_daily_exports_gmail_check CHECK (exports_gmail >= 0),
  imported_bytes      bigint NOT NULL DEFAULT 0 CONSTRAINT usage_daily_imported_bytes_check CHECK (imported_bytes >= 0),
  api_requests        integer NOT NULL DEFAULT 0 CONSTRAINT usage_daily_api_requests_check CHECK (api_requests >= 0),
  PRIMARY KEY (user_id, day)
);

-- The api's per-user request rate: one row per user, a fixed window reset in place.
CREATE TABLE api_request_windows (
  user_id      varchar(128) PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  window_start timestamptz NOT NULL,
  requests     integer NOT NULL CONSTRAINT api_request_windows_requests_check CHECK (requests >= 0)
);

-- A run over a given set of files: the files are listed against the operation that asked
-- for the run (the run row only exists once the initializer has numbered it).
CREATE TABLE run_files (
  operation_id   uuid NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
  source_file_id uuid NOT NULL REFERENCES source_files (id) ON DELETE CASCADE,
  PRIMARY KEY (operation_id, source_file_id)
);
CREATE INDEX idx_run_files_source_file ON run_files (source_file_id);

-- Auto-run on upload (seed 003): files added together share one pending run, started once
-- no file has joined it for the debounce.
ALTER TABLE extraction_jobs ADD COLUMN auto_run boolean NOT NULL DEFAULT false;
CREATE TABLE auto_run_batches (
  operation_id uuid PRIMARY KEY REFERENCES operations (id) ON DELETE CASCADE,
  job_id       uuid NOT NULL REFERENCES extraction_jobs (id) ON DELETE CASCADE,
  run_id       uuid NOT NULL,
  due_at       timestamptz NOT NULL,
  closed_at    timestamptz
);
CREATE UNIQUE INDEX auto_run_batches_one_open ON auto_run_batches (job_id) WHERE closed_at IS NULL;

ALTER TABLE job_runs DROP CONSTRAINT job_runs_trigger_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_trigger_check CHECK (trigger IN ('legacy', 'manual', 'automation', 'upload'));

-- The trace and request id of whatever wrote the row, handed to the message it becomes.
ALTER TABLE outbox ADD COLUMN log_context jsonb;

-- Retention deletes by age, oldest first, in bounded batches.
CREATE INDEX idx_activity_events_created ON activity_events (created_at);
CREATE INDEX idx_operations_finished ON operations (completed_at) WHERE status IN ('completed', 'failed', 'cancelled');
CREATE INDEX idx_outbox_relayed ON outbox (relayed_at) WHERE relayed_at IS NOT NULL;
CREATE INDEX idx_connector_jobs_finished ON connector_jobs (finished_at) WHERE status IN ('success', 'failed', 'cancelled');
CREATE INDEX idx_source_files_uploading ON source_files (created_at) WHERE status = 'uploading';
