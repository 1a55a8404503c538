-- Exports (seed 002 §4.4): what each destination needs, the claim that makes the export
-- stage safe to run twice, the idempotency marker of the Gmail send, and one export per
-- run and automation (shared/ARCHITECTURE.md, "Delivery").

ALTER TABLE job_exports
  -- The connected Google account a Drive or Gmail export uses.
  ADD COLUMN account_id uuid REFERENCES integration_accounts (id) ON DELETE SET NULL,
  -- Destination options as the user gave them: { folderId } for Drive, { to, subject } for Gmail.
  ADD COLUMN options jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Set when an automation's export_config created the export.
  ADD COLUMN automation_id uuid REFERENCES automations (id) ON DELETE SET NULL,
  ADD COLUMN file_name varchar(255),
  -- The object in the exports bucket (download destination).
  ADD COLUMN object_name varchar(1024),
  ADD COLUMN rows_exported integer CONSTRAINT job_exports_rows_exported_check CHECK (rows_exported >= 0),
  ADD COLUMN attempts integer NOT NULL DEFAULT 0 CONSTRAINT job_exports_attempts_check CHECK (attempts >= 0),
  ADD COLUMN locked_by text,
  ADD COLUMN locked_at timestamptz,
  ADD COLUMN error_code varchar(100),
  -- Written and committed before the call that delivers (the Gmail send): a later attempt that
  -- finds it set looks the message up by `delivery_key` (its Message-ID) instead of sending again.
  ADD COLUMN delivery_key varchar(255),
  ADD COLUMN delivery_started_at timestamptz,
  ADD COLUMN completed_at timestamptz;

CREATE UNIQUE INDEX idx_job_exports_run_automation ON job_exports (run_id, automation_id) WHERE automation_id IS NOT NULL;
CREATE INDEX idx_job_exports_stuck ON job_exports (locked_at) WHERE status = 'in_progress';
