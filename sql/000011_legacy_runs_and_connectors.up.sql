-- Seed 000 §4, finishing what 000003 seeded: legacy runs that were in flight at the
-- cut-over finish through the normal pipeline (claim, stuck-task sweep, counters).
-- Only rows of runs with trigger 'legacy' change; the legacy columns stay as they were.

-- Every legacy task reads its file like a new one: object name, file name, type and
-- source from its source file (000003 left them NULL, so a claimed task had no object).
UPDATE extraction_tasks t
   SET object_name = f.gcs_object_name,
       source_filename = coalesce(t.source_filename, f.original_filename),
       mime_type = coalesce(t.mime_type, f.file_type),
       source_type = coalesce(t.source_type, f.source_type)
  FROM job_runs r, source_files f
 WHERE r.id = t.run_id AND r.trigger = 'legacy'
   AND f.id = t.source_file_id AND t.object_name IS NULL;

-- An unfinished legacy task whose file is gone cannot be extracted: it fails with why.
UPDATE extraction_tasks t
   SET status = 'failed', error_code = 'source_file_missing',
       error_message = 'The file of this task was deleted before it was extracted',
       locked_by = NULL, processed_at = now(), updated_at = now()
  FROM job_runs r
 WHERE r.id = t.run_id AND r.trigger = 'legacy' AND r.status IN ('pending', 'in_progress')
   AND t.status IN ('pending', 'running') AND t.object_name IS NULL;

-- Unfinished legacy tasks are due for the stuck-task sweep at once: pending ones idle
-- since they were created; running ones (legacy 'processing') have no lease, which the
-- sweep and the claim read as lapsed.
UPDATE extraction_tasks t
   SET updated_at = t.created_at
  FROM job_runs r
 WHERE r.id = t.run_id AND r.trigger = 'legacy' AND r.status IN ('pending', 'in_progress')
   AND t.status = 'pending';

-- The run's field snapshot is the job's fields (what the legacy job extracted with, and
-- what an export of the run names its columns after).
UPDATE job_runs r
   SET fields_snapshot = coalesce((
         SELECT jsonb_agg(jsonb_build_object('name', f.field_name, 'type', f.data_type_id,
                                             'description', f.ai_prompt, 'required', f.required)
                          ORDER BY f.display_order, f.created_at)
           FROM job_fields f WHERE f.job_id = r.job_id), '[]'::jsonb)
 WHERE r.trigger = 'legacy' AND r.fields_snapshot = '[]'::jsonb;

-- Counters of an unfinished legacy run, or of any run whose copied job counters do not
-- add up, are its tasks' (the legacy job's counters counted what its own code counted).
UPDATE job_runs r
   SET tasks_total = c.total, tasks_completed = c.completed, tasks_failed = c.failed, updated_at = now()
  FROM (SELECT run_id, count(*)::int AS total,
               (count(*) FILTER (WHERE status = 'completed'))::int AS completed,
               (count(*) FILTER (WHERE status = 'failed'))::int AS failed
          FROM extraction_tasks GROUP BY run_id) c
 WHERE c.run_id = r.id
   AND (r.trigger = 'legacy' AND r.status IN ('pending', 'in_progress')
        OR r.tasks_completed + r.tasks_failed > r.tasks_total);

-- A legacy `pending` or `in_progress` run with work left is in progress (claims and the
-- sweep only act on those); one with none left takes its final status now.
UPDATE job_runs
   SET status = CASE
         WHEN tasks_completed + tasks_failed < tasks_total THEN 'in_progress'
         WHEN tasks_failed = 0 THEN 'completed'
         WHEN tasks_completed = 0 THEN 'failed'
         ELSE 'partially_completed' END,
       started_at = coalesce(started_at, now()),
       completed_at = CASE WHEN tasks_completed + tasks_failed < tasks_total THEN NULL
                           ELSE coalesce(completed_at, now()) END,
       updated_at = now()
 WHERE trigger = 'legacy' AND status IN ('pending', 'in_progress');

-- Counting a finished task can never pass the total.
ALTER TABLE job_runs ADD CONSTRAINT job_runs_tasks_within_total_check
  CHECK (tasks_completed + tasks_failed <= tasks_total);

-- Seed 001 account status: repeated failures (not the grant) put an account in `error`,
-- the next success clears it; revocation and that error get events of their own.
ALTER TABLE integration_accounts
  ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0
    CONSTRAINT integration_accounts_consecutive_failures_check CHECK (consecutive_failures >= 0);

ALTER TABLE activity_events DROP CONSTRAINT activity_events_kind_check;
UPDATE activity_events SET kind = 'connector_account_revoked'
 WHERE kind = 'connector_connect_failed' AND context->>'error_code' = 'account_revoked';
ALTER TABLE activity_events ADD CONSTRAINT activity_events_kind_check CHECK (kind IN (
  'connector_connect_started', 'connector_connect_succeeded', 'connector_connect_failed',
  'connector_disconnect_started', 'connector_disconnect_succeeded', 'connector_disconnect_failed',
  'connector_sync_started', 'connector_sync_completed', 'connector_sync_failed',
  'connector_job_scheduled', 'connector_job_retried', 'connector_account_revoked', 'connector_account_error',
  'run_started', 'run_completed', 'run_failed',
  'export_completed', 'export_failed'));

-- Seed 001 incremental sync: one Drive changes token per synced folder of a job (the
-- account's single `drive_page_token` was overwritten by any import of any folder, and is
-- no longer read), and the Drive `version` each file was imported at, so a file edited
-- since is imported again as a new version of its source file.
CREATE TABLE drive_sync_folders (
  job_id                 uuid NOT NULL REFERENCES extraction_jobs (id) ON DELETE CASCADE,
  integration_account_id uuid NOT NULL REFERENCES integration_accounts (id) ON DELETE CASCADE,
  folder_id              varchar(255) NOT NULL,
  page_token             text NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT drive_sync_folders_pkey PRIMARY KEY (job_id, integration_account_id, folder_id)
);
CREATE INDEX idx_drive_sync_folders_account ON drive_sync_folders (integration_account_id);

ALTER TABLE source_files ADD COLUMN external_version varchar(100);
