-- What a browser frontend needs from the api (issue 16): a version per editable object
-- for ETag / If-Match, and the answers to Idempotency-Key requests.

-- Bumped by every change the user makes through the api (name, fields, trigger, settings);
-- the ETag is this number and If-Match compares it. Bookkeeping writes (last_fired_at)
-- leave it alone, so a tab editing an automation is not refused because it fired.
ALTER TABLE extraction_jobs ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE templates ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE automations ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE user_settings ADD COLUMN version integer NOT NULL DEFAULT 1;

-- One row per Idempotency-Key a user sent to a route (`POST /v1/jobs/:jobId/runs`), kept
-- 24 hours (cleanup deletes older rows). `locked_by` is the claim of the request doing
-- the work; the answer it gave is replayed to every later request with the same key and
-- the same fingerprint (method, path and body, or the uploaded file's name and SHA-256).
CREATE TABLE idempotency_keys (
  user_id          varchar(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  route            varchar(255) NOT NULL,
  key              varchar(255) NOT NULL,
  status           varchar(20)  NOT NULL DEFAULT 'in_progress'
                   CONSTRAINT idempotency_keys_status_check CHECK (status IN ('in_progress', 'completed')),
  -- Null while an upload's file part is still being read.
  fingerprint      varchar(64),
  locked_by        uuid,
  locked_until     timestamptz,
  -- The request that did the work (its X-Request-Id), for support.
  request_id       varchar(128) NOT NULL,
  response_status  integer,
  response_headers jsonb,
  -- json, not jsonb: a replay sends the body byte for byte as the first answer did.
  response_body    json,
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz,
  PRIMARY KEY (user_id, route, key),
  CONSTRAINT idempotency_keys_completed_check CHECK (
    status <> 'completed' OR (fingerprint IS NOT NULL AND response_status IS NOT NULL AND completed_at IS NOT NULL))
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
