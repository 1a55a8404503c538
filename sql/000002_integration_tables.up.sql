-- Seed 000 §4 step 1 (DDL phase): every change is additive and has a default, so code
-- written for the legacy schema keeps working while this is deployed.

ALTER TABLE source_files
  ADD COLUMN source_type varchar(20) NOT NULL DEFAULT 'upload'
    CONSTRAINT source_files_source_type_check CHECK (source_type IN ('upload', 'gdrive', 'gmail')),
  ADD COLUMN external_id text;
CREATE INDEX idx_source_files_external_id ON source_files (job_id, source_type, external_id)
  WHERE external_id IS NOT NULL;

CREATE TABLE integration_accounts (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       varchar(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider      varchar(30) NOT NULL
    CONSTRAINT integration_accounts_provider_check CHECK (provider IN ('google', 'microsoft')),
  scopes        text[] NOT NULL DEFAULT '{}',
  access_token  bytea,
  refresh_token bytea,
  expires_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_integration_accounts_user_provider ON integration_accounts (user_id, provider);

CREATE TABLE job_runs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id          uuid NOT NULL REFERENCES extraction_jobs (id) ON DELETE CASCADE,
  run_number      integer NOT NULL CONSTRAINT job_runs_run_number_check CHECK (run_number >= 1),
  status          varchar(50) NOT NULL DEFAULT 'pending'
    CONSTRAINT job_runs_status_check
    CHECK (status IN ('pending', 'in_progress', 'partially_completed', 'completed', 'failed', 'cancelled')),
  -- 'legacy' marks the run #1 that migration 000003 seeds from a pre-runs job.
  trigger         varchar(20) NOT NULL DEFAULT 'manual'
    CONSTRAINT job_runs_trigger_check CHECK (trigger IN ('legacy', 'manual', 'automation')),
  tasks_total     integer NOT NULL DEFAULT 0 CONSTRAINT job_runs_tasks_total_check CHECK (tasks_total >= 0),
  tasks_completed integer NOT NULL DEFAULT 0 CONSTRAINT job_runs_tasks_completed_check CHECK (tasks_completed >= 0),
  tasks_failed    integer NOT NULL DEFAULT 0 CONSTRAINT job_runs_tasks_failed_check CHECK (tasks_failed >= 0),
  started_at      timestamptz,
  completed_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT job_runs_job_id_run_number_key UNIQUE (job_id, run_number)
);

ALTER TABLE extraction_tasks ADD COLUMN run_id uuid;
ALTER TABLE extraction_results ADD COLUMN run_id uuid;

CREATE TABLE job_exports (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  run_id        uuid NOT NULL REFERENCES job_runs (id) ON DELETE CASCADE,
  dest_type     varchar(15) NOT NULL
    CONSTRAINT job_exports_dest_type_check CHECK (dest_type IN ('download', 'gdrive', 'gmail')),
  file_type     varchar(10) NOT NULL
    CONSTRAINT job_exports_file_type_check CHECK (file_type IN ('csv', 'xlsx')),
  status        varchar(20) NOT NULL DEFAULT 'pending'
    CONSTRAINT job_exports_status_check CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
  external_id   text,
  error_message text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_job_exports_run_id ON job_exports (run_id);
CREATE INDEX idx_job_exports_download_age ON job_exports (created_at) WHERE dest_type = 'download';

CREATE TABLE automations (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        varchar(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name           varchar(255) NOT NULL,
  is_enabled     boolean NOT NULL DEFAULT true,
  trigger_type   varchar(30) NOT NULL
    CONSTRAINT automations_trigger_type_check CHECK (trigger_type IN ('gmail_attachment')),
  trigger_config jsonb NOT NULL DEFAULT '{}'::jsonb,
  job_id         uuid NOT NULL REFERENCES extraction_jobs (id) ON DELETE CASCADE,
  export_config  jsonb,
  last_fired_at  timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_automations_user_id ON automations (user_id);
CREATE INDEX idx_automations_enabled_trigger ON automations (trigger_type) WHERE is_enabled;

CREATE TABLE automation_runs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  automation_id uuid NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
  run_id        uuid REFERENCES job_runs (id) ON DELETE SET NULL,
  status        varchar(20) NOT NULL DEFAULT 'pending'
    CONSTRAINT automation_runs_status_check CHECK (status IN ('pending', 'completed', 'failed')),
  error_message text,
  triggered_at  timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz
);
CREATE INDEX idx_automation_runs_automation_id ON automation_runs (automation_id, triggered_at DESC);
