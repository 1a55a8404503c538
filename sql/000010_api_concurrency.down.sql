DROP TABLE idempotency_keys;
ALTER TABLE user_settings DROP COLUMN version;
ALTER TABLE automations DROP COLUMN version;
ALTER TABLE templates DROP COLUMN version;
ALTER TABLE extraction_jobs DROP COLUMN version;
