-- Rows written after the cut-over may lack job_id: take it from their run first, so the
-- legacy NOT NULL can come back without losing a row.
UPDATE extraction_tasks t SET job_id = r.job_id
  FROM job_runs r WHERE t.run_id = r.id AND t.job_id IS NULL;
UPDATE extraction_results x SET job_id = r.job_id
  FROM job_runs r WHERE x.run_id = r.id AND x.job_id IS NULL;

DROP INDEX idx_extraction_results_run_id;
ALTER TABLE extraction_results DROP CONSTRAINT fk_result_run;
ALTER TABLE extraction_results ALTER COLUMN run_id DROP NOT NULL;

DROP INDEX idx_extraction_tasks_run_id;
ALTER TABLE extraction_tasks DROP CONSTRAINT fk_task_run;
ALTER TABLE extraction_tasks ALTER COLUMN run_id DROP NOT NULL;

ALTER TABLE extraction_results ALTER COLUMN job_id SET NOT NULL;
ALTER TABLE extraction_tasks ALTER COLUMN job_id SET NOT NULL;
