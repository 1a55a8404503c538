-- Seed 001: account health and sync bookkeeping for Google connections, the connector
-- jobs that import from Drive and Gmail, the activity log, and one-time OAuth states.

ALTER TABLE integration_accounts
  ADD COLUMN provider_account_id text NOT NULL DEFAULT '',
  ADD COLUMN email varchar(320),
  ADD COLUMN status varchar(20) NOT NULL DEFAULT 'connected'
    CONSTRAINT integration_accounts_status_check
    CHECK (status IN ('connected', 'error', 'revoked', 'disconnected')),
  ADD COLUMN last_sync_at timestamptz,
  ADD COLUMN last_error_at timestamptz,
  ADD COLUMN last_error_code varchar(100),
  ADD COLUMN last_error_message text,
  ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN drive_page_token text,
  ADD COLUMN gmail_history_id text,
  ADD COLUMN gmail_watch_expires_at timestamptz,
  -- Bumped on every token write: a refresh stores its token only over the version it read.
  ADD COLUMN token_version integer NOT NULL DEFAULT 0;
ALTER TABLE integration_accounts
  ADD CONSTRAINT integration_accounts_user_provider_account_key
  UNIQUE (user_id, provider, provider_account_id);

CREATE TABLE connector_jobs (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  integration_account_id uuid NOT NULL REFERENCES integration_accounts (id) ON DELETE CASCADE,
  job_id                 uuid REFERENCES extraction_jobs (id) ON DELETE CASCADE,
  operation_id           uuid,
  job_type               varchar(30) NOT NULL
    CONSTRAINT connector_jobs_job_type_check
    CHECK (job_type IN ('initial_sync', 'incremental_sync', 'drive_import', 'gmail_import')),
  status                 varchar(20) NOT NULL DEFAULT 'pending'
    CONSTRAINT connector_jobs_status_check
    CHECK (status IN ('pending', 'running', 'success', 'failed', 'cancelled')),
  scheduled_at           timestamptz NOT NULL DEFAULT now(),
  started_at             timestamptz,
  finished_at            timestamptz,
  attempts               integer NOT NULL DEFAULT 0 CONSTRAINT connector_jobs_attempts_check CHECK (attempts >= 0),
  max_attempts           integer NOT NULL DEFAULT 3 CONSTRAINT connector_jobs_max_attempts_check CHECK (max_attempts >= 1),
  backoff_seconds        integer NOT NULL DEFAULT 0 CONSTRAINT connector_jobs_backoff_seconds_check CHECK (backoff_seconds >= 0),
  next_attempt_at        timestamptz,
  last_error_message     text,
  payload                jsonb NOT NULL DEFAULT '{}'::jsonb,
  result                 jsonb,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_connector_jobs_account ON connector_jobs (integration_account_id);
CREATE INDEX idx_connector_jobs_status_scheduled ON connector_jobs (status, scheduled_at);

CREATE TABLE activity_events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     varchar(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind        varchar(64) NOT NULL
    CONSTRAINT activity_events_kind_check CHECK (kind IN (
      'connector_connect_started', 'connector_connect_succeeded', 'connector_connect_failed',
      'connector_disconnect_started', 'connector_disconnect_succeeded', 'connector_disconnect_failed',
      'connector_sync_started', 'connector_sync_completed', 'connector_sync_failed',
      'connector_job_scheduled', 'connector_job_retried',
      'run_started', 'run_completed', 'run_failed',
      'export_completed', 'export_failed')),
  context     jsonb NOT NULL DEFAULT '{}'::jsonb,
  description text NOT NULL,
  -- Idempotency key: a redelivered message writes the same event once.
  dedupe_key  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT activity_events_dedupe_key_key UNIQUE (dedupe_key)
);
CREATE INDEX idx_activity_events_user ON activity_events (user_id, created_at DESC, id);
CREATE INDEX idx_activity_events_user_kind ON activity_events (user_id, kind, created_at DESC);

CREATE TABLE oauth_states (
  nonce              varchar(64) PRIMARY KEY,
  user_id            varchar(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider           varchar(30) NOT NULL
    CONSTRAINT oauth_states_provider_check CHECK (provider IN ('google', 'microsoft')),
  code_verifier      text NOT NULL,
  redirect_after     text,
  expires_at         timestamptz NOT NULL,
  used_at            timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_oauth_states_expires_at ON oauth_states (expires_at);
