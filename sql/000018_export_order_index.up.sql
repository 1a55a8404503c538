-- The export reads a run's results in file-name order (byte order, "C"), page by page on a
-- keyset. Without an index on that key every page sorted the whole run's results again;
-- with it each page is a short index range scan over the run's tasks.
CREATE INDEX idx_extraction_tasks_export_order
  ON extraction_tasks (run_id, (coalesce(source_filename, '') COLLATE "C"), id);
