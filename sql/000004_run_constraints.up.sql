-- Seed 000 §4 step 4 (cut-over): tasks and results now belong to a run. job_id stays as
-- a nullable legacy column so the rollback can restore the old shape.

ALTER TABLE extraction_tasks ALTER COLUMN job_id DROP NOT NULL;
ALTER TABLE extraction_results ALTER COLUMN job_id DROP NOT NULL;

ALTER TABLE extraction_tasks ALTER COLUMN run_id SET NOT NULL;
ALTER TABLE extraction_tasks ADD CONSTRAINT fk_task_run
  FOREIGN KEY (run_id) REFERENCES job_runs (id) ON DELETE CASCADE;
CREATE INDEX idx_extraction_tasks_run_id ON extraction_tasks (run_id, status);

ALTER TABLE extraction_results ALTER COLUMN run_id SET NOT NULL;
ALTER TABLE extraction_results ADD CONSTRAINT fk_result_run
  FOREIGN KEY (run_id) REFERENCES job_runs (id) ON DELETE CASCADE;
CREATE INDEX idx_extraction_results_run_id ON extraction_results (run_id);
