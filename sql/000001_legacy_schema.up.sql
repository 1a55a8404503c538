-- The ByteReview schema as it stood before the integration phase (seed 000 migrates from it).
-- Jobs own their tasks and results directly through job_id; there are no runs yet.

CREATE TABLE users (
  id           varchar(128) PRIMARY KEY,
  email        varchar(320),
  display_name text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE data_types (
  id             varchar(50) PRIMARY KEY,
  display_name   varchar(100) NOT NULL,
  base_json_type varchar(20) NOT NULL
    CONSTRAINT data_types_base_json_type_check
    CHECK (base_json_type IN ('string', 'number', 'boolean', 'array')),
  json_format    varchar(50),
  description    text,
  display_order  integer NOT NULL DEFAULT 0,
  is_active      boolean NOT NULL DEFAULT true
);

INSERT INTO data_types (id, display_name, base_json_type, json_format, description, display_order) VALUES
  ('text',     'Text',     'string',  NULL,       'Free text',                          1),
  ('number',   'Number',   'number',  NULL,       'A number',                           2),
  ('date',     'Date',     'string',  'date',     'A calendar date (YYYY-MM-DD)',       3),
  ('currency', 'Currency', 'number',  'currency', 'An amount of money',                 4),
  ('boolean',  'Yes / No', 'boolean', NULL,       'True or false',                      5),
  ('list',     'List',     'array',   NULL,       'Several text values',                6);

CREATE TABLE templates (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     varchar(128) REFERENCES users (id) ON DELETE CASCADE,
  name        varchar(255) NOT NULL,
  description text,
  fields      jsonb NOT NULL DEFAULT '[]'::jsonb,
  is_public   boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_templates_user_id ON templates (user_id);

CREATE TABLE extraction_jobs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         varchar(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name            varchar(255),
  template_id     uuid REFERENCES templates (id) ON DELETE SET NULL,
  status          varchar(50) NOT NULL DEFAULT 'pending'
    CONSTRAINT extraction_jobs_status_check
    CHECK (status IN ('pending', 'in_progress', 'partially_completed', 'completed', 'failed', 'cancelled')),
  persist_data    boolean NOT NULL DEFAULT true,
  tasks_total     integer NOT NULL DEFAULT 0 CONSTRAINT extraction_jobs_tasks_total_check CHECK (tasks_total >= 0),
  tasks_completed integer NOT NULL DEFAULT 0 CONSTRAINT extraction_jobs_tasks_completed_check CHECK (tasks_completed >= 0),
  tasks_failed    integer NOT NULL DEFAULT 0 CONSTRAINT extraction_jobs_tasks_failed_check CHECK (tasks_failed >= 0),
  error_message   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz
);
CREATE INDEX idx_extraction_jobs_user_id ON extraction_jobs (user_id, created_at DESC);

CREATE TABLE job_fields (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id        uuid NOT NULL REFERENCES extraction_jobs (id) ON DELETE CASCADE,
  field_name    varchar(255) NOT NULL,
  data_type_id  varchar(50) NOT NULL REFERENCES data_types (id),
  ai_prompt     text,
  display_order integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_job_fields_job_id ON job_fields (job_id, display_order);

CREATE TABLE source_files (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id            uuid NOT NULL REFERENCES extraction_jobs (id) ON DELETE CASCADE,
  original_filename varchar(1024) NOT NULL,
  original_path     varchar(2048),
  gcs_object_name   varchar(2048) NOT NULL,
  file_type         varchar(255) NOT NULL,
  file_size_bytes   bigint NOT NULL CONSTRAINT source_files_file_size_bytes_check CHECK (file_size_bytes >= 0),
  status            varchar(50) NOT NULL DEFAULT 'uploaded'
    CONSTRAINT source_files_status_check
    CHECK (status IN ('uploading', 'uploaded', 'unpacking', 'unpacked', 'ready', 'failed')),
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_source_files_job_id ON source_files (job_id);

CREATE TABLE extraction_tasks (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id          uuid NOT NULL REFERENCES extraction_jobs (id) ON DELETE CASCADE,
  source_file_id  uuid REFERENCES source_files (id) ON DELETE CASCADE,
  processing_mode varchar(50) NOT NULL DEFAULT 'individual'
    CONSTRAINT extraction_tasks_processing_mode_check
    CHECK (processing_mode IN ('individual', 'combined')),
  status          varchar(50) NOT NULL DEFAULT 'pending'
    CONSTRAINT extraction_tasks_status_check
    CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
  error_message   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  processed_at    timestamptz
);
CREATE INDEX idx_extraction_tasks_job_id ON extraction_tasks (job_id, status);

CREATE TABLE extraction_results (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id         uuid NOT NULL REFERENCES extraction_jobs (id) ON DELETE CASCADE,
  task_id        uuid NOT NULL REFERENCES extraction_tasks (id) ON DELETE CASCADE,
  extracted_data jsonb NOT NULL,
  processed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_extraction_results_job_id ON extraction_results (job_id);
CREATE INDEX idx_extraction_results_task_id ON extraction_results (task_id);
