-- Undo only what the seeding did: runs marked 'legacy' and the links to them. The legacy
-- columns (job_id on tasks and results, counters on the job) were never touched.
UPDATE extraction_results SET run_id = NULL
 WHERE run_id IN (SELECT id FROM job_runs WHERE trigger = 'legacy');
UPDATE extraction_tasks SET run_id = NULL
 WHERE run_id IN (SELECT id FROM job_runs WHERE trigger = 'legacy');
DELETE FROM job_runs WHERE trigger = 'legacy';
