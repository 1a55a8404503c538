-- Seeds 003 and 004: operations with progress and a per-step audit trail, run snapshots,
-- task retry bookkeeping, result provenance, per-user settings, versioned system
-- prompts, and the transactional outbox (DESIGN.md "Delivery semantics").

CREATE TABLE operations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       varchar(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind          varchar(20) NOT NULL
    CONSTRAINT operations_kind_check CHECK (kind IN ('run', 'drive_import', 'gmail_import', 'export')),
  -- The run, export or connector job this operation follows.
  subject_id    uuid,
  status        varchar(20) NOT NULL DEFAULT 'pending'
    CONSTRAINT operations_status_check
    CHECK (status IN ('pending', 'in_progress', 'completed', 'failed', 'cancelled')),
  pct           integer NOT NULL DEFAULT 0 CONSTRAINT operations_pct_check CHECK (pct BETWEEN 0 AND 100),
  stage         varchar(200),
  error_message text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz
);
CREATE INDEX idx_operations_user ON operations (user_id, created_at DESC);
CREATE INDEX idx_operations_subject ON operations (subject_id);

CREATE TABLE operation_steps (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  operation_id  uuid NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
  step_name     varchar(100) NOT NULL,
  event_status  varchar(20) NOT NULL
    CONSTRAINT operation_steps_event_status_check CHECK (event_status IN ('started', 'completed', 'failed', 'retried')),
  duration_ms   integer CONSTRAINT operation_steps_duration_ms_check CHECK (duration_ms >= 0),
  retry_count   integer NOT NULL DEFAULT 0 CONSTRAINT operation_steps_retry_count_check CHECK (retry_count >= 0),
  error_message text,
  data          jsonb,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_operation_steps_operation ON operation_steps (operation_id, created_at);

ALTER TABLE connector_jobs ADD CONSTRAINT connector_jobs_operation_id_fkey
  FOREIGN KEY (operation_id) REFERENCES operations (id) ON DELETE SET NULL;

ALTER TABLE job_fields ADD COLUMN required boolean NOT NULL DEFAULT false;

ALTER TABLE job_runs
  ADD COLUMN operation_id uuid CONSTRAINT job_runs_operation_id_key UNIQUE
    REFERENCES operations (id) ON DELETE SET NULL,
  ADD COLUMN fields_snapshot jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- Model and system prompt (name, version, text) the run was started with.
  ADD COLUMN extraction_settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN error_message text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX idx_job_runs_job_status ON job_runs (job_id, status, run_number DESC);

-- Tasks: 'processing' becomes 'running' (the down migration maps it back), 'cancelled'
-- joins, and retries become data on the row.
ALTER TABLE extraction_tasks DROP CONSTRAINT extraction_tasks_status_check;
UPDATE extraction_tasks SET status = 'running' WHERE status = 'processing';
ALTER TABLE extraction_tasks ADD CONSTRAINT extraction_tasks_status_check
  CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled'));
ALTER TABLE extraction_tasks
  ADD COLUMN attempts integer NOT NULL DEFAULT 0 CONSTRAINT extraction_tasks_attempts_check CHECK (attempts >= 0),
  ADD COLUMN max_attempts integer NOT NULL DEFAULT 5 CONSTRAINT extraction_tasks_max_attempts_check CHECK (max_attempts >= 1),
  ADD COLUMN invalid_answers integer NOT NULL DEFAULT 0 CONSTRAINT extraction_tasks_invalid_answers_check CHECK (invalid_answers >= 0),
  ADD COLUMN next_retry_at timestamptz,
  ADD COLUMN locked_by text,
  ADD COLUMN locked_at timestamptz,
  ADD COLUMN started_at timestamptz,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN error_code varchar(100),
  -- Snapshot of the file at run start, so deleting the file later rewrites no history.
  ADD COLUMN source_filename varchar(1024),
  ADD COLUMN source_type varchar(20)
    CONSTRAINT extraction_tasks_source_type_check CHECK (source_type IN ('upload', 'gdrive', 'gmail')),
  ADD COLUMN mime_type varchar(255),
  ADD COLUMN object_name varchar(2048);
ALTER TABLE extraction_tasks DROP CONSTRAINT extraction_tasks_source_file_id_fkey;
ALTER TABLE extraction_tasks ADD CONSTRAINT extraction_tasks_source_file_id_fkey
  FOREIGN KEY (source_file_id) REFERENCES source_files (id) ON DELETE SET NULL;
CREATE INDEX idx_extraction_tasks_stuck ON extraction_tasks (locked_at) WHERE status = 'running';

ALTER TABLE extraction_results
  ADD COLUMN engine varchar(50),
  ADD COLUMN model_name varchar(100),
  ADD COLUMN system_prompt_version varchar(50),
  ADD COLUMN input_tokens integer CONSTRAINT extraction_results_input_tokens_check CHECK (input_tokens >= 0),
  ADD COLUMN output_tokens integer CONSTRAINT extraction_results_output_tokens_check CHECK (output_tokens >= 0);
-- One result per task for everything the pipeline writes (legacy rows have no engine).
CREATE UNIQUE INDEX idx_extraction_results_task_once ON extraction_results (task_id) WHERE engine IS NOT NULL;

ALTER TABLE source_files
  ADD COLUMN checksum_sha256 varchar(64),
  ADD COLUMN parent_file_id uuid REFERENCES source_files (id) ON DELETE CASCADE,
  ADD COLUMN error_message text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE user_settings (
  user_id                 varchar(128) PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  max_upload_bytes        bigint NOT NULL DEFAULT 26214400
    CONSTRAINT user_settings_max_upload_bytes_check CHECK (max_upload_bytes > 0 AND max_upload_bytes <= 1073741824),
  export_retention_days   integer NOT NULL DEFAULT 30
    CONSTRAINT user_settings_export_retention_days_check CHECK (export_retention_days BETWEEN 1 AND 365),
  activity_retention_days integer NOT NULL DEFAULT 90
    CONSTRAINT user_settings_activity_retention_days_check CHECK (activity_retention_days BETWEEN 1 AND 3650),
  model_name              varchar(100),
  custom_system_prompt    text,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE system_prompts (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       varchar(100) NOT NULL,
  version    integer NOT NULL CONSTRAINT system_prompts_version_check CHECK (version >= 1),
  content    text NOT NULL,
  is_active  boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT system_prompts_name_version_key UNIQUE (name, version)
);
CREATE UNIQUE INDEX idx_system_prompts_one_active ON system_prompts (name) WHERE is_active;
INSERT INTO system_prompts (name, version, content, is_active) VALUES ('extraction', 1,
'You extract structured data from business documents (invoices, receipts, statements).
Answer only with JSON matching the response schema: "columns" lists the requested field
names in the given order, and "results" holds one array per record found in the document,
with one value per column. Use null when a value is absent; never invent values. Dates are
YYYY-MM-DD, numbers and amounts are plain numbers without currency symbols or thousands
separators, yes/no answers are booleans, lists are arrays of strings.', true);

CREATE TABLE outbox (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind          varchar(10) NOT NULL CONSTRAINT outbox_kind_check CHECK (kind IN ('topic', 'queue')),
  name          varchar(100) NOT NULL,
  payload       jsonb NOT NULL,
  dedupe_key    text,
  delay_seconds integer NOT NULL DEFAULT 0 CONSTRAINT outbox_delay_seconds_check CHECK (delay_seconds >= 0),
  attempts      integer NOT NULL DEFAULT 0 CONSTRAINT outbox_attempts_check CHECK (attempts >= 0),
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- A relay claims a row by pushing this forward; a crashed relay's claim lapses.
  claimed_until timestamptz,
  relayed_at    timestamptz
);
CREATE INDEX idx_outbox_unrelayed ON outbox (id) WHERE relayed_at IS NULL;
