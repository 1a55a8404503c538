-- Seed 000 §4 steps 2 and 3: back-fill, then "job runs seeding". Every legacy job that
-- has at least one task (results always hang off a task) gets run #1 carrying the job's
-- old status and counters, and its tasks and results are re-pointed to that run.

UPDATE source_files SET source_type = 'upload' WHERE source_type IS NULL;

INSERT INTO job_runs (job_id, run_number, status, trigger, tasks_total, tasks_completed,
                      tasks_failed, started_at, completed_at, created_at)
SELECT j.id, 1, j.status, 'legacy', j.tasks_total, j.tasks_completed, j.tasks_failed,
       min(t.created_at), max(t.processed_at), j.created_at
  FROM extraction_jobs j
  JOIN extraction_tasks t ON t.job_id = j.id
 WHERE NOT EXISTS (SELECT 1 FROM job_runs r WHERE r.job_id = j.id)
 GROUP BY j.id;

UPDATE extraction_tasks
   SET run_id = r.id
  FROM job_runs r
 WHERE extraction_tasks.job_id = r.job_id
   AND r.run_number = 1
   AND extraction_tasks.run_id IS NULL;

UPDATE extraction_results
   SET run_id = extraction_tasks.run_id
  FROM extraction_tasks
 WHERE extraction_results.task_id = extraction_tasks.id
   AND extraction_results.run_id IS NULL;
