DROP TABLE oauth_states;
DROP TABLE activity_events;
DROP TABLE connector_jobs;
ALTER TABLE integration_accounts DROP CONSTRAINT integration_accounts_user_provider_account_key;
ALTER TABLE integration_accounts
  DROP COLUMN token_version,
  DROP COLUMN gmail_watch_expires_at,
  DROP COLUMN gmail_history_id,
  DROP COLUMN drive_page_token,
  DROP COLUMN metadata,
  DROP COLUMN last_error_message,
  DROP COLUMN last_error_code,
  DROP COLUMN last_error_at,
  DROP COLUMN last_sync_at,
  DROP COLUMN status,
  DROP COLUMN email,
  DROP COLUMN provider_account_id;
