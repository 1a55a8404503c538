DROP TABLE automation_runs;
DROP TABLE automations;
DROP TABLE job_exports;
ALTER TABLE extraction_results DROP COLUMN run_id;
ALTER TABLE extraction_tasks DROP COLUMN run_id;
DROP TABLE job_runs;
DROP TABLE integration_accounts;
DROP INDEX idx_source_files_external_id;
ALTER TABLE source_files DROP COLUMN external_id, DROP COLUMN source_type;
